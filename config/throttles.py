"""The API's rate limits, counted where every process sees the same count (the "shared" cache, a table in the
database: three gunicorn workers on two machines make one limit, not six), per client as config.client reads
it."""

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from config.client import client_ip


class SharedCount:
    cache = caches["shared"]

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(SharedCount, AnonRateThrottle):
    pass


class UserThrottle(SharedCount, UserRateThrottle):
    pass


class BadTokenRate(SharedCount, SimpleRateThrottle):
    scope = "bad_token"

    def get_cache_key(self, request, view):
        return f"throttle_bad_token_{self.get_ident(request)}"
