"""Links of many rows from one reverse() per URL name.

A page of a thousand rows spends most of its time in the template; a `{% url %}` per row
would reverse once per row. `row_link()` reverses a URL once, with a placeholder where the
row's key goes, and each row's link is then that prefix, the key and the tail.
"""

from collections.abc import Iterable

from django.urls import reverse

# An id no row has, so that it stands exactly once in the reversed URL.
_SLOT = 2_147_483_646


class RowLink:
    """The link of one URL name for any row: `link(pk)`; `link.pattern` has `{pk}` for scripts."""

    def __init__(self, viewname: str, *, key: str = "pk", **kwargs):
        url = reverse(viewname, kwargs={**kwargs, key: _SLOT})
        self.head, slot, self.tail = url.partition(str(_SLOT))
        if not slot or str(_SLOT) in self.tail:
            raise ValueError(f"{viewname}: the row's key must stand once in its URL")
        self.pattern = f"{self.head}{{pk}}{self.tail}"

    def __call__(self, pk) -> str:
        return f"{self.head}{pk}{self.tail}"


def row_link(viewname: str, *, key: str = "pk", **kwargs) -> RowLink:
    """`row_link("plans:activity-detail", agreement_pk=7)(42)` → the activity's page."""
    return RowLink(viewname, key=key, **kwargs)


def link_rows(rows: Iterable, **links: RowLink) -> list:
    """Give every row its links as attributes: `link_rows(goals, edit_url=row_link(…))`."""
    rows = list(rows)
    for row in rows:
        for name, link in links.items():
            setattr(row, name, link(row.pk))
    return rows
