"""The interface of the section in French and Spanish: complete catalogues that compile."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "consultations" / "locale"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is needed to compile catalogues")
@pytest.mark.parametrize(
    "language, samples",
    [
        ("fr", {"Past events": "Événements passés", "Add to my calendar": "Ajouter à mon agenda"}),
        ("es", {"Past events": "Eventos pasados", "Add to my calendar": "Añadir a mi calendario"}),
    ],
)
def test_catalogue_is_complete_and_compiles(tmp_path, language, samples):
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(source)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    with compiled.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for english, translated in samples.items():
        assert catalogue.gettext(english) == translated
    assert catalogue.ngettext("%(counter)s event", "%(counter)s events", 2).endswith(("événements", "eventos"))
