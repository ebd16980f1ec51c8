"""Menus for the templates: one query for every menu, shared between pages until content changes."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language

from iomsite.freshness import remember
from iomsite.models import MenuItem
from iomsite.models.base import Status


def menu_trees(now=None):
    """``({menu: [{"title", "url", "children"}]}, next change)``.

    The active items whose page, if any, is published now (a hidden parent hides its
    children), in one query; and the next moment a linked page's publishing window
    opens or closes, which ends the trees' validity (None: no such moment).
    """
    now = now or timezone.now()
    items = MenuItem.objects.filter(is_active=True).select_related("page").order_by("tree_id", "lft")
    items = items.only(
        *(field.attname for field in MenuItem._meta.concrete_fields),
        "page__slug",
        "page__status",
        "page__publish_at",
        "page__unpublish_at",
    )
    nodes, menus, next_change = {}, {}, None
    for item in items:
        page = item.page
        if page is not None:
            if page.status == Status.PUBLISHED:
                for moment in (page.publish_at, page.unpublish_at):
                    if moment and moment > now and (next_change is None or moment < next_change):
                        next_change = moment
            live = page.status == Status.PUBLISHED and page.publish_at <= now
            if not live or (page.unpublish_at is not None and page.unpublish_at <= now):
                continue
        url = item.get_url()
        if not url:
            continue  # a link saved without validation that the site would not render
        node = {"title": item.title, "url": url, "children": []}
        nodes[item.pk] = node
        if item.parent_id is None:
            menus.setdefault(item.menu, []).append(node)
        elif item.parent_id in nodes:  # a hidden parent hides its children
            nodes[item.parent_id]["children"].append(node)
    return menus, next_change


class Menus:
    """Lazy: read the first time a template asks for a menu.

    Kept in the shared cache under the content version (any content edit retires it)
    and the language, for no longer than the next scheduled change of a linked page.
    """

    @cached_property
    def _by_menu(self):
        return remember(f"menus:{get_language()}", menu_trees)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._by_menu.get(name, [])
