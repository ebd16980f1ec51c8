"""Sections: which objects a sectioned user may see and edit (in the admin, and in previews).

A section names one subtree root in each of the section trees it limits (the trees a
content app declares with ``Content(..., section_root=True)``). Each content model
declares how its objects map onto the trees (``Content.sections``, e.g. ``{"region":
"country"}``; parts take their owner's through the foreign key; ``"pk"`` means the
object is a node of that tree itself): ``iomsite.content.section_paths``. An object is
inside a section when, for every tree the section limits, the model declares a path for
that tree and every node it names lies in the section's subtree (and there is at least
one). A user may work on objects inside any one of their sections. Models without a
declaration are not limited by sections.

A user is sectioned when one of their groups has sections and no permission on a
sectioned model reaches them from elsewhere (an unsectioned group or their own
permissions): permissions add up, so a wider grant wins. Superusers never are.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from iomsite import content

NOTHING = Q(pk__in=[])


def tree_model(tree):
    return content.section_trees()[tree].model


def tree_of(model):
    """The key of a section tree's model (``"theme"``), else None."""
    item = content.get(model)
    return item.key if item is not None and item.section_root else None


def node_q(root, prefix=""):
    """Nodes of ``root``'s subtree, root included (nested-set columns, no query)."""
    opts = root._mptt_meta
    at = f"{prefix}__" if prefix else ""
    return Q(
        **{
            f"{at}{opts.tree_id_attr}": getattr(root, opts.tree_id_attr),
            f"{at}{opts.left_attr}__gte": getattr(root, opts.left_attr),
            f"{at}{opts.right_attr}__lte": getattr(root, opts.right_attr),
        }
    )


def contains(root, node):
    opts = root._mptt_meta
    return (
        node is not None
        and getattr(node, opts.tree_id_attr) == getattr(root, opts.tree_id_attr)
        and getattr(root, opts.left_attr) <= getattr(node, opts.left_attr)
        and getattr(node, opts.right_attr) <= getattr(root, opts.right_attr)
    )


def is_multiple(model, path):
    """True when ``path`` crosses a many-to-many or reverse relation (several nodes per object)."""
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def section_field(model):
    """The foreign key to ``Section`` of a model that belongs to sections itself (images, documents), or None.

    Such a model declares ``section_field = "section"``; a row with no section belongs to the
    whole site: every user may choose it, only users without sections may change it.
    """
    return getattr(model, "section_field", None)


class Scope:
    """The sections of one sectioned user: a list of ``{tree: root node}`` (and their ids)."""

    def __init__(self, sections, section_ids=()):
        self.sections = sections
        self.section_ids = list(section_ids)

    def member_q(self, field, choosing=False):
        """Rows of a model with a ``section_field`` inside one's sections; site-wide ones too when choosing."""
        inside = Q(**{f"{field}__in": self.section_ids})
        return inside | Q(**{f"{field}__isnull": True}) if choosing else inside

    def __repr__(self):
        return f"<Scope {self.sections!r}>"

    def object_q(self, model, paths):
        """The objects of ``model`` inside at least one section."""
        result = NOTHING
        for roots in self.sections:
            section_q = Q()
            for tree, root in roots.items():
                path = paths.get(tree)
                if path is None:
                    section_q = NOTHING
                    break
                section_q &= self._path_q(model, path, root)
            result |= section_q
        return result

    def _path_q(self, model, path, root):
        if path == "pk":
            return node_q(root)
        if not is_multiple(model, path):
            return node_q(root, prefix=path)
        # Every named node inside, and at least one: editing it never touches another section's content.
        manager = model._default_manager
        outside = root.__class__._default_manager.exclude(node_q(root))
        return Q(pk__in=manager.filter(node_q(root, prefix=path)).values("pk")) & ~Q(
            pk__in=manager.filter(**{f"{path}__in": outside}).values("pk")
        )

    def choice_q(self, tree):
        """Nodes of ``tree`` this user may name in a form (a section that leaves the tree open opens it)."""
        result = NOTHING
        for roots in self.sections:
            if tree not in roots:
                return Q()
            result |= node_q(roots[tree])
        return result

    def allows_instance(self, instance, paths, cleaned_data, initial):
        """Whether an unsaved instance (from a form) lies inside a section; None when only the database can say.

        ``initial`` holds the form's initial values: a tree node may keep the parent it
        already has (a section root's parent lies outside the section).
        """
        undecided = False
        for roots in self.sections:
            verdict = True
            for tree, root in roots.items():
                path = paths.get(tree)
                nodes = None if path is None else self._instance_nodes(instance, path, cleaned_data, initial, root)
                if nodes is None:
                    undecided = undecided or path is not None
                    verdict = False
                    break
                if nodes is ALLOWED:
                    continue
                if not nodes or not all(contains(root, node) for node in nodes):
                    verdict = False
                    break
            if verdict:
                return True
        return None if undecided else False

    def _instance_nodes(self, instance, path, cleaned_data, initial, root):
        if path == "pk":
            parent_attr = instance._mptt_meta.parent_attr
            parent = getattr(instance, parent_attr)
            unchanged = instance.pk and getattr(instance, f"{parent_attr}_id") == _pk(initial.get(parent_attr))
            if unchanged and contains(root, instance):
                return ALLOWED  # unchanged position of a node already inside
            return [parent] if parent is not None else []
        if "__" in path:
            return None
        field = instance._meta.get_field(path)
        if field.many_to_many:
            if path in cleaned_data:
                return list(cleaned_data[path])
            return list(getattr(instance, path).all()) if instance.pk else []
        if field.one_to_many:
            return None
        node = getattr(instance, path)
        return [node] if node is not None else []


ALLOWED = object()


def _pk(value):
    return getattr(value, "pk", value)


def sectioned_models():
    """The content models that map onto the section trees (the tree models themselves included)."""
    return {item.model for item in content.content_models() if item.section_paths()}


def get_scope(user):
    """The user's Scope, or None when sections do not limit them. Two queries, once per request."""
    if not user.is_authenticated or user.is_superuser:
        return None
    if hasattr(user, "_workflow_scope"):
        return user._workflow_scope
    from iomsite.workflow.models import Section

    scope = None
    sections = Section.objects.for_user(user)
    if sections:
        content_types = ContentType.objects.get_for_models(*sectioned_models()).values()
        wider = (
            Permission.objects.filter(content_type__in=content_types)
            .filter(Q(user=user) | Q(group__user=user, group__sections__isnull=True))
            .exists()
        )
        if not wider:
            scope = Scope([section.roots() for section in sections], [section.pk for section in sections])
    user._workflow_scope = scope
    return scope


def protected_roots(model, nodes):
    """The sections whose root is one of ``nodes`` or under them (nodes of a section tree)."""
    tree = tree_of(model)
    if tree is None or not nodes:
        return []
    from iomsite.workflow.models import Section

    pks = set()
    for node in nodes:
        pks.update(node.get_descendants(include_self=True).values_list("pk", flat=True))
    return list(Section.objects.filter(root_rows__tree=tree, root_rows__node_id__in=pks).distinct())


def protect_roots(sender, instance, **kwargs):
    """Deleting a section's root would silently lift the section's limit: refuse, as a protected foreign key would."""
    from django.db.models import ProtectedError

    sections = protected_roots(sender, [instance])
    if sections:
        names = ", ".join(f"“{section}”" for section in sections)
        raise ProtectedError(f"“{instance}” is where the sections {names} start; change the sections first.", sections)


def connect():
    from django.db.models.signals import pre_delete

    for item in content.section_trees().values():
        pre_delete.connect(protect_roots, sender=item.model, dispatch_uid=f"workflow-protect-roots-{item.key}")
