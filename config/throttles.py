"""The API's rate limits, counted in the database (limits/) so that every process sees the same count: three
gunicorn workers on two machines make one limit, not six. Per client as config.client reads it (anonymous
requests), or per user. Fixed windows of the rate's period ("30/minute": at most 30 in each minute)."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from config.client import client_ip
from limits.counting import rate_count, rate_hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(scope: str) -> tuple[int, int]:
    """settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope], "30/minute" → (30, 60)."""
    number, _, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].partition("/")
    return int(number), PERIODS[period[0]]


class CountedThrottle(BaseThrottle):
    scope = ""

    def key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        key = self.key(request)
        if key is None:
            return True
        limit, period = parse_rate(self.scope)
        count, self.seconds_left = rate_hit(f"{self.scope}:{key}", period)
        return count <= limit

    def wait(self):
        return self.seconds_left


class AnonThrottle(CountedThrottle):
    scope = "anon"

    def key(self, request):
        return None if request.user and request.user.is_authenticated else client_ip(request)


class UserThrottle(CountedThrottle):
    scope = "user"

    def key(self, request):
        return str(request.user.pk) if request.user and request.user.is_authenticated else None


def bad_tokens(request) -> tuple[bool, float]:
    """(over the bad-token limit, seconds until it lifts) for this client, without counting."""
    limit, period = parse_rate("bad_token")
    count, left = rate_count(f"bad_token:{client_ip(request)}", period)
    return count >= limit, left


def bad_token_counted(request) -> None:
    rate_hit(f"bad_token:{client_ip(request)}", parse_rate("bad_token")[1])
