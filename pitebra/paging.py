"""Long lists a page at a time: a page never holds more than PAGE_ROWS activities, so a plan of
5,000 costs a page what a plan of 100 does (the plan tree, the timeline, the follow-up lists,
the report's preview)."""

from django.core.paginator import Paginator

PAGE_ROWS = 100


def page_of(request, rows, *, count=None, per_page=None, param="page"):
    """The page the URL asks for (`?page=N`, or `param`; a page out of range gives the nearest),
    or None when every row fits on one page. `count`, when known, spares a COUNT query."""
    paginator = Paginator(rows, per_page or PAGE_ROWS)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not asked of the database
    if paginator.num_pages <= 1:
        return None
    page = paginator.get_page(request.GET.get(param))
    params = request.GET.copy()

    def query(number):
        params[param] = number
        return params.urlencode()

    page.first_query = query(1) if page.number > 1 else ""
    page.previous_query = query(page.number - 1) if page.has_previous() else ""
    page.next_query = query(page.number + 1) if page.has_next() else ""
    page.last_query = query(paginator.num_pages) if page.number < paginator.num_pages else ""
    return page
