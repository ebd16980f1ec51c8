import pytest
from django.core.exceptions import ValidationError

from regions.models import Region
from tests.regions.factories import build_americas, make_country, make_region

pytestmark = pytest.mark.django_db


def test_urls_follow_the_tree_at_each_level(client):
    americas, central, _caribbean, honduras, _salvador, _haiti = build_americas()
    assert americas.get_absolute_url() == "/en/regions/americas/"
    assert central.get_absolute_url() == "/en/regions/americas/central-america/"
    assert honduras.get_absolute_url() == "/en/regions/americas/central-america/honduras/"
    for region in (americas, central, honduras):
        response = client.get(region.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert f">{region.title}</h1>" in html
    html = client.get(honduras.get_absolute_url()).content.decode()
    # Breadcrumbs: Home › Regions › Americas › Central America › Honduras
    crumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
    for label, url in (("Regions", "/en/regions/"), (americas.title, americas.get_absolute_url())):
        assert f'<a href="{url}">{label}</a>' in crumbs
    assert '<span aria-current="page">Honduras</span>' in crumbs
    assert client.get("/en/regions/americas/honduras/").status_code == 404
    assert client.get("/fr/regions/americas/central-america/honduras/").status_code == 200


def test_regions_index_lists_regions_and_their_children(client):
    build_americas()
    make_region("europe", title="Europe and Central Asia")
    html = client.get("/en/regions/").content.decode()
    assert "Americas and the Caribbean" in html and "Europe and Central Asia" in html
    assert 'href="/en/regions/americas/central-america/"' in html
    assert html.count("<h1") == 1


def test_path_follows_renames_and_moves_with_descendants():
    americas, central, caribbean, honduras, _salvador, _haiti = build_americas()
    central.slug = "centroamerica"
    central.save()
    honduras.refresh_from_db()
    assert honduras.path == "americas/centroamerica/honduras"
    central.refresh_from_db()
    central.move_to(caribbean.__class__.objects.get(pk=americas.pk), "last-child")
    honduras.refresh_from_db()
    assert honduras.path == "americas/centroamerica/honduras"
    europe = make_region("europe")
    honduras.refresh_from_db()
    honduras.parent = Region.objects.get(pk=caribbean.pk)
    honduras.save()
    honduras.refresh_from_db()
    assert honduras.path == "americas/caribbean/honduras"
    europe.refresh_from_db()
    americas.refresh_from_db()
    americas.slug = "the-americas"
    americas.save()
    paths = set(Region.objects.values_list("path", flat=True))
    assert paths == {
        "the-americas",
        "the-americas/centroamerica",
        "the-americas/centroamerica/el-salvador",
        "the-americas/caribbean",
        "the-americas/caribbean/haiti",
        "the-americas/caribbean/honduras",
        "europe",
    }
    # Every path is the chain of slugs from the root.
    for region in Region.objects.all():
        expected = "/".join(node.slug for node in region.get_ancestors(include_self=True))
        assert region.path == expected


@pytest.mark.parametrize(
    ("kind", "parent_kind", "field"),
    [
        ("region", "region", "parent"),  # a region sits at the top
        ("subregion", None, "parent"),  # a sub-region sits under a region
        ("subregion", "subregion", "parent"),
        ("country", "country", "parent"),  # a country cannot have children
        ("subregion", "country", "parent"),
    ],
)
def test_structural_rules(kind, parent_kind, field):
    parents = {
        "region": make_region("top"),
    }
    parents["subregion"] = make_region("sub", parents["region"])
    parents["country"] = make_country("KE", parents["region"], slug="kenya")
    parent = parents.get(parent_kind)
    if parent is not None:
        parent.refresh_from_db()
    node = Region(kind=kind, title="New", slug="new", parent=parent, iso_code="FR" if kind == "country" else "")
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert field in error.value.message_dict


def test_allowed_placements():
    region = make_region("top")
    sub = make_region("sub", region)
    region.refresh_from_db()
    for parent in (region, sub):
        country = Region(kind="country", title="France", slug=f"france-{parent.slug}", parent=parent, iso_code="FR")
        country.full_clean(validate_unique=False, validate_constraints=False)
    Region(kind="subregion", title="Sub 2", slug="sub-2", parent=region).full_clean()


def test_a_country_with_children_cannot_stay_a_country():
    region = make_region("top")
    sub = make_region("sub", region)
    make_country("KE", sub, slug="kenya")
    sub.refresh_from_db()
    sub.kind = Region.Kind.COUNTRY
    sub.iso_code = "TZ"
    with pytest.raises(ValidationError) as error:
        sub.full_clean()
    assert "kind" in error.value.message_dict


def test_same_slug_under_the_same_parent_is_refused_elsewhere_allowed():
    region = make_region("top")
    make_region("sub", region)
    region.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        Region(kind="subregion", title="Sub", slug="sub", parent=region).full_clean()
    assert "slug" in error.value.message_dict
    other = make_region("other")
    Region(kind="subregion", title="Sub", slug="sub", parent=other).full_clean()


@pytest.mark.parametrize("slug", ["trends", "coverage", "resources", "offices", "figures"])
def test_slugs_used_by_the_site_are_refused(slug):
    with pytest.raises(ValidationError) as error:
        Region(kind="region", title="X", slug=slug).full_clean()
    assert "slug" in error.value.message_dict


@pytest.mark.parametrize("code", ["XX", "ZZ", "UK", "EU", "K", "123", "XK"])
def test_unknown_iso_codes_are_refused(code):
    region = make_region("top")
    country = Region(kind="country", title="Somewhere", slug="somewhere", parent=region, iso_code=code)
    with pytest.raises(ValidationError) as error:
        country.full_clean()
    assert "iso_code" in error.value.message_dict


def test_iso_code_normalised_required_unique_and_for_countries_only():
    region = make_region("top")
    kenya = Region(kind="country", title="Kenya", slug="kenya", parent=region, iso_code="ke")
    kenya.full_clean()
    kenya.save()
    assert kenya.iso_code == "KE"
    twin = Region(kind="country", title="Kenya again", slug="kenya-2", parent=region, iso_code="KE")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "Kenya" in error.value.message_dict["iso_code"][0]
    with pytest.raises(ValidationError) as error:
        Region(kind="country", title="No code", slug="no-code", parent=region).full_clean()
    assert "iso_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Region(kind="region", title="Coded region", slug="coded", iso_code="FR").full_clean()
    assert "iso_code" in error.value.message_dict


def test_database_refuses_duplicate_country_codes_and_paths():
    from django.db import IntegrityError, transaction

    region = make_region("top")
    make_country("KE", region, slug="kenya")
    region.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(kind="country", title="Twin", slug="twin", parent=region, iso_code="KE")
    region.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(kind="country", title="Kenya", slug="kenya", parent=region, iso_code="TZ")


def test_the_demo_reset_moves_countries_created_first_at_the_root_into_place():
    """A plain load leaves existing rows where they are (tests/news/test_demo.py); the reset moves them."""
    from io import StringIO

    from django.core.management import call_command

    Region.objects.create(kind="country", iso_code="KE", title="Kenya", slug="kenya", status="published")
    Region.objects.create(kind="country", iso_code="CH", title="Switzerland", slug="switzerland", status="published")
    call_command("load_demo_content", "--reset", stdout=StringIO())
    assert Region.objects.get(iso_code="KE").path == "east-and-horn-of-africa/kenya"
    assert Region.objects.get(iso_code="CH").path == "europe/western-europe/switzerland"
    assert Region.objects.filter(iso_code="KE").count() == 1
