import pytest

from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "accept, expected",
    [("fr-FR,fr;q=0.9,en;q=0.8", "/fr/"), ("es-419,es;q=0.9", "/es/"), ("de-DE,de;q=0.9", "/en/"), ("", "/en/")],
)
def test_root_sends_first_time_visitors_to_their_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_unknown_language_prefix_is_404(client):
    make_page("about")
    assert client.get("/de/about/").status_code == 404
    assert client.get("/xx/", follow=True).status_code == 404


def test_switcher_and_hreflang_lead_to_the_same_page(client):
    make_page("about", title_fr="À propos", title_es="Quiénes somos")
    html = client.get("/fr/about/").content.decode()
    assert '<html lang="fr">' in html
    for code in ("en", "fr", "es"):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/about/">' in html
        assert f'href="/{code}/about/" hreflang="{code}"' in html


def test_missing_translation_falls_back_to_english_marked_lang_en(client):
    page = make_page("fallback", title="Scam Alert", summary="Only in English.")
    page.title_es = "Alerta de estafa"
    page.save()
    html = client.get("/es/fallback/").content.decode()
    assert "<h1>Alerta de estafa</h1>" in html
    assert '<p class="lead" lang="en">Only in English.</p>' in html
    html = client.get("/en/fallback/").content.decode()
    assert 'lang="en">Only in English.' not in html  # no marking on English pages


def test_interface_translated(client):
    make_page("x")
    html = client.get("/fr/x/").content.decode()
    assert "Aller au contenu principal" in html  # skip link
    html = client.get("/es/x/").content.decode()
    assert "Ir al contenido principal" in html


def test_dates_formatted_per_language():
    from datetime import date

    from django.utils import formats, translation

    day = date(2015, 9, 18)
    expected = {"en": "18 September 2015", "fr": "18 septembre 2015", "es": "18 de septiembre de 2015"}
    for code, text in expected.items():
        with translation.override(code):
            assert formats.date_format(day) == text


def test_changelist_shows_missing_translations(staff_client):
    page = make_page("only-english", title="Only English")
    other = make_page("all-three", title="All three")
    other.title_fr, other.title_es = "Les trois", "Los tres"
    other.body_fr, other.body_es = "<p>Corps.</p>", "<p>Cuerpo.</p>"
    other.save()
    response = staff_client.get("/admin/iomsite/page/")
    html = response.content.decode()
    assert "translations" in html.lower()
    rows = {row.split("</tr>")[0] for row in html.split("<tr")[1:]}
    english_row = next(row for row in rows if page.title in row)
    complete_row = next(row for row in rows if "All three" in row)
    assert "FR: Missing" in english_row and "ES: Missing" in english_row
    assert "Missing" not in complete_row and "FR: Translated" in complete_row
