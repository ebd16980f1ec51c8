"""Tree integrity: the check command, the write lock, protected deletes, two writers at once."""

import json
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iomsite.models import Menu, MenuItem, Page
from iomsite.trees import TreeWriteLockManagerMixin, tree_lock_key
from tests.iomsite.factories import make_page

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("tree_worker.py")


def make_menu(children=3, grandchildren=2):
    root = MenuItem.objects.create(menu=Menu.FOOTER, title="Footer", url="/")
    for i in range(children):
        child = MenuItem.objects.create(menu=Menu.FOOTER, parent=root, title=f"Child {i}", url=f"/c{i}/")
        for j in range(grandchildren):
            MenuItem.objects.create(menu=Menu.FOOTER, parent=child, title=f"Leaf {i}.{j}", url=f"/c{i}/{j}/")
    return root


def check_trees():
    out = StringIO()
    call_command("check_trees", stdout=out)
    return out.getvalue()


def tree_rows():
    return list(MenuItem.objects.order_by("pk").values_list("pk", "parent_id", "tree_id", "lft", "rght", "level"))


def raw_update(sql, params):
    table = connection.ops.quote_name(MenuItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


@pytest.mark.django_db
def test_check_trees_passes_on_a_good_tree():
    make_menu()
    MenuItem.objects.get(title="Leaf 2.1").move_to(MenuItem.objects.get(title="Child 0"), "first-child")
    output = check_trees()
    assert "iomsite.MenuItem: ok (10 nodes in 1 trees)" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    "corruption, message",
    [
        # Child 1's interval slides into Child 0's: siblings overlap.
        ("UPDATE {table} SET lft = lft - 4 WHERE title = %s", ("Child 1", "sibling intervals overlap")),
        # A leaf claims a place outside its parent.
        ("UPDATE {table} SET lft = 30, rght = 31 WHERE title = %s", ("Leaf 0.0", "is not inside its parent")),
        # A leaf at the wrong depth.
        ("UPDATE {table} SET level = 5 WHERE title = %s", ("Leaf 1.1", "level 5")),
        # lft above rght.
        ("UPDATE {table} SET lft = rght + 1 WHERE title = %s", ("Leaf 2.0", "is not below rght")),
    ],
)
def test_check_trees_fails_on_a_corrupted_tree(corruption, message):
    make_menu()
    title, expected = message
    raw_update(corruption, [title])
    with pytest.raises(CommandError, match="Damaged trees: iomsite.MenuItem"):
        check_trees()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_trees", stdout=out)
    assert "iomsite.MenuItem: DAMAGED" in out.getvalue()
    assert expected in out.getvalue()


@pytest.mark.django_db
def test_check_trees_reports_a_gap_and_changes_nothing():
    make_menu()
    # Every interval stays well formed, but the root leaves a gap a rebuild would close.
    raw_update("UPDATE {table} SET rght = rght + 2 WHERE title = %s", ["Footer"])
    before = tree_rows()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_trees", stdout=out)
    assert "spans [1, 22] for 10 nodes" in out.getvalue()
    assert tree_rows() == before  # the check's rebuild was rolled back


@pytest.mark.django_db
def test_a_node_cut_loose_from_its_parent_is_reported():
    make_menu(children=2, grandchildren=0)
    raw_update("UPDATE {table} SET parent_id = NULL, level = 0 WHERE title = %s", ["Child 1"])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_trees", stdout=out)
    assert "2 roots" in out.getvalue()


@pytest.mark.django_db
def test_gaps_between_tree_ids_are_not_damage_and_the_rebuild_is_rolled_back():
    first, middle, last = make_menu(1, 1), make_menu(1, 1), make_menu(1, 1)
    middle.delete()  # leaves tree ids 1 and 3; a rebuild would renumber them 1 and 2
    before = tree_rows()
    assert {row[2] for row in before} == {first.tree_id, last.tree_id} and last.tree_id - first.tree_id == 2
    assert "iomsite.MenuItem: ok (6 nodes in 2 trees)" in check_trees()
    assert tree_rows() == before


def test_every_tree_model_of_the_project_takes_the_lock():
    from iomsite.management.commands.check_trees import tree_models
    from iomsite.trees import TreeWriteLockMixin

    models = tree_models()
    assert MenuItem in models
    for model in models:
        assert issubclass(model, TreeWriteLockMixin), f"{model._meta.label} writes its tree without the lock"
        assert isinstance(model._tree_manager, TreeWriteLockManagerMixin), model._meta.label


@pytest.mark.django_db
def test_every_tree_manager_takes_the_lock():
    for manager in (MenuItem._tree_manager, MenuItem.objects, MenuItem._default_manager):
        assert isinstance(manager, TreeWriteLockManagerMixin)
    key = tree_lock_key(MenuItem)
    assert -(2**63) <= key < 2**63 and key == tree_lock_key(MenuItem)


@pytest.mark.django_db
def test_admin_drag_and_drop_moves_keep_the_tree_valid(staff_client):
    make_menu()
    leaf, target = MenuItem.objects.get(title="Leaf 0.0"), MenuItem.objects.get(title="Child 2")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(
            "/admin/iomsite/menuitem/",
            {"cmd": "move_node", "cut_item": leaf.pk, "pasted_on": target.pk, "position": "last-child"},
        )
    assert response.status_code == 200 and response.content == b"OK, moved."
    assert MenuItem.objects.get(pk=leaf.pk).parent_id == target.pk
    assert "ok" in check_trees()
    if connection.vendor == "postgresql":
        sql = [query["sql"] for query in queries.captured_queries]
        lock = next(i for i, text in enumerate(sql) if "pg_advisory_xact_lock" in text)
        table = MenuItem._meta.db_table
        first_update = next(i for i, text in enumerate(sql) if text.startswith("UPDATE") and table in text)
        assert lock < first_update
        # After the lock, django-mptt re-reads the nodes' columns before shifting them.
        assert any(text.startswith("SELECT") and '"lft"' in text for text in sql[lock:first_update])


@pytest.mark.django_db
def test_deleting_a_page_used_by_a_menu_item_is_refused_with_its_name(staff_client):
    page = make_page(slug="contact-us", title="Contact us")
    MenuItem.objects.create(menu=Menu.FOOTER, title="Write to us", page=page)
    response = staff_client.post(f"/admin/iomsite/page/{page.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "protected" in body and "Write to us" in body
    assert Page.objects.filter(pk=page.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_editing_one_tree_at_once_leave_it_valid():
    make_menu(children=4, grandchildren=3)
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict),
        "DJANGO_CONN_MAX_AGE": "0",
    }
    start_at = time.time() + 4  # both import Django first, then start together
    operations = 120
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(seed), str(operations), str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    results = []
    for worker in workers:
        stdout, stderr = worker.communicate(timeout=240)
        assert worker.returncode == 0, stderr[-3000:]
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    inserted = sum(result["inserted"] for result in results)
    moved = sum(result["moved"] + result["reparented"] for result in results)
    assert inserted > 50 and moved > 50, results
    assert MenuItem.objects.count() == 17 + inserted
    output = check_trees()
    assert "iomsite.MenuItem: ok" in output, output
