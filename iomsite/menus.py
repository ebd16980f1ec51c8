"""Menus for the templates: one query for every menu, shared between pages until content changes."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language

from iomsite.freshness import next_publishing_change, remember
from iomsite.models import MenuItem
from iomsite.models.base import Status


def menu_trees(now=None):
    """``({menu: [{"title", "url", "children"}]}, next change)``.

    The active items whose page or item, if any, is published now (a hidden parent hides
    its children), in one query and one per kind of linked item; and the next moment a
    linked page's or item's publishing window opens or closes, which ends the trees'
    validity (None: no such moment).
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
    items = list(items)
    targets, target_change = _live_targets(items, now)
    nodes, menus, next_change = {}, {}, target_change
    for item in items:
        if item.target_type_id is not None:
            target = targets.get((item.target_type_id, item.target_id))
            if target is None:
                continue  # not live (a draft, scheduled, ended) or gone: the link waits for it
            url = item.get_url(target)
            node = {"title": item.title, "url": url, "children": []}
            nodes[item.pk] = node
            if item.parent_id is None:
                menus.setdefault(item.menu, []).append(node)
            elif item.parent_id in nodes:
                nodes[item.parent_id]["children"].append(node)
            continue
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


def _live_targets(items, now):
    """``({(content type id, pk): live item}, next change)`` for the items menus link: one query per kind.

    Only what ``published()`` returns counts; the next scheduled change of those kinds ends
    the menus' validity, as a linked page's does.
    """
    wanted = {}
    for item in items:
        if item.target_type_id is not None and item.target_id is not None:
            wanted.setdefault(item.target_type_id, set()).add(item.target_id)
    found, models = {}, []
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not hasattr(model._default_manager, "published"):
            continue
        models.append(model)
        for obj in model._default_manager.published(now).filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    return found, next_publishing_change(models, now) if models else None


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
