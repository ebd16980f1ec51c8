"""A separate process that edits one menu tree at random (used by test_trees.py).

    python tests/hardening/tree_worker.py SEED OPERATIONS START_AT

Runs against DATABASE_URL; waits until the clock reaches START_AT so that two workers
start together; prints one JSON line: how many nodes it inserted, moved, refused.
With TREE_WORKER_NO_LOCK=1 it edits without the tree lock (to see the damage it prevents).
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomsite.settings")

import django

django.setup()

from mptt.exceptions import InvalidMove  # noqa: E402

from iomsite.models import Menu, MenuItem  # noqa: E402

if os.environ.get("TREE_WORKER_NO_LOCK") == "1":
    # Only to show what the lock prevents: the same transactions without the advisory lock.

    from django.db import transaction

    import iomsite.trees

    iomsite.trees.tree_write = lambda model, using=None: transaction.atomic(using=using)


def main(seed, operations, start_at):
    rng = random.Random(seed)
    done = {"inserted": 0, "moved": 0, "reparented": 0, "refused": 0}
    while time.time() < start_at:
        time.sleep(0.005)
    for step in range(operations):
        nodes = list(MenuItem.objects.filter(menu=Menu.FOOTER))
        root = next(node for node in nodes if node.parent_id is None)
        others = [node for node in nodes if node.pk != root.pk]
        roll = rng.random()
        try:
            if roll < 0.4 or not others:
                parent = rng.choice(nodes)
                MenuItem.objects.create(menu=Menu.FOOTER, parent=parent, title=f"w{seed}-{step}", url="/x/")
                done["inserted"] += 1
            elif roll < 0.8:
                node, target = rng.choice(others), rng.choice(others)
                node.move_to(target, rng.choice(["first-child", "last-child", "left", "right"]))
                done["moved"] += 1
            else:
                node, parent = rng.choice(others), rng.choice(nodes)
                node.parent = parent
                node.save()
                done["reparented"] += 1
        except (InvalidMove, MenuItem.DoesNotExist):
            done["refused"] += 1  # moving a node into itself, with the stale view this loop had
    sys.stdout.write(json.dumps(done) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
