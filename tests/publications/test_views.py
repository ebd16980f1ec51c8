import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from publications.models import Publication, TocEntry
from tests.helpers import sitemap_pages
from tests.iomsite.factories import live, make_document, make_image
from tests.publications.factories import build_report, make_entry, make_publication, make_series

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def make_theme(slug, published=True):
    from themes.models import Theme

    fields = live() if published else {"status": "draft"}
    return Theme.objects.create(title=slug.replace("-", " ").title(), slug=slug, path=slug, **fields)


def make_region(slug, published=True):
    from regions.models import Region

    fields = live() if published else {"status": "draft"}
    return Region.objects.create(title=slug.replace("-", " ").title(), slug=slug, path=slug, **fields)


# The publication page


def test_publication_page_shows_facts_cover_download_and_contents(client, report):
    publication, _entries = report
    html = html_of(client.get("/en/publications/wmr/"))
    assert html.count("<h1") == 1 and "World Migration Report 2018</h1>" in html
    assert "edition 9" in html and "978-92-9068-742-9" in html and "2018" in html
    assert 'srcset="/media/renditions/' in html and "320w" in html  # responsive cover
    assert f'href="{publication.document.get_absolute_url()}"' in html
    assert "(PDF, 2.4 KB, English)" in html or "(PDF," in html
    assert "Two parts: data, then complex issues." in html
    # The table of contents: parts hold their chapters, in reading order.
    toc = html[html.index('id="contents"') :]
    positions = [toc.index(f'href="/en/publications/wmr/{slug}/"') for slug in ("foreword", "chapter-1", "part-1")]
    assert positions == sorted(positions)
    part_1 = toc[toc.index("/wmr/part-1/") : toc.index("/wmr/part-2/")]
    assert all(f"/wmr/chapter-{n}/" in part_1 for n in (2, 3, 4)) and "/wmr/chapter-5/" not in part_1
    assert toc.count('class="download"') == 11  # foreword and ten chapters


def test_publication_page_date_and_json_ld_book(client, report):
    publication, _entries = report
    publication.publication_date = date(2017, 11, 30)
    publication.save()
    html = html_of(client.get("/en/publications/wmr/"))
    assert '<time datetime="2017-11-30">' in html
    data = json_ld(html)
    assert data["@type"] == ["Book", "Report"]
    assert data["isbn"] == "9789290687429"
    assert data["datePublished"] == "2017-11-30"
    assert data["bookEdition"] == "9"
    assert data["inLanguage"] == "en"
    assert data["publisher"]["@type"] == "Organization"
    assert data["image"].startswith("http://testserver/media/renditions/")


def test_json_ld_cannot_break_out_of_its_script(client):
    make_publication("x", title="</script><script>alert(1)</script>")
    html = html_of(client.get("/en/publications/x/"))
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_translations_are_linked_both_ways_on_the_pages(client):
    english = make_publication("wmr-en", title="World Migration Report 2018", language="en")
    french = make_publication("wmr-fr", title="État de la migration dans le monde 2018", language="fr")
    english.translations.add(french)
    html = html_of(client.get("/en/publications/wmr-en/"))
    assert (
        '<a href="/en/publications/wmr-fr/" hreflang="fr" lang="fr">État de la migration dans le monde 2018</a>' in html
    )
    assert json_ld(html)["workTranslation"][0]["inLanguage"] == "fr"
    html = html_of(client.get("/en/publications/wmr-fr/"))
    assert '<a href="/en/publications/wmr-en/" hreflang="en" lang="en">World Migration Report 2018</a>' in html
    assert json_ld(html)["translationOfWork"][0]["name"] == "World Migration Report 2018"


def test_draft_translation_is_not_linked(client):
    english = make_publication("wmr-en", language="en")
    english.translations.add(make_publication("wmr-es", published=False, title="Informe secreto", language="es"))
    html = html_of(client.get("/en/publications/wmr-en/"))
    assert "Informe secreto" not in html and "In other languages" not in html


def test_related_themes_and_regions_published_only(client):
    publication = make_publication("wmr")
    publication.themes.add(make_theme("labour-migration"), make_theme("hidden-theme", published=False))
    publication.regions.add(make_region("europe"), make_region("hidden-region", published=False))
    html = html_of(client.get("/en/publications/wmr/"))
    assert "Labour Migration" in html and "Europe" in html
    assert "Hidden Theme" not in html and "Hidden Region" not in html


def test_publication_page_in_french_falls_back_with_lang(client):
    make_publication("wmr", title="World Migration Report 2018", title_fr="État de la migration dans le monde 2018",
                     summary="English summary")  # fmt: skip
    html = html_of(client.get("/fr/publications/wmr/"))
    assert '<html lang="fr">' in html
    assert "<h1>État de la migration dans le monde 2018</h1>" in html
    assert '<p class="lead" lang="en">English summary</p>' in html


# The chapter page


def test_chapter_page_shows_part_download_and_neighbours(client, report):
    _publication, entries = report
    html = html_of(client.get("/en/publications/wmr/chapter-4/"))
    assert html.count("<h1") == 1 and "Chapter 4 – Chapter title 4</h1>" in html
    assert '<a href="/en/publications/wmr/part-1/">Part 1 – Part 1</a>' in html
    assert 'href="/en/publications/wmr/chapter-3/" rel="prev"' in html
    assert 'href="/en/publications/wmr/chapter-5/" rel="next"' in html  # across the part boundary
    assert 'href="/en/publications/wmr/#contents"' in html
    assert '<a href="/en/publications/wmr/chapter-4/" aria-current="page">' in html  # side table of contents
    assert f'href="{entries["chapter-4"].document.get_absolute_url()}"' in html
    data = json_ld(html)
    assert data["@type"] == "Chapter" and data["position"] == 5
    assert data["isPartOf"]["@type"] == "Book" and data["isPartOf"]["isbn"] == "9789290687429"


def test_first_and_last_entries_have_one_neighbour(client, report):
    html = html_of(client.get("/en/publications/wmr/foreword/"))
    assert 'rel="prev"' not in html and 'href="/en/publications/wmr/chapter-1/" rel="next"' in html
    html = html_of(client.get("/en/publications/wmr/chapter-10/"))
    assert 'href="/en/publications/wmr/chapter-9/" rel="prev"' in html and 'rel="next"' not in html


def test_part_page_lists_its_chapters(client, report):
    html = html_of(client.get("/en/publications/wmr/part-2/"))
    assert "Chapters in this part" in html
    assert all(f"/wmr/chapter-{n}/" in html for n in range(5, 11))
    assert 'href="/en/publications/wmr/chapter-4/" rel="prev"' in html
    assert "application/ld+json" not in html  # a part is not a chapter


def test_unknown_chapter_or_chapter_of_another_publication_is_404(client, report):
    other = make_publication("other")
    make_entry(other, "Theirs", slug="theirs")
    assert client.get("/en/publications/wmr/nope/").status_code == 404
    assert client.get("/en/publications/wmr/theirs/").status_code == 404
    assert client.get("/en/publications/other/theirs/").status_code == 200


# Downloads


def test_chapter_download_serves_the_pdf_with_headers_and_bytes(client, report):
    _publication, entries = report
    html = html_of(client.get("/en/publications/wmr/chapter-2/"))
    url = re.search(r'<a class="download" href="([^"]+)">Download this chapter</a>', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    document = entries["chapter-2"].document
    body = b"".join(response.streaming_content)
    with document.file.open("rb") as handle:
        assert body == handle.read()
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(document.file_size) == str(len(body))
    assert 'filename="chapter-pdf.pdf"' in response["Content-Disposition"]


def test_whole_report_download_uses_its_clean_name(client, report):
    publication, _entries = report
    response = client.get(publication.document.get_absolute_url())
    assert response.status_code == 200
    assert 'filename="world-migration-report-2018.pdf"' in response["Content-Disposition"]
    assert int(response["Content-Length"]) == publication.document.file_size


# Drafts and preview


def test_draft_publication_and_its_chapters_are_hidden_everywhere(client):
    draft = make_publication("secret-report", published=False, title="Secret report")
    make_entry(draft, "Secret chapter", slug="secret-chapter")
    make_publication("open-report", title="Open report")
    assert client.get("/en/publications/secret-report/").status_code == 404
    assert client.get("/en/publications/secret-report/secret-chapter/").status_code == 404
    surfaces = ("/en/publications/", "/en/publications/feed/", "/en/publications/feed/atom/", "/en/")
    for url in (*surfaces, "/sitemap-publications.xml"):
        body = client.get(url).content.decode()
        assert "Open report" in body or "open-report" in body, url
        assert "Secret" not in body and "secret-" not in body, url


def test_staff_preview_a_draft_and_its_chapters_without_cache(client, staff_client):
    draft = make_publication("secret-report", published=False, title="Secret report")
    make_entry(draft, "Secret chapter", slug="secret-chapter")
    for url in ("/en/publications/secret-report/", "/en/publications/secret-report/secret-chapter/"):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "Preview" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]
    assert "secret-report" not in staff_client.get("/en/publications/").content.decode()


def test_scheduled_publication_appears_on_time(client):
    moment = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0))
    publication = make_publication("soon", publish_at=moment + timedelta(minutes=5))
    make_entry(publication, "First", slug="first")
    with time_machine.travel(moment, tick=False):
        assert client.get("/en/publications/soon/").status_code == 404
        assert client.get("/en/publications/soon/first/").status_code == 404
    with time_machine.travel(moment + timedelta(minutes=6), tick=False):
        assert client.get("/en/publications/soon/").status_code == 200
        assert client.get("/en/publications/soon/first/").status_code == 200


def test_expired_publication_is_gone(client):
    make_publication(
        "old", publish_at=timezone.now() - timedelta(days=2), unpublish_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get("/en/publications/old/").status_code == 404


# The listing


def titles_in(html):
    return re.findall(r'<h3><a href="/en/publications/[^"]+/"[^>]*>([^<]+)</a></h3>', html)


def test_listing_newest_first(client):
    make_publication("a", title="Older", year=2015)
    make_publication("b", title="Newest late", year=2018, publication_date=date(2018, 6, 1))
    make_publication("c", title="Newest early", year=2018, publication_date=date(2018, 1, 1))
    make_publication("d", title="Middle", year=2017)
    html = html_of(client.get("/en/publications/"))
    assert titles_in(html) == ["Newest late", "Newest early", "Middle", "Older"]
    assert html.count("<h1") == 1


def filter_fixture():
    wmr = make_series("world-migration-report", title="World Migration Report")
    papers = make_series("thematic-papers", title="Thematic Papers")
    theme, region = make_theme("labour-migration"), make_region("europe")
    one = make_publication("one", title="One", year=2018, series=wmr, language="en")
    two = make_publication("two", title="Two", year=2018, series=wmr, language="fr")
    three = make_publication("three", title="Three", year=2017, series=papers, language="en")
    one.themes.add(theme)
    three.themes.add(theme)
    two.regions.add(region)
    make_publication("draft", published=False, title="Draft", year=2016, series=papers)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["One", "Two", "Three"]),
        ("?series=world-migration-report", ["One", "Two"]),
        ("?year=2017", ["Three"]),
        ("?theme=labour-migration", ["One", "Three"]),
        ("?region=europe", ["Two"]),
        ("?language=fr", ["Two"]),
        ("?series=world-migration-report&language=en", ["One"]),
        ("?year=2016", ["One", "Two", "Three"]),  # only a draft has that year: not a choice, ignored
    ],
)
def test_listing_filters(client, query, expected):
    filter_fixture()
    html = html_of(client.get(f"/en/publications/{query}"))
    assert sorted(titles_in(html)) == sorted(expected)


@pytest.mark.parametrize(
    "query",
    [
        "?year=20x8",
        "?year=99999999999999999999",
        "?series=nope",
        "?theme=%3Cscript%3E",
        "?region=atlantis",
        "?language=de",
        "?year=2018%00",
        "?series[]=x&year=",
        "?theme=" + "x" * 5000,
    ],
)
def test_bad_filter_values_are_reported_never_a_500(client, query):
    filter_fixture()
    response = client.get(f"/en/publications/{query}")
    html = html_of(response)
    assert len(titles_in(html)) >= 3 or "series[]" in query
    assert "<script>" not in html


def test_a_bad_filter_leaves_the_good_ones_working(client):
    filter_fixture()
    html = html_of(client.get("/en/publications/?year=abc&language=fr"))
    assert titles_in(html) == ["Two"]
    assert "Some filters were not understood" in html
    assert 'name="robots" content="noindex' in html


def test_filter_choices_come_from_published_content(client):
    filter_fixture()
    make_theme("unused-theme")
    html = html_of(client.get("/en/publications/"))
    assert '<option value="labour-migration">' in html
    assert "unused-theme" not in html
    assert '<option value="2016">' not in html  # only the draft has 2016


def tree_fixture():
    """Labour Migration > Ethical Recruitment > IRIS; Africa > East Africa > Kenya; a publication on each leaf."""
    from regions.models import Region
    from themes.models import Theme

    labour = Theme.objects.create(title="Labour Migration", slug="labour-migration", **live())
    ethical = Theme.objects.create(title="Ethical Recruitment", slug="ethical-recruitment", parent=labour, **live())
    iris = Theme.objects.create(title="IRIS", slug="iris", parent=ethical, **live())
    Theme.objects.create(title="Hidden topic", slug="hidden-topic", parent=labour, status="draft")
    africa = Region.objects.create(title="Africa", slug="africa", **live())
    east = Region.objects.create(title="East Africa", slug="east-africa", parent=africa, kind="subregion", **live())
    kenya = Region.objects.create(title="Kenya", slug="kenya", parent=east, kind="country", iso_code="KE", **live())
    on_iris = make_publication("on-iris", title="On IRIS")
    on_iris.themes.add(iris)
    on_ethics = make_publication("on-ethics", title="On ethics")
    on_ethics.themes.add(ethical)
    on_ethics.regions.add(kenya)
    make_publication("elsewhere", title="Elsewhere")


def options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_theme_and_region_filters_offer_main_topics_regions_and_sub_regions(client):
    tree_fixture()
    html = html_of(client.get("/en/publications/"))
    assert options(html, "theme") == ["", "labour-migration"]
    assert options(html, "region") == ["", "africa", "east-africa"]  # the countries are under them


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?theme=labour-migration", ["On IRIS", "On ethics"]),
        ("?region=africa", ["On ethics"]),
        ("?region=east-africa", ["On ethics"]),
        ("?theme=labour-migration&region=africa", ["On ethics"]),
    ],
)
def test_a_filter_includes_publications_on_anything_under_the_choice(client, query, expected):
    tree_fixture()
    html = html_of(client.get(f"/en/publications/{query}"))
    assert sorted(titles_in(html)) == sorted(expected)
    assert "Some filters were not understood" not in html


@pytest.mark.parametrize(
    ("query", "expected", "selected"),
    [
        ("?theme=ethical-recruitment", ["On IRIS", "On ethics"], ("theme", "ethical-recruitment")),
        ("?theme=iris", ["On IRIS"], ("theme", "iris")),
        ("?region=kenya", ["On ethics"], ("region", "kenya")),
    ],
)
def test_an_older_link_to_a_sub_topic_or_country_still_filters(client, query, expected, selected):
    tree_fixture()
    response = client.get(f"/en/publications/{query}")
    html = html_of(response)
    assert response.status_code == 200
    assert sorted(titles_in(html)) == sorted(expected)
    assert "Some filters were not understood" not in html
    assert f'<option value="{selected[1]}" selected>' in html


def test_a_draft_sub_topic_is_not_a_filter(client):
    tree_fixture()
    html = html_of(client.get("/en/publications/?theme=hidden-topic"))
    assert "Some filters were not understood" in html
    assert len(titles_in(html)) == 3 and "Hidden topic" not in html


def test_listing_pages_and_bad_page_numbers(client):
    for index in range(14):
        make_publication(f"p-{index}", year=2000 + index)
    assert len(titles_in(html_of(client.get("/en/publications/")))) == 12
    html = html_of(client.get("/en/publications/?page=2"))
    assert len(titles_in(html)) == 2
    for bad in ("0", "3", "-1", "abc", "1.5", "9" * 30, "%00"):
        assert client.get(f"/en/publications/?page={bad}").status_code == 404, bad


def test_listing_links_its_feeds(client):
    html = html_of(client.get("/en/publications/"))
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/en/publications/feed/"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/en/publications/feed/atom/"' in html


# Feeds, sitemap, home


def test_feeds_list_latest_publications_with_their_download(client, report):
    publication, _entries = report
    response = client.get("/en/publications/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = response.content.decode()
    assert "<title>World Migration Report 2018</title>" in rss
    enclosure = re.search(r"<enclosure [^>]+>", rss).group(0)
    assert f'url="http://testserver{publication.document.get_absolute_url()}"' in enclosure
    assert 'type="application/pdf"' in enclosure and f'length="{publication.document.file_size}"' in enclosure
    atom = client.get("/en/publications/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "World Migration Report 2018" in atom.content.decode()


def test_sitemap_lists_publications_and_chapters_in_their_languages(client, report):
    chapter = report[0].toc_entries.get(slug="chapter-2")
    chapter.title_fr = "Chapitre 2"
    chapter.save()
    xml = sitemap_pages(client)
    assert "http://testserver/en/publications/wmr/" in xml
    assert "http://testserver/fr/publications/wmr/chapter-2/" in xml
    assert "http://testserver/es/publications/wmr/chapter-2/" not in xml  # not translated: English only
    assert "<loc>http://testserver/fr/publications/wmr/</loc>" not in xml


def test_home_leads_with_the_newest_publication_then_lists_the_next_ones(client, report):
    make_publication("older-paper", title="An Older Paper", year=2010, cover=make_image("Older cover"))
    html = html_of(client.get("/en/"))
    lead = html[html.index('id="home-lead"') : html.index("</section>", html.index('id="home-lead"'))]
    assert "World Migration Report 2018" in lead and "An Older Paper" not in lead
    assert '<img src="/media/renditions/' in lead
    assert 'loading="lazy"' in lead  # the latest news leads the page now: the cover is below a phone's first screen
    latest = html[html.index('id="home-publications"') :]
    assert "An Older Paper" in latest and "World Migration Report 2018" not in latest.split("</section>")[0]
    assert 'href="/en/publications/"' in latest


# Query bounds


def fill(chapters, publications):
    cover = make_image("Shared cover")
    document = make_document("Shared PDF")
    theme, region = make_theme("labour-migration"), make_region("europe")
    main = make_publication("main", cover=cover, document=document, isbn="978-92-9068-742-9")
    main.themes.add(theme)
    main.regions.add(region)
    per_part = max(1, chapters // 3)
    build_report(main, (per_part, chapters - per_part - 2), with_documents=True)
    for index in range(publications - 1):
        other = make_publication(f"other-{index}", cover=cover, document=document, year=2000 + index % 20)
        other.themes.add(theme)
        main.translations.add(other) if index < 2 else None
    return main


QUERY_BOUND = 8  # measured: 7 publication page, 6 chapter page, 8 listing, with the menus and site settings


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("chapters", "publications"), [(3, 2), (60, 200)])
def test_query_count_is_fixed(client, django_assert_max_num_queries, language, chapters, publications):
    fill(chapters, publications)
    assert TocEntry.objects.count() >= chapters
    assert Publication.objects.count() == publications
    for url in (
        f"/{language}/publications/main/",
        f"/{language}/publications/main/chapter-2/",
        f"/{language}/publications/main/part-1/",
        f"/{language}/publications/",
        f"/{language}/publications/?theme=labour-migration&page=1",
        f"/{language}/publications/feed/",
    ):
        with django_assert_max_num_queries(QUERY_BOUND):
            assert client.get(url).status_code == 200, url
