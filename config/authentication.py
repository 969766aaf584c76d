"""API token authentication that slows down guessing: failed tokens are counted per client address, and past
the `bad_token` rate every token request from that address is answered 429 until the window passes, the
right token included (a guesser cannot tell when it has found one). Counted in the shared cache, per client
address as config.client reads it (config/throttles.py)."""

import time

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from config.throttles import BadTokenRate


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        header = self.authenticate_header(request)
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith(header):
            return None  # no token: session authentication, or anonymous
        rate = BadTokenRate()
        cache, key = rate.cache, rate.get_cache_key(request, None)
        now = time.time()
        failures = [at for at in cache.get(key, []) if at > now - rate.duration]
        if len(failures) >= rate.num_requests:
            raise exceptions.Throttled(wait=failures[0] + rate.duration - now,
                                       detail="Too many failed token attempts from this address.")
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            cache.set(key, [*failures, now], rate.duration)
            raise


