"""request.htmx, and the one place the htmx/page split is decided for caches and history.

A URL that answers a whole page to a browser and a part of it to htmx must say so to every cache
(`Vary: HX-Request`, as htmx's and django-htmx's documentation ask), or the browser's back and forward
buttons may show a fragment cached from an htmx request as if it were the page. And when htmx restores a
page from history and its own cache misses, it asks the server with `HX-Request` *and*
`HX-History-Restore-Request`: that request wants the whole page, so request.htmx is false for it, and every
view that renders "page.html#part" for htmx renders the page instead."""

from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class PageOrPart(HtmxDetails):
    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxMiddleware:
    """django-htmx's middleware, with history restores answered as pages and `Vary: HX-Request` on every
    answer to a GET (pages, fragments, and the API, whose answers do not change with it: harmless)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = PageOrPart(request)
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, ("HX-Request",))
        return response
