"""Old addresses keep working: a content address that changes leaves a permanent redirect.

Any declared content model with a page (``iomsite.content``, ``Content.redirects``)
takes part. When a save changes an object's address, the addresses it had, and those of
what hangs under it (a tree's descendants, a publication's chapters, a series' events,
a theme's videos), become ``Redirect`` rows pointing at the objects, so a later move
needs no new hop: chains never form. The addresses are language-neutral
(``/news/floods/``) and answer in English, French and Spanish alike.

``RedirectMiddleware`` answers a 404 on a public address with the redirect that covers
it (the longest old address that is the path or a folder of it: ``/news/old/photos/``
follows ``/news/old/``), to what the visitor may see (``iomsite.preview``), with the
query string kept. The 404s left over are counted in ``NotFound`` by address alone, for
the report Site managers turn into redirects (``iomsite.admin``).
"""

import csv
import io
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iomsite import content

BATCH = 500
NOT_FOUND_LIMIT = 5000  # rows kept in the 404 report; the least asked-for go first
NOT_FOUND_PATH_LENGTH = 500
MAX_HOPS = 10  # more hops than any real history: a longer chain is treated as a loop


# Addresses --------------------------------------------------------------------------------


def split_language(path):
    """``("fr", "/news/x/")`` for ``/fr/news/x/``; ``(None, path)`` without a language prefix."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return code, path[len(code) + 1 :]
    return None, path


def normalise(path):
    """A language-neutral site path: ``https://host/fr/news/x/?a=1`` → ``/news/x/``."""
    path = (path or "").strip()
    parts = urlsplit(path)
    path = parts.path if (parts.scheme or parts.netloc) else path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    return split_language(path)[1]


def address(obj):
    """The language-neutral path of ``obj``'s page; None when it has no page of its own (an anchor, a filter)."""
    with translation.override(settings.LANGUAGE_CODE):
        url = obj.get_absolute_url()
    if not url or not url.startswith("/") or "#" in url or "?" in url:
        return None
    return split_language(url)[1]


def _hanging(model, nodes):
    """The objects with a page whose address is built on one of ``nodes`` (as stored), their foreign key set to it."""
    found = []
    by_pk = {node.pk: node for node in nodes}
    for other in content.content_models():
        if not other.has_address:
            continue
        for name, related in other.relations():
            if related.model is not model:
                continue
            for start in range(0, len(nodes), BATCH):
                pks = list(by_pk)[start : start + BATCH]
                for row in other.model._default_manager.filter(**{f"{name}__in": pks}):
                    setattr(row, name, by_pk[getattr(row, f"{name}_id")])
                    found.append(row)
    return found


def note_old_addresses(instance, stored=None):
    """Remember, before a save moves them, the addresses of ``instance`` and of what hangs under it.

    ``SlugPathNode.save()`` calls it before it rewrites its descendants' paths; for other
    models the ``pre_save`` handler calls it when the address changes.
    """
    if getattr(instance, "_old_addresses", None) is not None:
        return
    model = type(instance)
    if stored is None:
        item = content.get(model)
        stored = model._default_manager.filter(pk=instance.pk).select_related(*item.address_fields()).first()
    if stored is None:
        return
    nodes = [stored]
    if hasattr(stored, "_mptt_meta") and content.get(model).is_tree:
        nodes += list(stored.get_descendants())
    old = [(type(obj), obj.pk, address(obj)) for obj in [*nodes, *_hanging(model, nodes)]]
    instance._old_addresses = [entry for entry in old if entry[2]]


def before_save(sender, instance, raw=False, **kwargs):
    from iomsite.models.tree import SlugPathNode

    if raw or instance.pk is None or isinstance(instance, SlugPathNode):
        return  # slug-path trees note their own addresses (they know when their path changes)
    item = content.get(sender)
    if item is None or not item.has_address:
        return
    stored = sender._default_manager.filter(pk=instance.pk).select_related(*item.address_fields()).first()
    if stored is None:
        return
    old = address(stored)
    if old is not None and old != address(instance):
        note_old_addresses(instance, stored)


def after_save(sender, instance, created=False, raw=False, **kwargs):
    old = instance.__dict__.pop("_old_addresses", None)
    if raw:
        return
    if old:
        record(old)
    elif created:
        item = content.get(sender)
        new = address(instance) if item is not None and item.has_address else None
        if new:
            from iomsite.models import Redirect

            Redirect.objects.filter(old_path=new).delete()  # an address in use again belongs to what now has it


def after_delete(sender, instance, **kwargs):
    """Redirects to a deleted object would lead nowhere."""
    item = content.get(sender)
    if item is not None and item.has_address:
        from django.contrib.contenttypes.models import ContentType

        from iomsite.models import Redirect

        content_type = ContentType.objects.get_for_model(sender)
        Redirect.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def connect():
    pre_save.connect(before_save, dispatch_uid="redirects-before-save")
    post_save.connect(after_save, dispatch_uid="redirects-after-save")
    post_delete.connect(after_delete, dispatch_uid="redirects-after-delete")


def record(old):
    """Make redirects from the old addresses ``[(model, pk, path)]`` to the objects, where the address changed."""
    from django.contrib.contenttypes.models import ContentType

    from iomsite.models import Redirect

    by_model = defaultdict(dict)
    for model, pk, path in old:
        by_model[model][pk] = path
    moves = []  # (old path, object, new path)
    for model, paths in by_model.items():
        related = content.get(model).address_fields()
        pks = list(paths)
        for start in range(0, len(pks), BATCH):
            for obj in model._default_manager.filter(pk__in=pks[start : start + BATCH]).select_related(*related):
                new = address(obj)
                if new and new != paths[obj.pk]:
                    moves.append((paths[obj.pk], obj, new))
    if not moves:
        return
    with transaction.atomic():
        # An address in use again belongs to what now has it, not to an old redirect.
        for start in range(0, len(moves), BATCH):
            batch = moves[start : start + BATCH]
            Redirect.objects.filter(old_path__in=[new for _old, _obj, new in batch]).delete()
            Redirect.objects.filter(old_path__in=[old for old, _obj, _new in batch]).delete()
            rows = [
                Redirect(
                    old_path=old,
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                    automatic=True,
                )
                for old, obj, _new in batch
            ]
            Redirect.objects.bulk_create(rows)
            # Hand-made redirects to an old address now lead to the object itself: one hop.
            for old, obj, _new in batch:
                Redirect.objects.filter(new_path=old).update(
                    new_path="", content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
                )


# Hand-made redirects ----------------------------------------------------------------------


def chain_end(redirect):
    """``(new path, object)`` a redirect leads to once the redirects it lands on are followed (one of them None)."""
    from iomsite.models import Redirect

    seen = {redirect.old_path}
    target_path, target = redirect.new_path, redirect.target
    for _hop in range(MAX_HOPS):
        if target is not None or not target_path.startswith("/"):
            return target_path, target
        following = Redirect.objects.exclude(pk=redirect.pk).filter(old_path=target_path).first()
        if following is None:
            return target_path, None
        if following.old_path in seen:
            break
        seen.add(following.old_path)
        target_path, target = following.new_path, following.target
    raise RedirectLoop


class RedirectLoop(Exception):
    pass


def loop_problem(redirect):
    """Why this redirect would lead back to itself (None when it does not)."""
    if redirect.new_path and normalise(redirect.new_path) == redirect.old_path and redirect.new_path.startswith("/"):
        return _("A redirect cannot lead to its own address.")
    target = redirect.target if redirect.content_type_id and redirect.object_id else None
    if target is not None and address(target) == redirect.old_path:
        return _("This item is at that address now: nothing to redirect.")
    try:
        end_path, end_object = chain_end(redirect)
    except RedirectLoop:
        return _("This redirect would lead back to where it starts (a loop). Check the redirects it leads to.")
    end = address(end_object) if end_object is not None else end_path
    if end == redirect.old_path:
        return _("This redirect would lead back to where it starts (a loop). Check the redirects it leads to.")
    return None


def collapse(redirect):
    """Save a hand-made redirect as one hop: to where its target leads, and retarget those that led to it."""
    from iomsite.models import Redirect

    end_path, end_object = chain_end(redirect)
    if end_object is not None:
        redirect.new_path, redirect.target = "", end_object
    else:
        redirect.new_path, redirect.content_type, redirect.object_id = end_path, None, None
    with transaction.atomic():
        redirect.save()
        Redirect.objects.filter(new_path=redirect.old_path).update(
            new_path=redirect.new_path, content_type=redirect.content_type, object_id=redirect.object_id
        )
    return redirect


def parse_target(text):
    """A CSV target: a site path, a full address, or an item as ``app_label.model:pk``: ``(new path, object)``."""
    from django.apps import apps

    text = text.strip()
    if text.startswith(("/", "http://", "https://")):
        return text, None
    label, _sep, pk = text.partition(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        model = None
    item = content.get(model) if model is not None else None
    obj = model._default_manager.filter(pk=int(pk)).first() if item and item.has_address and pk.isdigit() else None
    if obj is None:
        raise ValueError(_("“%(target)s” is neither an address nor an item (app.model:number).") % {"target": text})
    return "", obj


def import_csv(data):
    """Redirects from CSV rows ``old path, new path or item``: ``(saved count, [(line, message)])``.

    All or nothing: one bad line and nothing is saved, every problem listed by line.
    """
    from django.core.exceptions import ValidationError

    from iomsite.models import Redirect

    rows, problems, seen = [], [], set()
    reader = csv.reader(io.StringIO(data))
    for number, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower() in {"old", "old path", "old_path", "from"}):
            continue  # blank lines and a header
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append((number, _("Give two columns: the old address and where it leads.")))
            continue
        try:
            new_path, target = parse_target(cells[1])
        except ValueError as error:
            problems.append((number, str(error)))
            continue
        old_path = normalise(cells[0])
        if old_path in seen:
            problems.append((number, _("This old address is already on an earlier line.")))
            continue
        seen.add(old_path)
        redirect = Redirect.objects.filter(old_path=old_path).first() or Redirect()
        redirect.old_path, redirect.new_path, redirect.automatic = old_path, new_path, False
        redirect.target = target
        try:
            redirect.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.append((number, " ".join(error.messages)))
            continue
        rows.append(redirect)
    if problems:
        return 0, problems
    with transaction.atomic():
        for redirect in rows:
            collapse(redirect)
    return len(rows), []


# Serving ----------------------------------------------------------------------------------


def folders(path):
    """``/news/a/b/`` and every folder above it but the root: ``/news/a/``, ``/news/``."""
    found = [path]
    cut = path.rstrip("/")
    while "/" in cut.strip("/"):
        cut = cut[: cut.rindex("/")]
        found.append(cut + "/")
    return found


def localised(path, language):
    """A language-neutral site path in ``language`` (``/fr/news/x/``), when such a page can exist."""
    if not path.startswith("/") or split_language(path)[0] is not None:
        return path
    candidate = f"/{language}{path}"
    try:
        resolve(candidate)
    except Resolver404:
        return path
    return candidate


def find(request):
    """The address a 404 request should be sent to, or None."""
    from iomsite.models import Redirect
    from iomsite.preview import visible

    language, path = split_language(request.path)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    matches = (
        Redirect.objects.filter(old_path__in=folders(path))
        .select_related("content_type")
        .order_by(Length("old_path").desc())
    )
    for redirect in matches:
        rest = path[len(redirect.old_path) :]
        if redirect.new_path:
            if rest:
                continue  # a hand-made redirect answers its own address only
            target = localised(redirect.new_path, language)
        else:
            model = redirect.content_type.model_class()
            obj = visible(request, model._default_manager.filter(pk=redirect.object_id)).first() if model else None
            if obj is None:
                return None  # its item is not for this visitor: no hop, and no clue where it went
            with translation.override(language):
                target = obj.get_absolute_url().split("#", 1)[0] + rest
        if target == request.path:
            continue
        query = request.META.get("QUERY_STRING")
        return f"{target}?{query}" if query and "?" not in target else target
    return None


def count_not_found(path):
    """One more request for this 404 address (language-neutral, no query string, nothing about the visitor)."""
    from iomsite.models import NotFound

    path = split_language(path)[1][:NOT_FOUND_PATH_LENGTH]
    now = timezone.now()
    if NotFound.objects.filter(path=path).update(hits=F("hits") + 1, last_seen=now):
        return
    if NotFound.objects.count() >= NOT_FOUND_LIMIT:
        # The least asked-for, longest unseen first: a flood of made-up addresses pushes out only its own kind.
        oldest = NotFound.objects.order_by("hits", "last_seen").values_list("pk", flat=True)[: NOT_FOUND_LIMIT // 10]
        NotFound.objects.filter(pk__in=list(oldest)).delete()
    NotFound.objects.bulk_create([NotFound(path=path, first_seen=now, last_seen=now)], ignore_conflicts=True)


def is_public(path):
    if "\x00" in path:
        return False  # no database takes it; the view has answered already
    return not path.startswith((f"/{settings.ADMIN_URL}", settings.STATIC_URL, settings.MEDIA_URL))


class RedirectMiddleware:
    """A public 404 on an old address becomes a permanent redirect; the others are counted for the report."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD") or not is_public(request.path):
            return response
        try:
            target = find(request)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
            count_not_found(request.path)
        except DatabaseError:
            pass  # the 404 page stands (the outage page comes from the view when the database is down)
        return response
