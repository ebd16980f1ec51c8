"""The interface of the publications in French and Spanish: complete catalogues that compile and show on the pages."""

import gettext
import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.i18n.test_catalogues import label, parse_po
from tests.publications.factories import make_publication

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "publications" / "locale"
LANGUAGES = ("fr", "es")


def po_path(lang, locale=LOCALE):
    return locale / lang / "LC_MESSAGES" / "django.po"


def messages(path):
    """The labels (context|msgid) of a catalogue's messages, plural ones marked with their plural form."""
    found = set()
    for entry in parse_po(path):
        if entry["msgid"]:
            found.add(label(entry) if "msgid_plural" not in entry else f"{label(entry)}/{entry['msgid_plural']}")
    return found


@pytest.fixture
def need_gettext():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        pytest.fail("GNU gettext (msgfmt, xgettext) is needed to build the catalogues: apt-get install gettext")


def compile_catalogue(lang, target):
    out = target / lang / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["msgfmt", "--check", "-o", str(out / "django.mo"), str(po_path(lang))], check=True)
    return out / "django.mo"


def test_catalogue_has_every_message_of_the_app(need_gettext, tmp_path, monkeypatch, settings):
    """What the command in the .po header collects: a new string in publications/ or its templates fails here."""
    app = tmp_path / "publications"
    shutil.copytree(ROOT / "publications", app, ignore=shutil.ignore_patterns("locale", "migrations", "__pycache__"))
    shutil.copytree(ROOT / "templates" / "publications", app / "templates")  # where the header's link puts them
    (app / "locale").mkdir()
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(app)
    call_command("makemessages", locale=["fr"], add_location="file", verbosity=0)
    found = messages(po_path("fr", app / "locale"))
    assert len(found) > 90, "makemessages collected too little"
    assert "Download this chapter" in found and "%(counter)s publication/%(counter)s publications" in found
    for lang in LANGUAGES:
        missing = sorted(found - messages(po_path(lang)))
        assert not missing, (
            f"publications/locale/{lang}/LC_MESSAGES/django.po lacks {len(missing)} message(s); run the "
            "makemessages command from its header and translate them:\n" + "\n".join(map(repr, missing))
        )


WMR = {"fr": "Rapport sur l'état de la migration dans le monde", "es": "Informe sobre las Migraciones en el Mundo"}


@pytest.mark.parametrize(
    "language, samples",
    [
        (
            "fr",
            {
                "Table of contents": "Table des matières",
                "Chapter": "Chapitre",
                "Download this chapter": "Télécharger ce chapitre",
                "Filter publications": "Filtrer les publications",
                "page %(number)s of %(total)s": "page %(number)s sur %(total)s",
            },
        ),
        (
            "es",
            {
                "Table of contents": "Índice",
                "Chapter": "Capítulo",
                "Download this chapter": "Descargar este capítulo",
                "Filter publications": "Filtrar las publicaciones",
                "page %(number)s of %(total)s": "página %(number)s de %(total)s",
            },
        ),
    ],
)
def test_catalogue_is_complete_and_compiles(need_gettext, tmp_path, language, samples):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po_path(language))],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    with (tmp_path / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for english, translated in samples.items():
        assert catalogue.gettext(english) == translated
    assert WMR[language] in catalogue.gettext("Reports and papers on migration, including the World Migration Report.")
    one, many = (catalogue.ngettext("%(counter)s publication", "%(counter)s publications", n) for n in (1, 2))
    assert (one % {"counter": 1}, many % {"counter": 2}) == {
        "fr": ("1 publication", "2 publications"),
        "es": ("1 publicación", "2 publicaciones"),
    }[language]
    assert (
        catalogue.ngettext("%(counter)s publication", "%(counter)s publications", 0)
        == {"fr": one, "es": many}[language]
    )  # French counts zero as singular, Spanish as plural


# The pages: the committed catalogues, compiled fresh, show on /fr/ and /es/.


@pytest.fixture
def fresh_catalogue(need_gettext, settings, tmp_path):
    """publications/locale compiled into a temporary folder, so a stale or missing .mo in the tree does not matter."""
    for lang in LANGUAGES:
        compile_catalogue(lang, tmp_path)
    settings.LOCALE_PATHS = [tmp_path]


def page_text(response):
    assert response.status_code == 200, response.status_code
    return htmllib.unescape(response.content.decode())


LISTING = {
    "fr": [
        '<h2 id="filters-heading">Filtrer les publications</h2>',
        '<label for="id_series">Série</label>',
        '<button class="button" type="submit">Appliquer les filtres</button>',
        'title="Dernières publications (RSS)"',
        ">Flux RSS</a>",
        ">Flux Atom</a>",
        '<p class="meta" role="status">2 publications</p>',
        "World Migration Report</span>, édition 9",
    ],
    "es": [
        '<h2 id="filters-heading">Filtrar las publicaciones</h2>',
        '<label for="id_series">Serie</label>',
        '<button class="button" type="submit">Aplicar los filtros</button>',
        'title="Últimas publicaciones (RSS)"',
        ">Canal RSS</a>",
        ">Canal Atom</a>",
        '<p class="meta" role="status">2 publicaciones</p>',
        "World Migration Report</span>, 9.ª edición",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_listing_labels_are_translated(client, fresh_catalogue, report, lang):
    make_publication("migration-and-climate", year=2017)
    html = page_text(client.get(f"/{lang}/publications/"))
    for expected in LISTING[lang]:
        assert expected in html, expected
    assert WMR[lang] in html  # the meta description names the report in the visitor's language
    for english in ("Filter publications", "Apply filters", "RSS feed", "Latest publications", "edition 9"):
        assert english not in html, english


PUBLICATION = {
    "fr": [
        "<dt>Série</dt>",
        "<dt>Année</dt>",
        ">Télécharger la publication complète</a>",
        '<h2 id="contents-heading">Table des matières</h2>',
        ">Télécharger</a>",
        "World Migration Report</a>, édition 9",
    ],
    "es": [
        "<dt>Serie</dt>",
        "<dt>Año</dt>",
        ">Descargar la publicación completa</a>",
        '<h2 id="contents-heading">Índice</h2>',
        ">Descargar</a>",
        "World Migration Report</a>, 9.ª edición",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_publication_page_labels_are_translated(client, fresh_catalogue, report, lang):
    html = page_text(client.get(f"/{lang}/publications/wmr/"))
    for expected in PUBLICATION[lang]:
        assert expected in html, expected
    for english in ("Table of contents", "Download the complete publication", ">Download</a>", "edition 9"):
        assert english not in html, english


PART = {
    "fr": ['<h2 id="chapters-heading">Chapitres de cette partie</h2>', ">Table des matières</a>"],
    "es": ['<h2 id="chapters-heading">Capítulos de esta parte</h2>', ">Índice</a>"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_part_and_chapter_pages_labels_are_translated(client, fresh_catalogue, report, lang):
    html = page_text(client.get(f"/{lang}/publications/wmr/part-1/"))
    for expected in PART[lang]:
        assert expected in html, expected
    html = page_text(client.get(f"/{lang}/publications/wmr/chapter-2/"))
    download = {"fr": "Télécharger ce chapitre", "es": "Descargar este capítulo"}[lang]
    assert f">{download}</a>" in html
    assert re.search(r'<nav class="entry-pager" aria-label="(Chapitres|Capítulos)">', html)
    for english in ("Chapters in this part", "Download this chapter", "Table of contents"):
        assert english not in html, english
