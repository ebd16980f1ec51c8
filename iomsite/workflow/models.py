"""Sections (a group limited to subtrees) and the link checker's report."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SectionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's sections, each with its roots loaded: two queries, and one per tree named."""
        sections = list(self.filter(group__user=user).distinct())
        rows = SectionRoot.objects.filter(section__in=sections) if sections else []
        load_roots(sections, rows)
        return sections


def load_roots(sections, rows):
    """Give each section its ``{tree: node}``; roots of a tree no app declares any more are left out."""
    from iomsite.content import section_trees

    trees = section_trees()
    rows = [row for row in rows if row.tree in trees]
    wanted = {}
    for row in rows:
        wanted.setdefault(row.tree, set()).add(row.node_id)
    nodes = {tree: trees[tree].model._default_manager.in_bulk(pks) for tree, pks in wanted.items()}
    by_section = {section.pk: section for section in sections}
    for section in sections:
        section._roots = {}
    for row in rows:
        node = nodes[row.tree].get(row.node_id)
        if node is not None:
            by_section[row.section_id]._roots[row.tree] = node


class Section(models.Model):
    """Limits a group to one subtree of each section tree it names (then only content inside all of them).

    A group with sections edits only what lies inside one of them; see ``iomsite.workflow.sections``.
    The trees are those a content app declares with ``Content(..., section_root=True)``; the roots
    are protected: deleting a root would silently lift the limit.
    """

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=100, help_text=_("For example “Americas team”."))

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["group__name", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        # The workflow's one custom permission; Django keeps permissions on a model.
        permissions = [("publish_content", _("Can publish, schedule and unpublish content"))]

    def __str__(self):
        return self.name

    def roots(self):
        """``{tree key: node}`` for the trees this section limits."""
        if not hasattr(self, "_roots"):
            load_roots([self], self.root_rows.all() if self.pk else [])
        return self._roots

    def set_roots(self, *nodes):
        """Limit the section to these nodes' subtrees (one node per tree); returns the section."""
        from iomsite.content import get

        rows = {}
        for node in nodes:
            item = get(node)
            if item is None or not item.section_root:
                raise ValueError(f"{node!r} is not a node of a section tree.")
            rows[item.key] = SectionRoot(section=self, tree=item.key, node_id=node.pk)
        self.root_rows.exclude(tree__in=rows).delete()
        for row in rows.values():
            SectionRoot.objects.update_or_create(section=self, tree=row.tree, defaults={"node_id": row.node_id})
        self.__dict__.pop("_roots", None)
        return self


class SectionRoot(models.Model):
    """The root of a section in one section tree (``tree`` is the tree's key in ``iomsite.content``)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="root_rows")
    tree = models.CharField(_("tree"), max_length=50)
    node_id = models.PositiveBigIntegerField(_("node"))

    class Meta:
        ordering = ["section_id", "tree"]
        verbose_name = _("section root")
        verbose_name_plural = _("section roots")
        constraints = [models.UniqueConstraint(fields=["section", "tree"], name="workflow_sectionroot_one_per_tree")]
        indexes = [models.Index(fields=["tree", "node_id"], name="workflow_sectionroot_node")]

    def __str__(self):
        return f"{self.tree}:{self.node_id}"


class BrokenLink(models.Model):
    """One broken link found by ``manage.py check_links`` (the latest run replaces the previous one)."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("On this site")
        EXTERNAL = "external", _("Other website")

    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("found in"), max_length=300)
    field = models.CharField(_("field"), max_length=100)
    url = models.CharField(_("link"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status_code = models.PositiveSmallIntegerField(_("answer code"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=300)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        ordering = ["content_type_id", "object_id", "field", "url"]
        verbose_name = _("broken link")
        verbose_name_plural = _("broken links")
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_brokenlink_object")]

    def __str__(self):
        return self.url


class DraftQuerySet(models.QuerySet):
    def for_object(self, obj):
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=obj.pk)

    def due(self, now):
        """Scheduled drafts whose moment has come."""
        return self.filter(state=Draft.State.SCHEDULED, publish_at__lte=now)


class Draft(models.Model):
    """The working draft of a live item: a snapshot of the object and its rows (decision 016).

    Visitors see the live row; the admin's change form reads and writes this snapshot, and
    publishing applies it to the rows in one transaction (``iomsite.workflow.drafts``).
    """

    class State(models.TextChoices):
        EDITING = "editing", _("Being edited")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")

    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("item"), max_length=300)
    data = models.JSONField(_("snapshot"))
    base_updated_at = models.DateTimeField(
        _("live version of"), help_text=_("The live item's last change when the draft began.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.EDITING, db_index=True)
    publish_at = models.DateTimeField(_("publish the changes at"), null=True, blank=True)
    comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("draft of a live item")
        verbose_name_plural = _("drafts of live items")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="workflow_draft_one_per_item")
        ]
        indexes = [models.Index(fields=["state", "publish_at"], name="workflow_draft_due")]

    def __str__(self):
        return self.object_repr

    @property
    def token(self):
        """What a change form loaded from this draft carries for the stale-form check."""
        return f"draft:{self.updated_at.isoformat()}"


class Activity(models.Model):
    """One line of the site-wide activity log: who did what to which item, when, in words."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DRAFTED = "drafted", _("Saved a draft")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNSCHEDULED = "unscheduled", _("Unscheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DISCARDED = "discarded", _("Discarded a draft")
        RESTORED = "restored", _("Restored")
        DELETED = "deleted", _("Deleted")

    when = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=12, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("item"), max_length=300)
    message = models.CharField(_("what happened"), max_length=500)

    class Meta:
        ordering = ["-when", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_activity_object")]

    def __str__(self):
        return self.message
