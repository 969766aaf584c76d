"""What the top bar shows, decided once for every page (base.html)."""

from corpus.permissions import can_browse


def navigation(request):
    """`can_browse_corpus`: whether the "Corpus" link leads anywhere for this user (the corpus pages refuse
    the others). A callable, so that a page without the top bar (an htmx fragment) asks nothing; the
    permissions come with the session (config/sessions.py), so asking costs no query either."""
    return {"can_browse_corpus": lambda: can_browse(request.user)}
