"""The content-app seam (``iomsite.content``): the core names no content app, and the checks refuse loose wiring."""

import copy
import re
from pathlib import Path

import pytest
from django.apps import AppConfig, apps

from iomsite import checks, content
from iomsite.content import Content

ROOT = Path(__file__).resolve().parents[2]
APP_NAMES = re.compile(r"\b(themes|consultations|regions|publications)\b", re.IGNORECASE)


def test_the_core_names_no_content_app():
    """``settings.py`` installs the apps; ``migrations/`` are history (a migration may name what it migrated)."""
    found = []
    for path in sorted((ROOT / "iomsite").rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if not path.is_file() or "migrations/" in relative or path.suffix not in {".py", ".html", ".txt", ".md"}:
            continue
        if relative in {"iomsite/settings.py", "iomsite/urls.py"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if APP_NAMES.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_the_content_apps_and_their_declarations():
    labels = [app.label for app in content.content_apps()]
    assert labels[:5] == ["iomsite", "themes", "consultations", "regions", "publications"]
    assert [step.name for step in content.demo_loaders()][:5] == [
        "iomsite",
        "regions",
        "themes",
        "consultations",
        "publications",
    ]
    assert list(content.section_trees()) == ["theme", "region"]
    assert [facet.name for facet in content.search_facets()] == ["theme", "region"]
    assert {"themes", "consultations", "regions", "publications", "admin", "search"} <= content.reserved_slugs()
    chapter = content.get(apps.get_model("publications", "TocEntry"))
    assert chapter.owner.model is apps.get_model("publications", "Publication")
    assert chapter.publishing.model is chapter.owner.model
    assert [part.model.__name__ for part in content.get(apps.get_model("themes", "Theme")).parts] == [
        "Infographic", "FeaturedProject", "ThemeDocument", "ThemeLink", "Video"
    ]  # fmt: skip


def test_the_site_passes_its_own_checks():
    assert checks.check_content_apps() == []


def ids(errors):
    return sorted({error.id for error in errors})


def notices_config(**changes):
    config = copy.copy(apps.get_app_config("notices"))
    for name, value in changes.items():
        setattr(config, name, value)
    return config


def test_an_app_with_publishable_models_that_is_not_a_content_app():
    installed = apps.get_app_config("notices")
    plain = AppConfig("tests.notices", installed.module)
    plain.apps, plain.models, plain.label = apps, installed.models, "notices"
    errors = checks.check_content_apps([plain])
    assert ids(errors) == ["iomsite.E001"]
    assert "Notice" in errors[0].msg


def test_a_publishable_model_unknown_to_the_seam():
    errors = checks.check_content_apps([notices_config(content=(Content("NoticeLink", part_of="notice"),))])
    assert ids(errors) == ["iomsite.E002"]


def test_a_part_the_seam_does_not_know_is_a_warning():
    errors = checks.check_content_apps([notices_config(content=(Content("Notice", search=content.Search("n", "N")),))])
    assert ids(errors) == ["iomsite.W001"]
    assert "part_of='notice'" in errors[0].hint


@pytest.mark.parametrize(
    "declaration",
    [
        Content("Nothing"),
        Content("Notice", shape="tree"),
        Content("Notice", part_of="title"),
        Content("Notice", sections={"planet": "region"}),
        Content("Notice", sections={"region": "nowhere"}),
        Content("Notice", section_root=True),
    ],
    ids=["missing model", "wrong shape", "part of a non-key", "unknown tree", "bad path", "root of a list"],
)
def test_declarations_that_name_nothing(declaration):
    config = notices_config(content=(declaration, Content("NoticeLink", part_of="notice")))
    assert "iomsite.E003" in ids(checks.check_content_apps([config]))


def test_url_prefixes_and_dotted_paths_are_checked():
    assert ids(checks.check_content_apps([notices_config(url_prefix="search")])) == ["iomsite.E004"]
    assert ids(checks.check_content_apps([notices_config(url_prefix="a/b")])) == ["iomsite.E004"]
    unwired = notices_config(urls="tests.notices.unwired_urls")
    errors = checks.check_content_apps([unwired])
    assert ids(errors) == ["iomsite.E004"] and "not included" in errors[0].msg
    assert ids(checks.check_content_apps([notices_config(demo="tests.notices.demo.nothing")])) == ["iomsite.E005"]
    themes = copy.copy(apps.get_app_config("themes"))
    themes.url_prefix = "notices"
    errors = checks.check_content_apps([notices_config(), themes])
    assert ids(errors) == ["iomsite.E004"] and "both take" in errors[0].msg
