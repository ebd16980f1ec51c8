"""Readers are told when a page is shown in English, and search engines are told only of real translations."""

import re

import pytest

from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db

FR_NOTICE = "Cette page n’est pas encore disponible en français ; elle est affichée en anglais."
ES_NOTICE = "Esta página aún no está disponible en español; se muestra en inglés."


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def canonical(html):
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def english_only():
    return make_page("scam", title="Scam alert", summary="Beware of offers.", body="<p>Only in English.</p>")


def test_a_page_in_english_says_so_in_the_readers_language(client):
    english_only()
    html = client.get("/fr/scam/").content.decode()
    assert f'<p class="language-fallback" role="note" data-state="missing">{FR_NOTICE}</p>' in html
    assert '<h1 lang="en">Scam alert</h1>' in html
    html = client.get("/es/scam/").content.decode()
    assert ES_NOTICE in html and '<h1 lang="en">Scam alert</h1>' in html
    assert "language-fallback" not in client.get("/en/scam/").content.decode()


def test_a_partly_translated_page_marks_the_english_parts(client):
    page = english_only()
    page.title_fr = "Alerte à l’escroquerie"
    page.save()
    html = client.get("/fr/scam/").content.decode()
    assert 'data-state="partial"' in html and "Certaines parties de cette page" in html
    assert "<h1>Alerte à l’escroquerie</h1>" in html
    assert '<p class="lead" lang="en">Beware of offers.</p>' in html


def test_a_translated_page_has_no_notice(client):
    page = english_only()
    page.title_fr, page.summary_fr, page.body_fr = "Alerte", "Attention.", "<p>En français.</p>"
    page.save()
    assert "language-fallback" not in client.get("/fr/scam/").content.decode()


def test_hreflang_and_canonical_list_only_real_translations(client):
    page = english_only()
    html = client.get("/fr/scam/").content.decode()
    assert alternates(html) == {"en": "http://testserver/en/scam/"}
    assert canonical(html) == "http://testserver/en/scam/"  # English text is indexed at its English address
    page.title_es = "Alerta de estafa"
    page.save()
    html = client.get("/es/scam/").content.decode()
    assert alternates(html) == {"en": "http://testserver/en/scam/", "es": "http://testserver/es/scam/"}
    assert canonical(html) == "http://testserver/es/scam/"
    assert canonical(client.get("/en/scam/").content.decode()) == "http://testserver/en/scam/"


def test_the_switcher_still_leads_to_the_same_item_with_the_notice(client):
    english_only()
    html = client.get("/en/scam/").content.decode()
    assert 'href="/fr/scam/" hreflang="fr"' in html and 'href="/es/scam/" hreflang="es"' in html
    response = client.get("/fr/scam/")
    assert response.status_code == 200 and FR_NOTICE in response.content.decode()


def test_listings_keep_every_language(client):
    english_only()
    html = client.get("/fr/search/").content.decode()
    assert set(alternates(html)) == {"en", "fr", "es"}
    assert canonical(html) == "http://testserver/fr/search/"


def sitemap(client, section="pages"):
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    return response.content.decode()


def test_the_sitemap_lists_an_item_only_in_its_real_languages(client):
    english_only()
    make_page("about", title_fr="À propos", summary="", body="<p>B</p>", body_fr="<p>C</p>")
    xml = sitemap(client)
    assert "<loc>http://testserver/en/scam/</loc>" in xml
    assert "/fr/scam/" not in xml and "/es/scam/" not in xml
    assert "<loc>http://testserver/fr/about/</loc>" in xml and "/es/about/" not in xml
    assert 'hreflang="fr" href="http://testserver/fr/about/"' in xml
    assert 'hreflang="x-default" href="http://testserver/scam/"' in xml
