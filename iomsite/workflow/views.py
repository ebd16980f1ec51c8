from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.utils.translation import gettext as _


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, for objects the user may see in the admin only.

    Django's own answers any staff member for any object, which would tell a sectioned
    editor the address (and so the slug) of another section's draft.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None:
        raise Http404(_("Not found."))
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404(_("Not found."))
    else:
        opts = model._meta
        if not any(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")
        ):
            raise Http404(_("Not found."))
    return shortcut(request, content_type_id, object_id)


def explore(request):
    """The whole site as one tree (``iomsite.workflow.explorer``); ``?open=`` ids open nodes without JavaScript.

    ``?node=<id>`` shows one node's children (``&kind=&offset=`` page on through one kind;
    ``&fragment=1`` answers only the list, for the script that opens nodes in place);
    ``?reveal=<id>`` opens the tree down to one object (a search result); ``?q=`` searches.
    """
    from django.template.response import TemplateResponse

    from iomsite.workflow.explorer import Explorer, set_links

    explorer = Explorer(request)
    open_ids = [ident for value in request.GET.getlist("open") for ident in value.split(",") if ident][:30]
    context = {**admin.site.each_context(request), "title": _("Explore"), "open_ids": open_ids}
    context.update(query="", results=None, node=None, revealed=None)
    if "node" in request.GET:
        node = explorer.find(request.GET["node"])
        if node is None:
            raise Http404(_("Not found."))
        try:
            offset = min(max(0, int(request.GET.get("offset", 0))), 10**6)
        except ValueError:
            offset = 0
        explorer.children(node, offset=offset, only=request.GET.get("kind"))
        node.is_open = True
        path = explorer.path_to(node) if node.obj is not None else []
        context.update(node=node, open_ids=[*path, node.id], offset=offset)
        set_links([node], context["open_ids"])
        if request.GET.get("fragment"):
            return TemplateResponse(request, "admin/workflow/explore_fragment.html", context)
        context["nodes"] = [node]
    elif request.GET.get("q", "").strip():
        context.update(query=request.GET["q"].strip()[:100], results=explorer.search(request.GET["q"].strip()[:100]))
    else:
        if "reveal" in request.GET:
            node = explorer.find(request.GET["reveal"])
            if node is not None:
                open_ids = [*explorer.path_to(node), *open_ids]
                context.update(open_ids=open_ids, revealed=node.id)
        context["nodes"] = explorer.build(open_ids)
        set_links(context["nodes"], open_ids)
    set_links(context["results"] or [], [])
    return TemplateResponse(request, "admin/workflow/explore.html", context)


def choose(request):
    """Content for the rich-text link chooser: ``?q=`` → JSON ``{results: [{ref, title, kind, state, url}]}``.

    What the user may see in the admin (their sections), live or not: a link to a draft is
    shown as plain text until the draft goes live (``iomsite.richtext.render``).
    """
    from django.http import JsonResponse
    from django.urls import NoReverseMatch

    from iomsite.workflow.explorer import Explorer, node_id

    term = request.GET.get("q", "").strip()[:100]
    results = []
    if term:
        for node in Explorer(request).search(term):
            try:
                url = node.obj.get_absolute_url()
            except (AttributeError, NoReverseMatch):  # an object without an address cannot be linked
                continue
            results.append(
                {
                    "ref": node_id(node.obj),
                    "title": node.title,
                    "kind": str(node.kind),
                    "state": str(node.state_label),
                    "url": url,
                }
            )
    return JsonResponse({"results": results})
