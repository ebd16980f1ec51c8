"""One writer at a time per django-mptt tree table.

django-mptt keeps its nested-set columns (``lft``, ``rght``, ``tree_id``, ``level``)
right by reading them and then shifting whole ranges with raw ``UPDATE`` statements.
Two writers interleaving those steps corrupt the tree (the library's README says so).
``TreeWriteLockMixin`` runs every write in a transaction that first takes a
PostgreSQL advisory lock whose key is derived from the tree's table, so writes to one
tree table queue up while reads never wait. SQLite serialises writers by itself.

The lock must be held before django-mptt reads the columns it will shift, so it is
taken in two places:

- the model's ``save()``, ``delete()`` and ``move_to()``;
- the tree manager's ``move_node()``, ``insert_node()``, ``rebuild()`` and
  ``partial_rebuild()``: the admin's drag and drop (``DraggableMPTTAdmin._move_node``)
  calls ``model._tree_manager.move_node()`` directly, which reads both nodes' columns,
  shifts ranges and only then calls ``node.save()``. The mixin's metaclass gives the
  model's tree manager (whatever its class) these locking methods.

The advisory lock is a transaction lock: it is released at commit or rollback, and
taking it again inside the same transaction is free.
"""

import contextlib
import copy
import hashlib

from django.db import connections, router, transaction
from mptt.managers import TreeManager
from mptt.models import MPTTModel, MPTTModelBase


def tree_lock_key(model):
    """A stable signed 64-bit key for the model's tree table (the same in every process)."""
    table = (model._tree_manager.tree_model or model)._meta.db_table
    digest = hashlib.sha256(f"iomsite.tree:{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def tree_write(model, using=None):
    """A transaction holding the model's tree lock (on PostgreSQL) until it ends."""
    using = using or router.db_for_write(model)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [tree_lock_key(model)])
        yield


def refresh_tree_fields(*nodes):
    """Re-read the tree columns (and parent) of saved ``nodes`` once the lock is held.

    django-mptt shifts ranges from the columns of the objects it is given; objects read
    before the lock (a loop over nodes, the admin's drag and drop, ``move_to()``) may
    carry columns that another writer has shifted since.
    """
    for node in nodes:
        if node is None or node.pk is None or node._state.adding:
            continue
        opts = node._mptt_meta
        fields = [opts.left_attr, opts.right_attr, opts.tree_id_attr, opts.level_attr, opts.parent_attr]
        node.refresh_from_db(fields=fields)


class TreeWriteLockManagerMixin:
    """Locking versions of the tree manager's writing entry points."""

    def move_node(self, node, target, position="last-child"):
        with tree_write(self.model, node._state.db or self.db):
            refresh_tree_fields(node, target)
            return super().move_node(node, target, position)

    def insert_node(self, node, target, *args, **kwargs):
        with tree_write(self.model, node._state.db or self.db):
            refresh_tree_fields(target)
            return super().insert_node(node, target, *args, **kwargs)

    def rebuild(self, *args, **kwargs):
        with tree_write(self.model, self.db):
            return super().rebuild(*args, **kwargs)

    def partial_rebuild(self, *args, **kwargs):
        with tree_write(self.model, self.db):
            return super().partial_rebuild(*args, **kwargs)


_LOCKING_MANAGERS = {}


def locking_manager_class(manager_class):
    if issubclass(manager_class, TreeWriteLockManagerMixin):
        return manager_class
    if manager_class not in _LOCKING_MANAGERS:
        _LOCKING_MANAGERS[manager_class] = type(
            f"Locking{manager_class.__name__}",
            (TreeWriteLockManagerMixin, manager_class),
            {"__module__": __name__},
        )
    return _LOCKING_MANAGERS[manager_class]


class TreeWriteLockBase(MPTTModelBase):
    """Gives every tree manager of a concrete model the locking methods, keeping its own class.

    That covers ``_tree_manager`` (used by the admin and by the model's own methods) and
    ``objects`` (``Model.objects.rebuild()``). A manager inherited from an abstract base
    (``MPTTModel.objects``) is shared with other models, so the model gets its own copy.
    """

    def __new__(meta, class_name, bases, class_dict):
        cls = super().__new__(meta, class_name, bases, class_dict)
        if cls._meta.abstract:
            return cls
        seen = set()
        for base in cls.__mro__:
            opts = base.__dict__.get("_meta")
            for manager in list(opts.local_managers) if opts is not None else ():
                if manager.name in seen:
                    continue
                seen.add(manager.name)
                if not isinstance(manager, TreeManager):
                    continue
                if base is cls:
                    manager.__class__ = locking_manager_class(type(manager))
                else:
                    own = copy.copy(manager)
                    own.__class__ = locking_manager_class(type(manager))
                    cls.add_to_class(manager.name, own)
        # django-mptt may keep its own copy of the default manager as ``_tree_manager``.
        tree_manager = cls.__dict__.get("_tree_manager")
        if isinstance(tree_manager, TreeManager):
            tree_manager.__class__ = locking_manager_class(type(tree_manager))
        return cls


class TreeWriteLockMixin(MPTTModel, metaclass=TreeWriteLockBase):
    """Serialise writes to this django-mptt tree: ``class Theme(TreeWriteLockMixin, MPTTModel, …)``."""

    class Meta:
        abstract = True

    def _write_db(self, using=None):
        return using or self._state.db or router.db_for_write(type(self), instance=self)

    def save(self, *args, **kwargs):
        with tree_write(type(self), self._write_db(kwargs.get("using"))):
            self._refresh_cached_parent()
            super().save(*args, **kwargs)

    save.alters_data = True

    def _refresh_cached_parent(self):
        """Re-read the parent's tree columns now that the lock is held.

        A parent loaded earlier (by the admin form, or a loop over nodes) may carry columns
        that another writer has shifted since; django-mptt's ``save()`` refreshes the node
        it moves but uses the parent it is given as it is, and would shift the wrong ranges.
        """
        opts = self._mptt_meta
        field = self._meta.get_field(opts.parent_attr)
        if not field.is_cached(self):
            return  # mptt fetches it itself, after the lock
        parent = field.get_cached_value(self)
        if parent is not None and parent.pk is not None and not parent._state.adding:
            parent.refresh_from_db(fields=[opts.left_attr, opts.right_attr, opts.tree_id_attr, opts.level_attr])

    def delete(self, *args, **kwargs):
        with tree_write(type(self), self._write_db(kwargs.get("using"))):
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def move_to(self, target, position="first-child"):
        with tree_write(type(self), self._write_db()):
            super().move_to(target, position)
