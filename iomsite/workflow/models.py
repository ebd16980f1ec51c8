"""Sections (a group limited to subtrees) and the link checker's report."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Section(models.Model):
    """Limits a group to a theme subtree, a region subtree, or both (then only content in both).

    A group with sections edits only what lies inside one of them; see ``iomsite.workflow.sections``.
    The roots are protected: deleting a root would silently lift the limit.
    """

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=100, help_text=_("For example “Americas team”."))
    theme = models.ForeignKey(
        "themes.Theme",
        verbose_name=_("theme and its sub-topics"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Members edit only this theme, everything under it, and content tagged with them."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region and everything under it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Members edit only this region, its sub-regions and countries, and content about them."),
    )

    class Meta:
        ordering = ["group__name", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        # The workflow's one custom permission; Django keeps permissions on a model.
        permissions = [("publish_content", _("Can publish, schedule and unpublish content"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | Q(region__isnull=False),
                name="workflow_section_has_a_root",
                violation_error_message=_("Choose a theme, a region, or both."),
            ),
        ]

    def __str__(self):
        return self.name

    def roots(self):
        """``{"theme": node, "region": node}`` for the trees this section limits."""
        return {tree: node for tree, node in (("theme", self.theme), ("region", self.region)) if node is not None}


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
