"""The Explore view: the whole site as one tree, opened a level at a time, as an editor clicks through it."""

import json
import re
from html import unescape

import pytest

from tests.consultations.factories import make_event
from tests.consultations.factories import make_series as make_consultation_series
from tests.iomsite.factories import make_page
from tests.publications.factories import build_report, make_publication
from tests.themes.factories import make_chain, make_theme
from tests.workflow.conftest import SECRET

pytestmark = pytest.mark.django_db

EXPLORE = "/admin/explore/"


def node_html(html, ident):
    """The line of one node (its row, not its children)."""
    dom_id = "node-" + ident.replace(":", "-").replace(".", "-")
    match = re.search(rf'<li id="{re.escape(dom_id)}"[^>]*>\s*<div class="explorer-row">(.*?)</div>', html, re.S)
    assert match, f"{ident} is not in the tree"
    return match.group(1)


def link(html, ident, css_class):
    row = node_html(html, ident)
    match = re.search(rf'<a class="{css_class}[^"]*" href="([^"]+)"', row)
    assert match, f"no {css_class} link on {ident}"
    return unescape(match.group(1))


def open_node(client, html, ident):
    """Follow a node's Open link as a browser without JavaScript does."""
    response = client.get(link(html, ident, "explorer-toggle"))
    assert response.status_code == 200
    return response.content.decode()


def ref(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def test_explore_from_the_top_to_a_chapter(staff_client):
    publication = make_publication("world-report", title="World Migration Report")
    entries = build_report(publication, chapters_per_part=(2,))
    make_publication("draft-report", published=False, title="Draft report")
    response = staff_client.get("/admin/")
    assert EXPLORE in response.content.decode()  # the way in, from the admin's home page
    html = staff_client.get(EXPLORE).content.decode()
    assert "Publications" in node_html(html, "app:publications")
    assert "World Migration Report" not in html  # nothing loaded before it is opened

    html = open_node(staff_client, html, "app:publications")
    row = node_html(html, ref(publication))
    assert "state-live" in row and "Live" in row
    assert "state-draft" in node_html(html, "publications.publication:" + str(publication.pk + 1))
    assert "Add table of contents entry" in row  # the chapters' add form, for this publication
    assert f"/admin/publications/tocentry/add/?publication={publication.pk}" in unescape(row)
    assert f"/admin/publications/publication/{publication.pk}/history/" in row
    assert "View live" in row and "/publications/world-report/" in row

    html = open_node(staff_client, html, ref(publication))
    part = entries["part-1"]
    assert "Foreword" in node_html(html, ref(entries["foreword"]))
    assert "Chapter title 2" not in html  # a part's chapters wait for the part to open

    html = open_node(staff_client, html, ref(part))
    chapter = entries["chapter-2"]
    row = node_html(html, ref(chapter))
    assert "Chapter title 2" in row and "state-live" in row  # a chapter shows its publication's state
    edit = link(html, ref(chapter), "explorer-title")
    assert edit == f"/admin/publications/tocentry/{chapter.pk}/change/"
    assert staff_client.get(edit).status_code == 200
    # Closing the part keeps the rest open.
    html = staff_client.get(link(html, ref(part), "explorer-toggle")).content.decode()
    assert "Foreword" in html and "Chapter title 2" not in html


def test_series_hold_their_events_and_themes_their_children(staff_client):
    series = make_consultation_series("humanitarian", title="Humanitarian Consultations")
    make_event(series, "geneva-2015", title="Geneva meeting")
    labour, ethical = make_chain("labour", "ethical")
    page = make_page(title="Terms and conditions")
    opened = f"app:consultations,{ref(series)},app:themes,{ref(labour)},app:iomsite"
    html = staff_client.get(f"{EXPLORE}?open={opened}").content.decode()
    assert "Geneva meeting" in html
    assert "Ethical" in node_html(html, ref(ethical))
    assert "Terms and conditions" in node_html(html, ref(page))
    languages = node_html(html, ref(page))
    assert "EN" in languages and "lang-missing" in languages  # no French or Spanish title yet


def test_fragment_gives_one_nodes_children(staff_client):
    labour, ethical = make_chain("labour", "ethical")
    response = staff_client.get(f"{EXPLORE}?node={ref(labour)}&fragment=1")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<ul class="explorer-children"')
    assert "Ethical" in html and "<html" not in html


@pytest.mark.parametrize("size", [2, 12])
def test_query_budget_per_level(staff_client, django_assert_max_num_queries, size):
    """Opening the publications and one publication costs the same at two sizes (one query per kind of child)."""
    publications = [make_publication(title=f"Report {n}") for n in range(size)]
    for publication in publications[:3]:
        build_report(publication, chapters_per_part=(size,))
    series = make_consultation_series()
    for n in range(size):
        make_event(series, title=f"Event {n}")
    opened = f"app:publications,{ref(publications[0])},app:consultations,{ref(series)}"
    with django_assert_max_num_queries(17):  # 16 measured: sign-in 5, one per kind of child per open level, session
        response = staff_client.get(f"{EXPLORE}?open={opened}")
    assert response.status_code == 200
    assert response.content.decode().count("explorer-node") >= size * 2


def test_a_level_shows_a_page_and_links_to_more(staff_client, settings):
    from iomsite.workflow import explorer

    series = make_consultation_series()
    for n in range(explorer.LIMIT + 3):
        make_event(series, f"event-{n:03}", title=f"Event {n:03}")
    html = staff_client.get(f"{EXPLORE}?open=app:consultations,{ref(series)}").content.decode()
    more = re.search(r'<li class="explorer-more"><a href="([^"]+)"', html)
    assert more
    html = staff_client.get(unescape(more.group(1))).content.decode()
    assert html.count('class="explorer-node') == 1 + 3  # the series and the three left


def test_search_and_reveal(staff_client):
    publication = make_publication(title="Atlas of mobility")
    entries = build_report(publication, chapters_per_part=(1,))
    html = staff_client.get(f"{EXPLORE}?q=Chapter+title").content.decode()
    chapter = entries["chapter-2"]
    row = node_html(html, ref(chapter))
    reveal = re.search(r'<a class="explorer-action action-reveal" href="([^"]+)"', row)
    html = staff_client.get(unescape(reveal.group(1))).content.decode()
    # The chapter is shown where it lives: its section, publication and part are open.
    assert "Atlas of mobility" in node_html(html, ref(publication))
    assert "Part 1" in node_html(html, ref(entries["part-1"]))
    assert "Chapter title 2" in node_html(html, ref(chapter))


@pytest.mark.parametrize(
    "query",
    ["node=nothing", "node=app:nope", "node=publications.publication:abc", "node=publications.publication:99999",
     "node=auth.user:1", "reveal=publications.publication:x", "open=%00", "offset=zz&node=app:themes",
     "node=app:themes&offset=999999999999999999999", "q=" + "x" * 500],
)  # fmt: skip
def test_bad_input_never_500(staff_client, query):
    response = staff_client.get(f"{EXPLORE}?{query}")
    assert response.status_code in (200, 400, 404)


def test_anonymous_and_non_staff_are_sent_to_login(client, django_user_model):
    assert client.get(EXPLORE).status_code == 302
    user = django_user_model.objects.create_user("visitor", password="pw-for-tests-only")
    client.force_login(user)
    assert client.get(EXPLORE).status_code == 302


def test_sectioned_editor_sees_their_section_only(amy_client, world):
    html = amy_client.get(f"{EXPLORE}?open=app:regions").content.decode()
    assert "Americas" in node_html(html, ref(world["americas"]))
    assert "Europe" not in html
    opened = f"app:regions,{ref(world['americas'])},{ref(world['central'])}"
    html = amy_client.get(f"{EXPLORE}?open={opened}").content.decode()
    assert "Honduras" in html
    assert SECRET not in amy_client.get(f"{EXPLORE}?q=Kingdom").content.decode()
    assert amy_client.get(f"{EXPLORE}?node={ref(world['spain'])}").status_code == 404


def test_the_chooser_finds_content_the_editor_may_see(staff_client, client, amy_client, world):
    theme = make_theme("migration-health", title="Migration health")
    data = json.loads(staff_client.get("/admin/explore/choose/?q=health").content)
    found = {item["ref"]: item for item in data["results"]}
    assert found[ref(theme)]["url"] == theme.get_absolute_url() and found[ref(theme)]["state"] == "Live"
    assert json.loads(staff_client.get("/admin/explore/choose/?q=").content) == {"results": []}
    assert client.get("/admin/explore/choose/?q=health").status_code == 302  # sign in first
    refs = {item["ref"] for item in json.loads(amy_client.get("/admin/explore/choose/?q=Kingdom").content)["results"]}
    assert ref(world["spain"]) not in refs  # another section's draft stays unseen


def test_the_series_form_lists_its_events_inside_the_editors_sections(staff_client, amy_client, world):
    series = make_consultation_series("regional", title="Regional consultations")
    near = make_event(series, "tegucigalpa-2016", title="Tegucigalpa meeting", country=world["honduras"])
    far = make_event(series, "madrid-2016", title=f"{SECRET} meeting", country=world["spain"], published=False)
    url = f"/admin/consultations/consultationseries/{series.pk}/change/"
    html = staff_client.get(url).content.decode()
    assert f"/admin/consultations/consultationevent/{near.pk}/change/" in html
    assert f"/admin/consultations/consultationevent/{far.pk}/change/" in html and "state-draft" in html
    assert f"/admin/consultations/consultationevent/add/?series={series.pk}" in html
    response = amy_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tegucigalpa meeting" in html and SECRET not in html
    edit = staff_client.get(f"/admin/consultations/consultationevent/{near.pk}/change/")
    assert edit.status_code == 200
