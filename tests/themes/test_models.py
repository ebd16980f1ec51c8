import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iomsite.models import Redirect, Status
from tests.themes.factories import grow_tree, make_chain, make_theme
from themes.models import Theme

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0, 0))


def paths(queryset):
    return set(queryset.values_list("path", flat=True))


def test_a_draft_ancestor_hides_the_whole_subtree():
    root, child, grandchild = make_chain("root", "child", "grandchild")
    child.status = Status.DRAFT
    child.save()
    assert paths(Theme.objects.published()) == {"root"}
    assert grandchild.is_live  # live on its own, hidden by its parent


def test_path_is_the_slug_path_from_the_root_at_any_depth():
    nodes = make_chain("labour-migration", "ethical-recruitment", "iris", "fees")
    assert [node.path for node in nodes] == [
        "labour-migration",
        "labour-migration/ethical-recruitment",
        "labour-migration/ethical-recruitment/iris",
        "labour-migration/ethical-recruitment/iris/fees",
    ]
    assert nodes[-1].get_absolute_url() == "/en/themes/labour-migration/ethical-recruitment/iris/fees/"


def test_moving_a_topic_rewrites_its_subtree_paths_and_keeps_redirects():
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    policy = make_theme("policy")
    ethical.move_to(policy, "last-child")
    ethical.refresh_from_db()
    iris.refresh_from_db()
    assert (ethical.path, iris.path) == ("policy/ethical", "policy/ethical/iris")
    assert {redirect.old_path: redirect.target.path for redirect in Redirect.objects.all()} == {
        "/themes/labour/ethical/": "policy/ethical",
        "/themes/labour/ethical/iris/": "policy/ethical/iris",
    }
    Theme._tree_manager.rebuild()  # the tree stayed consistent: a rebuild changes nothing
    assert paths(Theme.objects.all()) == {"labour", "policy", "policy/ethical", "policy/ethical/iris"}


def test_changing_a_slug_rewrites_descendants_and_a_later_move_follows():
    root, child = make_chain("root", "child")
    root.slug = "renamed"
    root.save()
    child.refresh_from_db()
    assert child.path == "renamed/child"
    other = make_theme("other")
    child.move_to(other, "last-child")
    # The first old address follows the topic to where it is now: no chain of redirects.
    assert Redirect.objects.get(old_path="/themes/root/child/").target.path == "other/child"


def test_an_address_in_use_again_drops_its_old_redirect():
    root, child = make_chain("root", "child")
    child.slug = "new-name"
    child.save()
    assert Redirect.objects.filter(old_path="/themes/root/child/").exists()
    make_theme("child", parent=root)
    assert not Redirect.objects.filter(old_path="/themes/root/child/").exists()


def test_saving_without_a_change_makes_no_redirect():
    theme = make_theme("steady")
    theme.title = "Steady state"
    theme.save()
    theme.save(update_fields=["title"])
    assert not Redirect.objects.exists()


@pytest.mark.parametrize("slug", ["resources", "news-and-media"])
def test_tab_slugs_are_refused_with_a_message(slug):
    parent = make_theme("labour")
    theme = Theme(title="Resources", slug=slug, parent=parent, body="")
    with pytest.raises(ValidationError) as error:
        theme.full_clean()
    assert "tab" in str(error.value.message_dict["slug"])


def test_tab_slugs_are_refused_by_the_database_too():
    parent = make_theme("labour")
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(title="x", slug="resources", parent=parent)


def test_two_topics_cannot_share_an_address():
    parent = make_theme("labour")
    make_theme("fees", parent=parent)
    duplicate = Theme(title="Fees again", slug="fees", parent=parent)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "/themes/labour/fees/" in str(error.value.message_dict["slug"])
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The same slug under another parent is fine.
    make_theme("fees", parent=make_theme("policy")).full_clean()


def test_parent_is_protected():
    from django.db.models import ProtectedError

    root, _child = make_chain("root", "child")
    with pytest.raises(ProtectedError):
        root.delete()


def test_search_data_in_the_active_language():
    from django.utils import translation

    theme = make_theme("labour", title="Labour Migration", body="<p>Seventy countries.</p>")
    theme.title_fr = "Migration de main-d'œuvre"
    theme.save()
    with translation.override("fr"):
        data = theme.search_data()
    assert data["title"] == "Migration de main-d'œuvre"
    assert data["body"] == "Seventy countries."
    assert data["theme_ids"] == [theme.pk] and data["region_ids"] == [] and data["date"] is None


def test_registered_for_search_home_sitemap_and_demo():
    from iomsite import content

    assert content.search_spec(Theme).kind == "theme"
    assert any(facet.name == "theme" for facet in content.search_facets())
    assert "themes" in content.sitemaps()
    section = next(s for s in content.home_sections() if s.key == "themes")
    assert section.order == 10
    assert any(step.name == "themes" and step.order == 30 for step in content.demo_loaders())


def test_bulk_tree_helper_builds_a_consistent_tree():
    assert grow_tree(roots=2, children=3, grandchildren=2) == 2 * (1 + 3 + 3 * 2)
    node = Theme.objects.get(path="bulk-1/c2/g1")
    assert [a.path for a in node.get_ancestors()] == ["bulk-1", "bulk-1/c2"]
    before = list(Theme.objects.values_list("pk", "tree_id", "lft", "rght", "level"))
    Theme._tree_manager.rebuild()
    assert list(Theme.objects.values_list("pk", "tree_id", "lft", "rght", "level")) == before
