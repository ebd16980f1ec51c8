"""Trees whose addresses are slug paths: ``labour-migration/ethical-recruitment``, ``americas/central-america``."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from iomsite.trees import TreeWriteLockMixin, tree_write


class SlugPathNode(TreeWriteLockMixin):
    """A django-mptt node addressed by its slugs from the root, any depth.

    ``path`` is stored (indexed; subclasses add its unique constraint) so a page is found in
    one query. ``save()`` keeps it right, under the tree's write lock, for the node and (in
    one UPDATE) its descendants, on every rename and move; the old addresses of the node and
    of everything under it answer with a permanent redirect (``iomsite.redirects``).
    Subclasses have ``slug`` and ``parent`` fields.
    """

    path = models.CharField(max_length=1000, editable=False, db_index=True, blank=True)

    class Meta:
        abstract = True

    def stored_and_wanted_path(self):
        """(path stored now, path this node should have), in one query."""
        manager = type(self)._default_manager
        wanted = [pk for pk in (self.pk, self.parent_id) if pk is not None]
        found = dict(manager.filter(pk__in=wanted).values_list("pk", "path")) if wanted else {}
        prefix = f"{found[self.parent_id]}/" if self.parent_id in found else ""
        return found.get(self.pk), f"{prefix}{self.slug}"

    def path_taken(self):
        """Whether another node has the path this one would take (for ``clean()``)."""
        wanted = self.stored_and_wanted_path()[1]
        return type(self)._default_manager.filter(path=wanted).exclude(pk=self.pk).exists()

    def save(self, *args, **kwargs):
        from iomsite import redirects

        with tree_write(type(self), kwargs.get("using")):
            old_path, self.path = self.stored_and_wanted_path()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
            if old_path and old_path != self.path:
                redirects.note_old_addresses(self)  # of this node and what hangs under it, before they move
                # Descendants keep their own tail and take the new prefix, in one UPDATE.
                type(self)._default_manager.filter(path__startswith=f"{old_path}/").update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1), output_field=models.CharField())
                )
            super().save(*args, **kwargs)

    save.alters_data = True
