"""API token authentication that slows down guessing: failed tokens are counted per client address, and past
the `bad_token` rate every token request from that address is answered 429 until the window passes, the
right token included (a guesser cannot tell when it has found one). Counted in the database, per client
address as config.client reads it (config/throttles.py)."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from config.throttles import bad_token_counted, bad_tokens


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        header = self.authenticate_header(request)
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith(header):
            return None  # no token: session authentication, or anonymous
        blocked, left = bad_tokens(request)
        if blocked:
            raise exceptions.Throttled(wait=left, detail="Too many failed token attempts from this address.")
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            bad_token_counted(request)
            raise
