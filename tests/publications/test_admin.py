import pytest

from iomsite.models import Status
from publications.models import Publication, TocEntry
from tests.iomsite.factories import make_document, make_image
from tests.publications.factories import CHAPTER, PART, build_report, make_entry, make_publication, make_series

pytestmark = pytest.mark.django_db

CHANGE = "/admin/publications/publication/{}/change/"


def form_data(publication, **overrides):
    data = {
        "title_en": publication.title_en or "",
        "title_fr": publication.title_fr or "",
        "title_es": publication.title_es or "",
        "slug": publication.slug,
        "series": publication.series_id or "",
        "edition": publication.edition or "",
        "year": publication.year,
        "publication_date": "",
        "isbn": publication.isbn,
        "language": publication.language,
        "summary_en": publication.summary_en or "",
        "summary_fr": "",
        "summary_es": "",
        "body_en": "",
        "body_fr": "",
        "body_es": "",
        "cover": publication.cover_id or "",
        "document": publication.document_id or "",
        "translations": [p.pk for p in publication.translations.all()] if publication.pk else [],
        "themes": [],
        "regions": [],
        "status": publication.status,
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00:00",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        # The table of contents inline, left as it is (tests/publications/test_toc_inline.py edits it).
        "toc_entries-TOTAL_FORMS": "0",
        "toc_entries-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_pages_render(staff_client, report):
    publication, entries = report
    for url in (
        "/admin/publications/publication/",
        "/admin/publications/publication/?state=live&series__id__exact=1&language__exact=en",
        "/admin/publications/publication/?q=migration",
        "/admin/publications/publication/add/",
        CHANGE.format(publication.pk),
        "/admin/publications/publicationseries/",
        "/admin/publications/publicationseries/add/",
        "/admin/publications/tocentry/",
        f"/admin/publications/tocentry/?publication__id__exact={publication.pk}",
        f"/admin/publications/tocentry/add/?publication={publication.pk}",
        f"/admin/publications/tocentry/{entries['chapter-2'].pk}/change/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_change_form_shows_and_links_the_table_of_contents(staff_client, report):
    publication, entries = report
    html = staff_client.get(CHANGE.format(publication.pk)).content.decode()
    assert f"/admin/publications/tocentry/?publication__id__exact={publication.pk}" in html
    assert f"/admin/publications/tocentry/add/?publication={publication.pk}" in html
    assert f"/admin/publications/tocentry/{entries['chapter-10'].pk}/change/" in html
    assert html.index("Foreword") < html.index("Chapter 1 – Overview") < html.index("Chapter 10 –")


def test_translation_set_on_one_side_appears_on_the_other(staff_client):
    english = make_publication("wmr-en", title="World Migration Report 2018", language="en")
    french = make_publication("wmr-fr", title="État de la migration dans le monde 2018", language="fr")
    # Both are live: the changes are published with the button (a plain save would be a draft, decision 016).
    data = form_data(english, translations=[french.pk], _publish="1")
    response = staff_client.post(CHANGE.format(english.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(french.translations.all()) == [english]
    # The French edition's form now shows the link; saving it without the link removes both sides.
    html = staff_client.get(CHANGE.format(french.pk)).content.decode()
    assert f'<option value="{english.pk}" selected>' in html
    response = staff_client.post(CHANGE.format(french.pk), form_data(french, translations=[], _publish="1"))
    assert response.status_code == 302
    assert not english.translations.exists()


def test_a_publication_cannot_translate_itself_or_share_its_language(staff_client):
    english = make_publication("wmr-en", language="en")
    other_english = make_publication("other-en", language="en")
    response = staff_client.post(CHANGE.format(english.pk), form_data(english, translations=[english.pk]))
    assert response.status_code == 200 and "cannot be a translation of itself" in response.content.decode()
    response = staff_client.post(CHANGE.format(english.pk), form_data(english, translations=[other_english.pk]))
    assert response.status_code == 200 and "same one" in response.content.decode()
    assert not english.translations.exists()


def test_admin_refuses_a_bad_isbn(staff_client):
    publication = make_publication("x")
    response = staff_client.post(CHANGE.format(publication.pk), form_data(publication, isbn="978-92-9068-742-0"))
    assert response.status_code == 200
    assert "not a valid ISBN" in response.content.decode()


def test_admin_adds_a_publication_as_a_draft(staff_client, staff_user):
    series = make_series()
    data = form_data(
        Publication(title="New report", slug="new-report", year=2019, language="en"),
        title_en="New report",
        series=series.pk,
        edition=2,
        cover=make_image().pk,
        document=make_document().pk,
        status=Status.DRAFT,
    )
    response = staff_client.post("/admin/publications/publication/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    publication = Publication.objects.get(slug="new-report")
    assert publication.status == Status.DRAFT and publication.updated_by == staff_user


def entry_data(entry, **overrides):
    data = {
        "publication": entry.publication_id,
        "parent": entry.parent_id or "",
        "kind": entry.kind,
        "number_en": entry.number,
        "number_fr": "",
        "number_es": "",
        "title_en": entry.title,
        "title_fr": "",
        "title_es": "",
        "slug": entry.slug,
        "summary_en": "",
        "summary_fr": "",
        "summary_es": "",
        "document": entry.document_id or "",
    }
    data.update(overrides)
    return data


def test_entry_form_enforces_the_rules(staff_client):
    publication, other = (
        make_publication(published=False),
        make_publication(),
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    part = make_entry(publication, "Part", PART)
    chapter = make_entry(publication, "Chapter", parent=part)
    foreign_part = make_entry(other, "Foreign part", PART)
    text = make_document("Notes", content=b"just text", name="notes.txt")
    url = f"/admin/publications/tocentry/{chapter.pk}/change/"
    for overrides in (
        {"parent": foreign_part.pk},  # another publication's part
        {"kind": PART},  # a part inside a part
        {"document": text.pk},  # not a PDF
    ):
        response = staff_client.post(url, entry_data(chapter, **overrides))
        assert response.status_code == 200, overrides
        assert "errorlist" in response.content.decode(), overrides
    response = staff_client.post(url, entry_data(chapter, title_en="Renamed", document=make_document().pk))
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.title == "Renamed" and chapter.parent == part


def test_entry_added_from_the_publication_lands_at_the_end(staff_client):
    publication = make_publication(
        published=False
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    build_report(publication, (2,))
    data = entry_data(
        TocEntry(publication=publication, kind=CHAPTER, title="Annex", slug="annex"), number_en="", parent=""
    )
    response = staff_client.post("/admin/publications/tocentry/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    slugs = list(publication.toc_entries.order_by("tree_id", "lft").values_list("slug", flat=True))
    assert slugs[-1] == "annex"


def test_drag_and_drop_refuses_a_chapter_into_a_chapter(staff_client):
    publication = make_publication(
        published=False
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    entries = build_report(publication, (2,))
    url = "/admin/publications/tocentry/"
    move = {"cmd": "move_node", "position": "last-child"}
    response = staff_client.post(
        url, {**move, "cut_item": entries["chapter-2"].pk, "pasted_on": entries["chapter-3"].pk}
    )
    assert response.content.startswith(b"FAIL")
    response = staff_client.post(
        url, {**move, "position": "left", "cut_item": entries["chapter-3"].pk, "pasted_on": entries["chapter-2"].pk}
    )
    assert response.content.startswith(b"OK")
    slugs = list(publication.toc_entries.order_by("tree_id", "lft").values_list("slug", flat=True))
    assert slugs == ["foreword", "chapter-1", "part-1", "chapter-3", "chapter-2"]


def test_a_document_used_by_a_chapter_cannot_be_deleted(staff_client):
    publication = make_publication()
    document = make_document("Chapter PDF")
    make_entry(publication, "Chapter", document=document)
    response = staff_client.post(f"/admin/iomsite/document/{document.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode() or "protected" in response.content.decode()
    assert document.__class__.objects.filter(pk=document.pk).exists()
