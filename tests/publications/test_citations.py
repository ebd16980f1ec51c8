"""Cite this (issue 24): formatted styles, BibTeX / RIS / CSL-JSON downloads, scholarly meta tags, admin checks.

The expected strings were written by hand from the styles' rules (APA 7, BibTeX ``@incollection``)
for chapter 2 of the World Migration Report 2018 as its imprint page describes it: edited by
Marie McAuliffe and Martin Ruhs, published by IOM in Geneva in 2017, ISSN 1561-5502.
"""

import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from publications.citations import chapter_number, page_range, parse_names
from publications.validators import validate_doi, validate_issn
from tests.iomsite.factories import make_document
from tests.publications.factories import PART, make_entry, make_publication, make_series

pytestmark = pytest.mark.django_db

CHAPTER_URL = "http://testserver/en/publications/world-migration-report-2018/migration-and-migrants-global-overview/"


@pytest.fixture
def wmr(db):
    from iomsite.models import SiteSettings

    site = SiteSettings.load()
    site.name = "International Organization for Migration"
    site.save()
    publication = make_publication(
        "world-migration-report-2018",
        title="World Migration Report 2018",
        series=make_series("world-migration-report", title="World Migration Report"),
        edition=9,
        publication_date=date(2017, 11, 30),
        isbn="978-92-9068-742-9",
        issn="1561-5502",
        editors="McAuliffe, Marie\nRuhs, Martin",
        place="Geneva",
        document=make_document("World Migration Report 2018"),
    )
    part = make_entry(publication, "Data and information on migration", PART, slug="part-1", number="Part I")
    chapter = make_entry(
        publication,
        "Migration and migrants: A global overview",
        parent=part,
        number="Chapter 2",
        slug="migration-and-migrants-global-overview",
        pages="13–42",
        document=make_document("Chapter 2"),
    )
    return publication, chapter


def cite_block(html):
    return html[html.index('id="cite"') : html.index("</section>", html.index('id="cite"'))]


def style_text(html, key):
    match = re.search(rf'class="cite-style cite-{key}"><dt>[^<]+</dt><dd><p class="citation">(.*?)</p>', html)
    return match.group(1)


def test_chapter_in_apa_as_checked_by_hand(client, wmr):
    html = client.get(CHAPTER_URL).content.decode()
    assert style_text(html, "apa") == (
        "International Organization for Migration. (2017). Migration and migrants: A global overview. "
        "In M. McAuliffe &amp; M. Ruhs (Eds.), <i>World Migration Report 2018</i> (pp. 13–42). "
        f"International Organization for Migration. {CHAPTER_URL}"
    )


def test_chapter_in_chicago_and_harvard(client, wmr):
    html = client.get(CHAPTER_URL).content.decode()
    assert style_text(html, "chicago") == (
        "International Organization for Migration. 2017. “Migration and Migrants: A Global Overview”. "
        "In <i>World Migration Report 2018</i>, edited by M. McAuliffe and M. Ruhs, 13–42. World Migration Report 9. "
        f"Geneva: International Organization for Migration. {CHAPTER_URL}."
    )
    assert style_text(html, "harvard") == (
        "International Organization for Migration (2017) “Migration and migrants: A global overview”, "
        "in M. McAuliffe and M. Ruhs (eds.) <i>World Migration Report 2018</i>. Geneva: "
        "International Organization for Migration (World Migration Report, 9), pp. 13–42. "
        f"Available at: {CHAPTER_URL}."
    )


def test_chapter_in_bibtex_as_checked_by_hand(client, wmr):
    html = client.get(CHAPTER_URL).content.decode()
    link = re.search(r'<a href="([^"]+cite\.bib)"', cite_block(html)).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == (
        "@incollection{iom2017migration,\n"
        "  author = {{International Organization for Migration}},\n"
        "  editor = {McAuliffe, Marie and Ruhs, Martin},\n"
        "  title = {Migration and migrants: A global overview},\n"
        "  booktitle = {World Migration Report 2018},\n"
        "  chapter = {2},\n"
        "  pages = {13--42},\n"
        "  series = {World Migration Report},\n"
        "  number = {9},\n"
        "  year = {2017},\n"
        "  publisher = {International Organization for Migration},\n"
        "  address = {Geneva},\n"
        "  isbn = {978-92-9068-742-9},\n"
        "  issn = {1561-5502},\n"
        f"  url = {{{CHAPTER_URL}}},\n"
        "  language = {english}\n"
        "}\n"
    )


def test_chapter_in_ris_and_csl_json(client, wmr):
    base = CHAPTER_URL.removeprefix("http://testserver")
    ris = client.get(base + "cite.ris")
    assert ris["Content-Type"].startswith("application/x-research-info-systems")
    lines = ris.content.decode().split("\r\n")
    assert lines[:4] == [
        "TY  - CHAP",
        "AU  - International Organization for Migration",
        "A2  - McAuliffe, Marie",
        "A2  - Ruhs, Martin",
    ]
    for line in ("T2  - World Migration Report 2018", "SP  - 13", "EP  - 42", "PY  - 2017", "DA  - 2017/11/30"):
        assert line in lines
    assert "CY  - Geneva" in lines and "SN  - 978-92-9068-742-9" in lines and lines[-2:] == ["ER  - ", ""]
    item = json.loads(client.get(base + "cite.json").content)[0]
    assert item["type"] == "chapter" and item["container-title"] == "World Migration Report 2018"
    assert item["editor"] == [{"family": "McAuliffe", "given": "Marie"}, {"family": "Ruhs", "given": "Martin"}]
    assert item["issued"] == {"date-parts": [[2017, 11, 30]]} and item["page"] == "13–42"
    assert item["chapter-number"] == "2" and item["URL"] == CHAPTER_URL


def test_publication_page_cites_the_book_with_editors_and_identifiers(client, wmr):
    publication, _chapter = wmr
    publication.doi = "https://doi.org/10.18356/9789210029957"
    publication.save()
    publication.refresh_from_db()
    assert publication.doi == "10.18356/9789210029957"  # stored compact
    html = client.get("/en/publications/world-migration-report-2018/").content.decode()
    assert style_text(html, "apa") == (
        "International Organization for Migration. (2017). <i>World Migration Report 2018</i> "
        "(M. McAuliffe &amp; M. Ruhs, Eds.). International Organization for Migration. "
        "https://doi.org/10.18356/9789210029957"
    )
    bib = client.get("/en/publications/world-migration-report-2018/cite.bib").content.decode()
    assert bib.startswith(
        "@book{iom2017world,\n  author = {{International Organization for Migration}},\n"
        "  editor = {McAuliffe, Marie and Ruhs, Martin},\n"
    )
    assert "  doi = {10.18356/9789210029957},\n" in bib
    ris = client.get("/en/publications/world-migration-report-2018/cite.ris").content.decode()
    assert ris.startswith("TY  - BOOK\r\nAU  - International Organization for Migration\r\nED  - McAuliffe, Marie\r\n")
    assert "DO  - 10.18356/9789210029957" in ris


def test_report_without_isbn_or_names_is_by_the_organisation(client, wmr):
    make_publication("thematic-paper", title="Migrants & cities", year=2016)
    bib = client.get("/en/publications/thematic-paper/cite.bib").content.decode()
    assert bib.startswith("@techreport{iom2016migrants,\n  author = {{International Organization for Migration}},")
    assert "  title = {Migrants \\& cities},\n" in bib  # BibTeX specials escaped
    assert "  institution = {International Organization for Migration},\n" in bib


def test_scholarly_meta_tags_on_chapter_and_publication(client, wmr):
    publication, chapter = wmr
    html = client.get(CHAPTER_URL).content.decode()
    head = html[: html.index("</head>")]
    for name, content in (
        ("citation_title", "Migration and migrants: A global overview"),
        ("citation_author", "International Organization for Migration"),
        ("citation_publication_date", "2017/11/30"),
        ("citation_inbook_title", "World Migration Report 2018"),
        ("citation_firstpage", "13"),
        ("citation_lastpage", "42"),
        ("citation_isbn", "978-92-9068-742-9"),
        ("citation_pdf_url", f"http://testserver{chapter.document.get_absolute_url()}"),
    ):
        assert f'<meta name="{name}" content="{content}">' in head
    head = client.get("/en/publications/world-migration-report-2018/").content.decode().split("</head>")[0]
    assert '<meta name="citation_author" content="McAuliffe, Marie">' not in head  # editors are not authors
    assert '<meta name="citation_author" content="International Organization for Migration">' in head
    assert '<meta name="citation_issn" content="1561-5502">' in head


def test_json_ld_is_a_report_and_a_chapter(client, wmr):
    html = client.get("/en/publications/world-migration-report-2018/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == ["Book", "Report"]
    assert data["editor"] == [
        {"@type": "Person", "familyName": "McAuliffe", "givenName": "Marie", "name": "Marie McAuliffe"},
        {"@type": "Person", "familyName": "Ruhs", "givenName": "Martin", "name": "Martin Ruhs"},
    ]
    assert data["issn"] == "1561-5502" and "author" not in data  # JSON-LD names only who the editor entered
    html = client.get(CHAPTER_URL).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Chapter" and data["pageStart"] == "13" and data["pageEnd"] == "42"
    assert data["author"] == [{"@type": "Organization", "name": "International Organization for Migration"}]


def test_part_pages_offer_cite_this_too(client, wmr):
    html = client.get("/en/publications/world-migration-report-2018/part-1/").content.decode()
    assert "Data and information on migration. In M. McAuliffe" in style_text(html, "apa")


def test_citation_text_is_escaped(client, wmr):
    publication, chapter = wmr
    chapter.title = "Borders <script>alert(1)</script>"
    chapter.save()
    html = client.get(CHAPTER_URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "Borders &lt;script&gt;alert(1)&lt;/script&gt;" in style_text(html, "apa")


def test_french_interface_formats_with_french_terms(client, wmr):
    html = client.get(CHAPTER_URL.replace("/en/", "/fr/")).content.decode()
    assert "(Éd.)" in style_text(html, "apa") or "(Éds.)" in style_text(html, "apa")


def test_drafts_have_no_citation_download(client, wmr):
    draft = make_publication("draft-report", published=False)
    make_entry(draft, "Secret chapter", slug="secret")
    for url in ("/en/publications/draft-report/cite.bib", "/en/publications/draft-report/secret/cite.ris"):
        assert client.get(url).status_code == 404
    assert client.get("/en/publications/world-migration-report-2018/cite.pdf").status_code == 404


def test_staff_preview_of_a_draft_citation_is_never_cached(admin_client, wmr):
    make_publication("draft-report", published=False)
    response = admin_client.get("/en/publications/draft-report/cite.json")
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]


def test_names_pages_and_numbers():
    assert parse_names("McAuliffe, Marie\n\n  International Organization for Migration \n") == [
        {"family": "McAuliffe", "given": "Marie"},
        {"literal": "International Organization for Migration"},
    ]
    assert chapter_number("Chapter 2") == "2" and chapter_number("Chapitre 10") == "10"
    assert chapter_number("Annex A") == "Annex A"
    assert (
        page_range("13-42") == ("13", "42") and page_range("13 – 42") == ("13", "42") and page_range("7") == ("7", "")
    )


@pytest.mark.parametrize("value", ["1561-5502", "15615502", "0317-8471"])
def test_valid_issn(value):
    validate_issn(value)


@pytest.mark.parametrize("value", ["1561-5503", "1561-550", "abcd-efgh"])
def test_invalid_issn(value):
    with pytest.raises(ValidationError):
        validate_issn(value)


@pytest.mark.parametrize(
    "value", ["10.18356/9789210029957", "https://doi.org/10.1000/xyz-1", "doi:10.1002/(SICI)1097-4571"]
)
def test_valid_doi(value):
    validate_doi(value)


@pytest.mark.parametrize("value", ["18356/9789210029957", "10.12/short", "10.1000/", "https://example.org/10.1000/x"])
def test_invalid_doi(value):
    with pytest.raises(ValidationError):
        validate_doi(value)


def test_admin_form_says_what_is_wrong_with_identifiers(admin_client, admin_user, rf, wmr):
    from django.conf import settings
    from django.contrib import admin

    from publications.models import Publication

    publication, chapter = wmr
    page = admin_client.get(f"/{settings.ADMIN_URL}publications/tocentry/{chapter.pk}/change/").content.decode()
    assert 'name="pages"' in page and 'name="authors"' in page and 'name="doi"' in page
    page = admin_client.get(f"/{settings.ADMIN_URL}publications/publication/{publication.pk}/change/").content.decode()
    assert all(f'name="{name}"' in page for name in ("authors", "editors", "issn", "doi", "place", "publisher"))
    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site.get_model_admin(Publication).get_form(request, publication)
    form = form_class(instance=publication, data={"issn": "1561-5503", "doi": "doi.org/nothing"})
    assert not form.is_valid()
    assert "not a valid ISSN" in str(form.errors["issn"]) and "This is not a DOI" in str(form.errors["doi"])
