"""A publication's editions in other languages: no card shares another's title, each edition speaks its language."""

import re
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError

from iomsite import languages
from tests.publications.factories import make_publication

CARD = re.compile(r'<h3><a href="([^"]+)"[^>]*>([^<]+)</a></h3>')


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("listing", ["/{}/", "/{}/publications/"])
def test_no_two_cards_of_a_listing_share_a_title_unless_their_items_do(demo, client, listing, language):
    response = client.get(listing.format(language))
    assert response.status_code == 200
    by_title = defaultdict(set)
    for href, title in CARD.findall(response.content.decode()):
        by_title[" ".join(title.split())].add(href)
    assert by_title, "the listing shows cards"
    assert {title: hrefs for title, hrefs in by_title.items() if len(hrefs) > 1} == {}


@pytest.mark.django_db
def test_a_translated_title_may_not_be_another_editions_title():
    make_publication("etat-2018", title="État de la migration dans le monde 2018", language="fr")
    english = make_publication("wmr-2018", title="World Migration Report 2018")
    english.title_fr = "État de la migration dans le monde 2018"
    with pytest.raises(ValidationError) as error:
        english.full_clean()
    assert "title_fr" in error.value.message_dict
    english.title_fr = "Rapport sur la migration 2018"  # another French title is fine
    english.full_clean()


@pytest.mark.django_db
def test_an_edition_in_another_language_is_read_in_that_language(client):
    french = make_publication("etat-2018", title="État de la migration dans le monde 2018", language="fr")
    assert languages.source_language(french) == "fr"
    assert languages.is_translated(french, "fr") and languages.is_translated(french, "en")
    html = client.get("/fr/publications/etat-2018/").content.decode()
    assert "language-fallback" not in html
    assert '<h1 lang="fr">' not in html and "<h1>État de la migration dans le monde 2018</h1>" in html
    assert '<h1 lang="fr">État de la migration' in client.get("/en/publications/etat-2018/").content.decode()
