"""The themes catalogue: complete for the app's code and templates, and used by the pages."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.news.factories import make_article
from tests.themes.factories import make_theme
from themes.models import ThemeLink

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "themes" / "locale" / "{lang}" / "LC_MESSAGES" / "django.po"


def msgids(path):
    text = Path(path).read_text(encoding="utf-8")
    blocks = re.findall(r"^msgid ((?:\".*\"\n)+)", text, re.M)
    return {"".join(re.findall(r'"(.*)"', block)) for block in blocks} - {""}


@pytest.fixture
def gettext():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        pytest.fail("GNU gettext (msgfmt, xgettext) is needed: apt-get install gettext")


def test_catalogue_has_every_message_of_the_app(gettext, tmp_path, monkeypatch, settings):
    # The app and its templates in one folder with its own locale/, as makemessages sees an app.
    app = tmp_path / "themes"
    shutil.copytree(ROOT / "themes", app, ignore=shutil.ignore_patterns("locale", "migrations", "__pycache__"))
    shutil.copytree(ROOT / "templates" / "themes", app / "templates")
    (app / "locale").mkdir()
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["fr"], verbosity=0)
    found = msgids(app / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert len(found) > 50
    for lang in ("fr", "es"):
        missing = sorted(found - msgids(str(CATALOGUE).format(lang=lang)))
        assert not missing, f"themes/locale/{lang} lacks: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "labels"),
    [("fr", ["Aperçu", "Ressources", "Actualités et médias"]), ("es", ["Resumen", "Recursos", "Noticias y medios"])],
)
def test_tabs_in_french_and_spanish(gettext, client, settings, tmp_path, lang, labels):
    out = tmp_path / lang / "LC_MESSAGES"
    out.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(out / "django.mo"), str(CATALOGUE).format(lang=lang)], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    theme = make_theme("labour")
    ThemeLink.objects.create(theme=theme, title="Link", url="https://example.org/")
    make_article(title="News", themes=[theme])
    page = client.get(f"/{lang}/themes/labour/").content.decode()
    tabs = re.search(r'<ul class="tabs">.*?</ul>', page, re.S).group()
    assert re.findall(r">([^<>]+)</a>", tabs) == labels
