"""The translation catalogues: complete, never fuzzy, and used by the pages.

Every ``locale/`` folder of the repository (the site-wide one at the root and each
content app's) has a French and a Spanish ``django.po`` where every message has a
translation. The root catalogue covers ``iomsite/`` and the shared templates: running
``makemessages`` as its header says finds nothing it lacks. A missing string shows up
here as soon as someone adds ``_("…")`` or ``{% translate %}`` in those paths.
"""

import ast
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from iomsite.models import MenuItem, SiteSettings
from tests.iomsite.factories import make_page

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "es")
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);"}
NOT_SOURCE = {".venv", "node_modules", "var", "media", "staticfiles", "__pycache__"}
# The root catalogue's share of the tree: everything except the content apps (their own
# catalogues), the tests and the tooling. Same list as the command in the .po headers.
MAKEMESSAGES_IGNORE = [
    "themes",
    "consultations",
    "regions",
    "publications",
    "tests",
    "bench",
    "docs",
    "var",
    "static",
    "node_modules",
    ".venv",
]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0\- +]*\d*(?:\.\d+)?([sdifrx%])")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def parse_po(path):
    """The entries of a .po file, header included: dicts of msgid, msgstr…, flags; obsolete ones left out."""
    entries, entry, key = [], {}, None

    def close():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                close()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgid" in entry:
                close()
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    close()
    return entries


def header_fields(entries):
    header = next(entry for entry in entries if entry["msgid"] == "")
    pairs = (line.split(":", 1) for line in header["msgstr"].splitlines() if ":" in line)
    return header, {name.strip(): value.strip() for name, value in pairs}


def label(entry):
    return entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}|{entry['msgid']}"


def translations(entry):
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def placeholders(text):
    found = Counter()
    for name, conversion in PLACEHOLDER.findall(text):
        if conversion != "%":
            found[name or conversion] += 1
    return found


def catalogue_dirs():
    """Every ``locale/`` folder of the repository, the root one first."""
    found = []
    for dirpath, dirnames, _files in os.walk(ROOT):
        dirnames[:] = sorted(name for name in dirnames if name not in NOT_SOURCE and not name.startswith("."))
        if os.path.basename(dirpath) == "locale":
            found.append(Path(dirpath))
            dirnames[:] = []
    return sorted(found, key=lambda path: (path != ROOT / "locale", str(path)))


CATALOGUES = [(folder, lang) for folder in catalogue_dirs() for lang in LANGUAGES]


def catalogue_id(param):
    folder, lang = param
    return f"{folder.relative_to(ROOT)}-{lang}"


def po_path(folder, lang):
    return folder / lang / "LC_MESSAGES" / "django.po"


def need_gettext():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        pytest.fail("GNU gettext (msgfmt, xgettext) is needed to build the catalogues: apt-get install gettext")


def test_the_catalogues_are_found():
    folders = {folder.relative_to(ROOT).as_posix() for folder in catalogue_dirs()}
    assert {"locale", "themes/locale", "consultations/locale"} <= folders


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    folder, lang = catalogue
    path = po_path(folder, lang)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: every catalogue has French and Spanish"
    entries = parse_po(path)
    header, fields = header_fields(entries)
    assert "fuzzy" not in header.get("flags", ()), "a fuzzy header is ignored by msgfmt (plural forms lost)"
    assert fields.get("Language") == lang
    assert fields.get("Plural-Forms") == PLURAL_FORMS[lang]
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"

    messages = [entry for entry in entries if entry["msgid"]]
    assert messages, f"{path.relative_to(ROOT)} has no messages"
    problems = []
    for entry in messages:
        values = translations(entry)
        if "fuzzy" in entry.get("flags", ()):
            problems.append(f"fuzzy: {label(entry)!r}")
        if "msgid_plural" in entry and len(values) != 2:
            problems.append(f"needs msgstr[0] and msgstr[1]: {label(entry)!r}")
        if not values or not all(value.strip() for value in values):
            problems.append(f"untranslated: {label(entry)!r}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_placeholders_and_markup_are_kept(catalogue):
    folder, lang = catalogue
    path = po_path(folder, lang)
    problems = []
    for entry in parse_po(path):
        if not entry["msgid"]:
            continue
        sources = [entry["msgid"]] if "msgid_plural" not in entry else [entry["msgid_plural"]] * 2
        for source, value in zip(sources, translations(entry), strict=False):
            if not value:
                continue  # reported by the test above
            if "python-format" in entry.get("flags", ()) and set(placeholders(value)) != set(placeholders(source)):
                problems.append(f"placeholders differ: {label(entry)!r} -> {value!r}")
            if Counter(TAG.findall(value)) != Counter(TAG.findall(source)):
                problems.append(f"markup differs: {label(entry)!r} -> {value!r}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_catalogue_compiles(catalogue, tmp_path):
    need_gettext()
    folder, lang = catalogue
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path(folder, lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def copy_root_catalogue_sources(target):
    """The repository's top level without the ignored folders and without any app that has its own catalogue."""

    def skip(directory, names):
        here = Path(directory)
        return {
            name
            for name in names
            if name in NOT_SOURCE
            or name.startswith(".")
            or (here == ROOT and (name in MAKEMESSAGES_IGNORE or name == "locale" or (ROOT / name / "locale").is_dir()))
        }

    shutil.copytree(ROOT, target, ignore=skip, symlinks=True)


def test_root_catalogue_has_every_message_makemessages_finds(tmp_path, monkeypatch, settings):
    """Regenerate into a copy and compare: a new interface string in iomsite/ or the shared templates fails here."""
    need_gettext()
    source = tmp_path / "src"
    copy_root_catalogue_sources(source)
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command(
        "makemessages",
        locale=list(LANGUAGES),
        ignore_patterns=MAKEMESSAGES_IGNORE,
        add_location="file",
        verbosity=0,
    )
    for lang in LANGUAGES:
        generated = {label(entry) for entry in parse_po(po_path(source / "locale", lang)) if entry["msgid"]}
        committed = {label(entry) for entry in parse_po(po_path(ROOT / "locale", lang)) if entry["msgid"]}
        assert len(generated) > 100, "makemessages collected too little: check MAKEMESSAGES_IGNORE"
        missing = sorted(generated - committed)
        assert not missing, (
            f"locale/{lang}/LC_MESSAGES/django.po lacks {len(missing)} message(s); run the makemessages "
            "command from its header and translate them:\n" + "\n".join(map(repr, missing))
        )


def test_root_catalogue_leaves_the_apps_strings_to_their_catalogues():
    """The root catalogue wins over the apps' (LOCALE_PATHS first), so it must not collect their files."""
    apps = ("themes", "consultations", "regions", "publications")
    app_paths = tuple(f"{app}/" for app in apps) + tuple(f"templates/{app}/" for app in apps)
    for lang in LANGUAGES:
        text = po_path(ROOT / "locale", lang).read_text(encoding="utf-8")
        locations = [place for line in text.splitlines() if line.startswith("#:") for place in line[2:].split()]
        assert locations, "keep locations (--add-location file) so this check can see where strings come from"
        assert not [place for place in locations if place.startswith(app_paths)]


# Pages: the committed French and Spanish catalogues, compiled fresh, show on /fr/ and /es/.


@pytest.fixture(scope="session")
def compiled_root_catalogue(tmp_path_factory):
    """``locale/`` compiled into a temporary folder, so a stale or missing .mo in the tree does not matter."""
    need_gettext()
    target = tmp_path_factory.mktemp("locale")
    for lang in LANGUAGES:
        out = target / lang / "LC_MESSAGES"
        out.mkdir(parents=True)
        subprocess.run(
            ["msgfmt", "--check", "-o", str(out / "django.mo"), str(po_path(ROOT / "locale", lang))], check=True
        )
    return target


@pytest.fixture
def fresh_catalogue(settings, compiled_root_catalogue):
    settings.LOCALE_PATHS = [compiled_root_catalogue]


@pytest.fixture
def chrome(db):
    """Site settings with a social link and one item in each footer menu, so every footer heading shows."""
    SiteSettings.objects.create(
        name="International Organization for Migration", short_name="IOM", twitter_url="https://x.com/UNmigration"
    )
    for menu, title in (("centres", "IOM Manila"), ("footer", "Contact Us"), ("structure", "Governing Bodies")):
        MenuItem.objects.create(menu=menu, title=title, url="/en/")


CHROME = {
    "fr": {
        "skip": "Aller au contenu principal",
        "search_button": '<span class="search-label">Rechercher</span></button>',
        "footer": ["Centres administratifs", "À propos de ce site", "Structure", "Suivez-nous"],
    },
    "es": {
        "skip": "Ir al contenido principal",
        "search_button": '<span class="search-label">Buscar</span></button>',
        "footer": ["Centros administrativos", "Acerca de este sitio", "Estructura", "Síganos"],
    },
}
ENGLISH_CHROME = ["Skip to main content", "Administrative centres", "About this site", "Follow us"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_chrome_is_translated(client, chrome, fresh_catalogue, lang):
    html = client.get(f"/{lang}/").content.decode()
    expected = CHROME[lang]
    assert f'<html lang="{lang}">' in html
    assert f'<a class="skip-link" href="#main">{expected["skip"]}</a>' in html
    assert expected["search_button"] in html
    for heading in expected["footer"]:
        assert f">{heading}</h2>" in html, heading
    for english in ENGLISH_CHROME:
        assert english not in html, english


@pytest.mark.django_db
def test_english_chrome_stays_english(client, chrome, fresh_catalogue):
    html = client.get("/en/").content.decode()
    for english in ENGLISH_CHROME:
        assert english in html


PAGINATION = {
    "fr": {
        "nav": 'aria-label="Pagination"',
        "links": ["Première", "Précédente", "Suivante", "Dernière"],
        "labels": ["Première page", "Page précédente", "Page suivante", "Dernière page"],
        "heading": "45 résultats pour «\u00a0remittances\u00a0»",
    },
    "es": {
        "nav": 'aria-label="Paginación"',
        "links": ["Primera", "Anterior", "Siguiente", "Última"],
        "labels": ["Primera página", "Página anterior", "Página siguiente", "Última página"],
        "heading": "45 resultados para «remittances»",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_results_and_pagination_are_translated(
    client, fresh_catalogue, django_capture_on_commit_callbacks, lang
):
    with django_capture_on_commit_callbacks(execute=True):  # indexed as an editor's saves are
        for number in range(45):
            make_page(f"remittances-{number}", title=f"Remittances {number}")
    response = client.get(f"/{lang}/search/", {"q": "remittances", "page": 2})
    assert response.status_code == 200
    html = response.content.decode()
    expected = PAGINATION[lang]
    assert expected["nav"] in html
    for link, label in zip(expected["links"], expected["labels"], strict=True):
        assert f'aria-label="{label}">{link}</a>' in html, link
    assert expected["heading"] in html
    for english in ("First", "Previous", "Next", "Last", "results for"):
        assert english not in html.replace("Remittances", ""), english
