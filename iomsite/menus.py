"""Menus for the templates: one query for every menu of a page."""

from django.db.models import Q
from django.utils.functional import cached_property

from iomsite.models import MenuItem, Page


class Menus:
    """Lazy: the query runs the first time a template asks for a menu."""

    @cached_property
    def _by_menu(self):
        items = list(
            MenuItem.objects.filter(is_active=True)
            .filter(Q(page__isnull=True) | Q(page__in=Page.objects.published()))
            .select_related("page")
            .order_by("tree_id", "lft")
        )
        nodes = {}
        menus = {}
        for item in items:
            node = {"title": item.title, "url": item.get_url(), "children": [], "item": item}
            nodes[item.pk] = node
            if item.parent_id is None:
                menus.setdefault(item.menu, []).append(node)
            elif item.parent_id in nodes:  # a hidden parent hides its children
                nodes[item.parent_id]["children"].append(node)
        return menus

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._by_menu.get(name, [])
