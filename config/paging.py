"""The page number a list's query string asks for, the same for every paginated page and API."""

# Far past the end of any list here, and small enough that page × page size stays within every
# database's integers (a page of 10^17 made SQLite's OFFSET overflow: a 500 instead of an empty page).
MAX_PAGE = 1_000_000


def page_number(raw: str | None) -> int:
    """1 when absent, at least 1 and at most MAX_PAGE; ValueError when it is not a whole number."""
    return min(MAX_PAGE, max(1, int(raw or "1")))
