from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from iomsite.models import Page, Status
from iomsite.search.models import SearchEntry
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db(transaction=True)


def titles(response):
    return [entry.title for entry in response.context["page"].object_list]


def test_empty_query_shows_the_form_with_advanced_options(client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Advanced options" in html and 'name="type"' in html
    assert not response.context["searched"]


def test_ranking_title_above_summary_above_body(client):
    make_page("b", title="Annual report", body="<p>Mentions remittances once.</p>")
    make_page("a", title="Remittances", body="<p>Other words.</p>")
    make_page("c", title="Labour", summary="About remittances and work.")
    response = client.get("/en/search/", {"q": "remittances"})
    assert titles(response) == ["Remittances", "Labour", "Annual report"]
    html = response.content.decode()
    assert "<mark>" in html.lower() or "<mark>" in html


def test_no_result_message(client):
    make_page("x", title="Something")
    response = client.get("/en/search/", {"q": "zzzunknownzzz"})
    assert "Nothing matched your search" in response.content.decode()


def test_index_follows_publish_edit_unpublish_delete(client):
    page = make_page("p", title="Counter-trafficking data")
    assert titles(client.get("/en/search/", {"q": "trafficking"})) == ["Counter-trafficking data"]
    page.title = "Trafficking evidence base"
    page.save()
    assert titles(client.get("/en/search/", {"q": "trafficking"})) == ["Trafficking evidence base"]
    page.status = Status.DRAFT
    page.save()
    assert titles(client.get("/en/search/", {"q": "trafficking"})) == []
    page.status = Status.PUBLISHED
    page.save()
    assert len(titles(client.get("/en/search/", {"q": "trafficking"}))) == 1
    page.delete()
    assert titles(client.get("/en/search/", {"q": "trafficking"})) == []
    assert not SearchEntry.objects.exists()


def test_publish_window_respected_without_any_job(client):
    now = timezone.now()
    make_page("soon", title="Scheduled launch", publish_at=now + timedelta(hours=1))
    make_page(
        "gone", title="Expired launch", publish_at=now - timedelta(days=2), unpublish_at=now + timedelta(minutes=30)
    )
    with time_machine.travel(now, tick=False):
        assert titles(client.get("/en/search/", {"q": "launch"})) == ["Expired launch"]
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert titles(client.get("/en/search/", {"q": "launch"})) == ["Scheduled launch"]


def test_rebuild_command(client):
    make_page("r", title="Migration governance")
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchEntry.objects.filter(language="en").count() == Page.objects.count()
    assert titles(client.get("/en/search/", {"q": "governance"})) == ["Migration governance"]


def test_type_filter_and_counts(client):
    make_page("t", title="Migration policy")
    response = client.get("/en/search/", {"q": "migration", "type": "page"})
    assert titles(response) == ["Migration policy"]
    assert response.context["counts"]["kinds"]["page"] == 1
    assert "Page (1)" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "a & b | !c <-> d",
        "migration:* OR (",
        "x" * 5000,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%",
        "_",
    ],
)
def test_odd_queries_never_fail(client, query):
    make_page("o", title="Migration")
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_nul_byte_is_400(client):
    response = client.get("/en/search/?q=mig%00ration")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["abc", "0", "-1", "999"])
def test_bad_page_numbers_404(client, value):
    make_page("pg", title="Migration")
    assert client.get("/en/search/", {"q": "migration", "page": value}).status_code == 404


def test_bad_filter_values_are_form_errors(client):
    response = client.get("/en/search/", {"q": "migration", "type": "nope", "year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_query_count_fixed(client, django_assert_max_num_queries):
    for index in range(3):
        make_page(f"few-{index}", title=f"Migration {index}")
    client.get("/en/search/", {"q": "migration"})
    with django_assert_max_num_queries(8):
        client.get("/en/search/", {"q": "migration"})
    for index in range(60):
        make_page(f"many-{index}", title=f"Migration more {index}")
    with django_assert_max_num_queries(8):
        response = client.get("/en/search/", {"q": "migration"})
    assert response.context["page"].paginator.count == 63


def test_french_search_uses_french_entries(client):
    page = make_page("fr", title="Labour migration")
    page.title_fr = "Migration de main-d’œuvre"
    page.save()
    response = client.get("/fr/search/", {"q": "main"})
    assert titles(response) == ["Migration de main-d’œuvre"]


def test_counts_per_theme_type_and_year_match_what_each_filter_shows(client):
    from tests.themes.factories import make_theme

    labour = make_theme("labour", title="Labour migration")
    make_theme("ethical", parent=labour, title="Ethical recruitment and migration")
    make_theme("trafficking", title="Migration and counter-trafficking")
    make_theme("draft", title="Hidden migration", published=False)
    make_page("p1", title="Migration data")
    response = client.get("/en/search/", {"q": "migration"})
    counts = response.context["counts"]
    assert counts["total"] == 4
    assert counts["kinds"]["page"] == 1
    # A main topic counts itself and its sub-topics; the draft counts nowhere.
    assert counts["facets"][f"theme:{labour.pk}"] == 2
    assert "Labour migration (2)" in response.content.decode()

    for params, expected in [
        ({"theme": labour.pk}, 2),
        ({"type": "page"}, 1),
        ({"type": "page", "theme": labour.pk}, 0),
    ]:
        filtered = client.get("/en/search/", {"q": "migration", **params})
        assert filtered.context["page"].paginator.count == expected, params
        assert len(filtered.context["page"].object_list) == expected, params


def test_above_the_limit_the_best_results_show_without_counts_per_filter(client, settings):
    settings.IOMSITE_SEARCH_MAX_RESULTS = 5
    make_page("best", title="Remittances")
    for index in range(6):
        make_page(f"body-{index}", title=f"Annual report {index}", body="<p>Mentions remittances once.</p>")
    response = client.get("/en/search/", {"q": "remittances"})
    html = response.content.decode()
    assert "More than 5 results for “remittances”" in html
    assert "Page (" not in html  # no numbers per type over a sample
    page = response.context["page"]
    assert page.paginator.count == 5
    assert titles(response)[0] == "Remittances"
    assert len(titles(response)) == 5
    # Pages stop at the limit.
    assert client.get("/en/search/", {"q": "remittances", "page": 2}).status_code == 404
    # A type filter still finds them, still capped.
    typed = client.get("/en/search/", {"q": "remittances", "type": "page"})
    assert typed.context["page"].paginator.count == 5
    assert "More than 5 results" in typed.content.decode()


def test_under_the_limit_counts_are_exact_and_no_more_note(client, settings):
    settings.IOMSITE_SEARCH_MAX_RESULTS = 5
    for index in range(5):
        make_page(f"five-{index}", title=f"Remittances {index}")
    response = client.get("/en/search/", {"q": "remittances"})
    html = response.content.decode()
    assert "5 results for “remittances”" in html
    assert "More than" not in html
    assert "Page (5)" in html


def test_french_results_in_french_first_then_in_english_across_pages(client):
    for index in range(3):
        page = make_page(f"fr-{index}", title=f"Remittances {index}")
        page.title_fr = f"Transferts de fonds {index}"
        page.body_fr = "<p>Remittances.</p>"
        page.save()
    for index in range(20):
        make_page(f"en-{index}", title=f"Remittances in English {index}")
    first = client.get("/fr/search/", {"q": "remittances"})
    shown = titles(first)
    assert first.context["page"].paginator.count == 23
    assert all(title.startswith("Transferts de fonds") for title in shown[:3])
    assert not any(title.startswith("Transferts de fonds") for title in shown[3:])
    second = titles(client.get("/fr/search/", {"q": "remittances", "page": 2}))
    assert len(second) == 3
    assert not set(second) & set(shown)


@pytest.mark.postgres
def test_postgres_ranks_with_the_rum_index_where_installed():
    import os

    from django.db import connection

    from iomsite.search.backends import rank_indexes

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum')")
        available = cursor.fetchone()[0]
    if not available and os.environ.get("CI") != "true":
        pytest.skip("the rum extension is not installed here (CI installs it)")
    assert rank_indexes() == {"search_entry_rank_en", "search_entry_rank_fr", "search_entry_rank_es"}


def test_counts_shared_by_pages_and_filters_follow_every_edit(client):
    first = make_page("c1", title="Remittances")
    response = client.get("/en/search/", {"q": "remittances"})
    assert response.context["counts"]["total"] == 1
    # The same search with a filter reuses the counts: no count over the matches again.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/search/", {"q": "remittances", "type": "page"})
    assert not any("count(" in q["sql"].lower() and "group by" in q["sql"].lower() for q in queries.captured_queries)
    make_page("c2", title="Remittances again")
    assert client.get("/en/search/", {"q": "remittances"}).context["counts"]["total"] == 2
    first.status = Status.DRAFT
    first.save()
    after = client.get("/en/search/", {"q": "remittances"})
    assert after.context["counts"]["total"] == 1
    assert titles(after) == ["Remittances again"]
