"""A paginator that counts in the page query itself (`COUNT(*) OVER ()`).

Django's Paginator runs the search twice, once for COUNT and once for the page; with full-text
search and ranking over many offers that doubles the page's database time.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

# Past any real catalogue, and small enough that the row offset fits the database's integer.
MAX_PAGE = 1_000_000


class SinglePassPaginator(Paginator):
    def get_page(self, number) -> Page:
        try:
            n = max(int(number), 1)
        except (TypeError, ValueError):
            n = 1
        if n > MAX_PAGE:
            # Surely past the end: the ordinary path shows the last page, as for any page past
            # the end, without an OFFSET the database cannot hold.
            return super().get_page(number)
        bottom = (n - 1) * self.per_page
        rows = list(
            self.object_list.annotate(_total=Window(Count("pk")))[bottom:bottom + self.per_page]
        )
        if not rows:
            # Empty result or a page past the end: the ordinary path (count, then last page).
            return super().get_page(number)
        self.__dict__["count"] = rows[0]._total  # fills the cached_property
        return self._get_page(rows, n, self)
