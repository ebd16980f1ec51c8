"""Verify the nested-set columns of every django-mptt tree."""

from collections import Counter, defaultdict

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import router, transaction
from mptt.models import MPTTModel

from iomsite.trees import tree_write

MAX_REPORTED = 20


def tree_models():
    """Concrete models that own a tree table (not proxies or multi-table children)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, MPTTModel) and not model._meta.proxy and model._tree_manager.tree_model is model
    ]


def snapshot(model):
    """``{pk: (parent_pk, tree_id, lft, rght, level)}`` straight from the table."""
    opts = model._mptt_meta
    parent = model._meta.get_field(opts.parent_attr).attname
    columns = ("pk", parent, opts.tree_id_attr, opts.left_attr, opts.right_attr, opts.level_attr)
    rows = model._base_manager.order_by().values_list(*columns)
    return {row[0]: row[1:] for row in rows}


def structural_faults(nodes):
    """Every rule of a nested set that ``nodes`` (a snapshot) breaks, as sentences."""
    faults = []
    children = defaultdict(list)
    roots = defaultdict(list)
    for pk, (parent, tree_id, left, right, level) in nodes.items():
        if left >= right:
            faults.append(f"node {pk}: lft {left} is not below rght {right}")
        if (right - left) % 2 == 0:
            faults.append(f"node {pk}: rght - lft = {right - left} is even, so it cannot enclose whole nodes")
        if parent is None:
            roots[tree_id].append(pk)
            if level != 0:
                faults.append(f"node {pk}: a root at level {level}")
            continue
        if parent not in nodes:
            faults.append(f"node {pk}: parent {parent} does not exist")
            continue
        children[parent].append(pk)
        p_tree, p_left, p_right, p_level = nodes[parent][1:]
        if tree_id != p_tree:
            faults.append(f"node {pk}: in tree {tree_id} but its parent {parent} is in tree {p_tree}")
        elif not p_left < left < right < p_right:
            faults.append(f"node {pk}: [{left}, {right}] is not inside its parent {parent} [{p_left}, {p_right}]")
        if level != p_level + 1:
            faults.append(f"node {pk}: level {level} but its parent {parent} is at level {p_level}")
    sizes = Counter(node[1] for node in nodes.values())
    for tree_id, pks in roots.items():
        if len(pks) > 1:
            faults.append(f"tree {tree_id}: {len(pks)} roots ({', '.join(map(str, sorted(pks)))})")
        for pk in pks:
            left, right = nodes[pk][2:4]
            size = sizes[tree_id]
            if left != 1 or right != 2 * size:
                faults.append(f"tree {tree_id}: root {pk} spans [{left}, {right}] for {size} nodes")
    for pks in children.values():
        ordered = sorted(pks, key=lambda pk: nodes[pk][2])
        for before, after in zip(ordered, ordered[1:], strict=False):
            if nodes[before][3] >= nodes[after][2]:
                faults.append(
                    f"nodes {before} [{nodes[before][2]}, {nodes[before][3]}] and {after} "
                    f"[{nodes[after][2]}, {nodes[after][3]}]: sibling intervals overlap"
                )
    return faults


def normalised(nodes):
    """The snapshot with tree ids replaced by their rank: a rebuild renumbers trees 1..n."""
    ranks = {tree_id: rank for rank, tree_id in enumerate(sorted({node[1] for node in nodes.values()}), start=1)}
    return {
        pk: (parent, ranks[tree_id], left, right, level) for pk, (parent, tree_id, left, right, level) in nodes.items()
    }


def rebuild_changes(model, before):
    """What ``rebuild()`` changes in ``before``; the caller rolls the rebuild back."""
    model._tree_manager.rebuild()
    old, new = normalised(before), normalised(snapshot(model))
    return [
        f"node {pk}: (tree, lft, rght, level) {old[pk][1:]} would become {new[pk][1:]} after a rebuild"
        for pk in sorted(old)
        if old[pk] != new.get(pk)
    ]


def check(model):
    """``(node count, tree count, faults)``, read and rebuilt under the tree lock, then rolled back."""
    using = router.db_for_write(model)
    with tree_write(model, using):
        nodes = snapshot(model)
        faults = structural_faults(nodes) or rebuild_changes(model, nodes)
        transaction.set_rollback(True, using=using)
    return len(nodes), len({node[1] for node in nodes.values()}), faults


class Command(BaseCommand):
    help = (
        "Check every django-mptt tree: lft < rght, children inside their parents, no overlapping "
        "siblings, consistent levels, and a rebuild (rolled back) that changes nothing. "
        "Exits with status 1 and the details if any tree is damaged."
    )

    def handle(self, *args, **options):
        damaged = []
        for model in tree_models():
            label = model._meta.label
            count, trees, faults = check(model)
            if not faults:
                self.stdout.write(f"{label}: ok ({count} nodes in {trees} trees)")
                continue
            damaged.append(label)
            self.stdout.write(self.style.ERROR(f"{label}: DAMAGED, {len(faults)} problem(s) in {count} nodes"))
            for fault in faults[:MAX_REPORTED]:
                self.stdout.write(f"  {fault}")
            if len(faults) > MAX_REPORTED:
                self.stdout.write(f"  … and {len(faults) - MAX_REPORTED} more")
        if damaged:
            raise CommandError(
                f"Damaged trees: {', '.join(damaged)}. Repair with {{Model}}._tree_manager.rebuild() "
                "in `manage.py shell` after finding the cause (see docs/operations.md)."
            )
