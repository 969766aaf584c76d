"""Who is asking, for every limit (the API's throttles, the bad-token limit, the login lockout): the address
of the socket, unless the operator says how many reverse proxies stand in front (TRUSTED_PROXIES, docs/
deploy.md); then the address the nearest of them saw, read from the right of X-Forwarded-For. A header the
client writes itself buys nothing: with no proxy it is not read, and behind one the proxy appends the real
address after whatever the client sent."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:  # the proxies did not add what they should have: do not guess
        return remote
    return forwarded[-proxies][:64]
