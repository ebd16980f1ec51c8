"""The open data API over publications (issue 24): schema, pages, language, no drafts, ETag, rate limit, queries."""

import pytest

from iomsite import api as api_module
from tests.iomsite.factories import make_document
from tests.publications.factories import PART, make_entry, make_publication, make_series

pytestmark = pytest.mark.django_db

BASE = "/api/v1/publications/"


@pytest.fixture
def wmr(db):
    publication = make_publication(
        "wmr",
        title="World Migration Report 2018",
        title_fr="État de la migration dans le monde 2018",
        series=make_series("world-migration-report", title="World Migration Report"),
        edition=9,
        isbn="978-92-9068-742-9",
        document=make_document("WMR"),
    )
    part = make_entry(publication, "Data and information", PART, slug="part-1", number="Part I")
    make_entry(publication, "A global overview", parent=part, number="Chapter 2", slug="overview", pages="13–42")
    return publication


def test_schema_is_openapi_3_and_the_docs_page_renders(client, wmr):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/publications/", "/api/v1/publications/{slug}"} <= set(schema["paths"])
    listing = schema["paths"]["/api/v1/publications/"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} >= {"lang", "page", "year", "series"}
    assert "PublicationPage" in schema["components"]["schemas"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.content.decode()


def test_list_detail_and_table_of_contents(client, wmr):
    data = client.get(BASE).json()
    assert data["count"] == 1 and data["pages"] == 1 and data["language"] == "en"
    item = data["results"][0]
    assert item["title"] == "World Migration Report 2018" and item["series"] == "World Migration Report"
    assert item["url"] == "http://testserver/en/publications/wmr/" and item["document"]["type"] == "pdf"
    detail = client.get(BASE + "wmr").json()
    part = detail["contents"][0]
    assert part["kind"] == "part" and part["children"][0]["title"] == "A global overview"
    assert part["children"][0]["pages"] == "13–42"
    assert part["children"][0]["url"] == "http://testserver/en/publications/wmr/overview/"


def test_language_with_the_fallback_flagged(client, wmr):
    item = client.get(BASE, {"lang": "fr"}).json()["results"][0]
    assert item["title"] == "État de la migration dans le monde 2018" and item["translated"] is True
    assert item["url"] == "http://testserver/fr/publications/wmr/"
    chapter = client.get(BASE + "wmr", {"lang": "es"}).json()["contents"][0]["children"][0]
    assert chapter["title"] == "A global overview" and chapter["translated"] is False  # English shown
    assert client.get(BASE, {"lang": "xx"}).json()["language"] == "en"


def test_pagination_and_filters(client, wmr):
    for index in range(25):
        make_publication(f"paper-{index}", year=2000 + index % 5)
    first = client.get(BASE).json()
    assert first["count"] == 26 and first["pages"] == 2 and len(first["results"]) == 20
    second = client.get(BASE, {"page": 2}).json()
    assert len(second["results"]) == 6
    assert {r["slug"] for r in first["results"]}.isdisjoint({r["slug"] for r in second["results"]})
    assert client.get(BASE, {"page": 3}).json()["results"] == []
    assert client.get(BASE, {"year": 2001}).json()["count"] == 5
    assert client.get(BASE, {"series": "world-migration-report"}).json()["count"] == 1


def test_bad_input_is_a_400_never_a_500(client, wmr):
    for params in ({"page": "x"}, {"page": 0}, {"year": "1800"}, {"series": "s" * 500}):
        response = client.get(BASE, params)
        assert response.status_code == 400, params
        assert response.json()["detail"] == "Invalid parameters."
    assert client.get(BASE + "no-such-thing").status_code == 404


def test_drafts_never_appear(client, wmr):
    draft = make_publication("secret-draft", title="Secret draft")
    draft.status = "draft"
    draft.save()
    body = client.get(BASE).content.decode()
    assert "secret-draft" not in body and "Secret draft" not in body
    assert client.get(BASE + "secret-draft").status_code == 404
    assert "secret" not in client.get("/api/v1/openapi.json").content.decode()


def test_etag_and_cache_control(client, wmr):
    response = client.get(BASE)
    assert response["ETag"] and "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    again = client.get(BASE, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    wmr.title = "World Migration Report 2018 (revised)"
    wmr.save()
    assert client.get(BASE, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_rate_limit_per_client(client, wmr, monkeypatch):
    monkeypatch.setattr(api_module, "REQUESTS_PER_MINUTE", 3)
    assert [client.get(BASE).status_code for _n in range(3)] == [200, 200, 200]
    assert client.get(BASE).status_code == 429
    assert client.get(BASE, REMOTE_ADDR="198.51.100.9").status_code == 200  # another client


def test_query_budget_per_endpoint(client, wmr, django_assert_max_num_queries):
    def measure():
        with django_assert_max_num_queries(3):
            client.get(BASE)
        with django_assert_max_num_queries(3):
            client.get(BASE + "wmr")

    measure()
    for index in range(30):
        make_publication(f"more-{index}", series=wmr.series, document=make_document(f"D{index}"))
        make_entry(wmr, f"Extra chapter {index}", slug=f"extra-{index}", document=make_document(f"C{index}"))
    measure()
