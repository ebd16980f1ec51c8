"""One pagination for every listing: strict page numbers, a window with ellipses."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _

WINDOW = 2  # pages shown either side of the current one


def page_window(number, num_pages, window=WINDOW):
    """Page numbers to show, with ``None`` where an ellipsis goes: 1 … 11 12 13 14 15 … 40."""
    pages = {1, num_pages, *range(max(1, number - window), min(num_pages, number + window) + 1)}
    result, previous = [], 0
    for page in sorted(pages):
        if page - previous > 1:
            result.append(None)
        result.append(page)
        previous = page
    return result


def paginate(request, object_list, per_page=20, param="page", count=None):
    """Return the requested page; any page number that is not a real page is a 404.

    ``count``: the number of items when the caller already knows it (saves the count query).
    """
    raw = request.GET.get(param, "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 7:
        raise Http404(_("There is no such page."))
    number = int(raw)
    paginator = Paginator(object_list, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count  # a cached_property: this value replaces the query
    if number < 1 or number > paginator.num_pages:
        raise Http404(_("There is no such page."))
    page = paginator.page(number)
    page.window = page_window(number, paginator.num_pages)
    page.param = param
    return page
