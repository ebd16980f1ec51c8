import pytest
from django.apps import apps

from tests.factories import live


@pytest.fixture
def themes(db):
    """Two live main topics, a live sub-topic and a draft main topic."""
    theme_model = apps.get_model("themes", "Theme")

    def make(title, slug, parent=None, published=True):
        fields = live() if published else {"status": "draft"}
        return theme_model.objects.create(title=title, slug=slug, parent=parent, body="<p>Overview.</p>", **fields)

    labour = make("Labour Migration", "labour-migration")
    make("Migration and Climate Change", "migration-and-climate-change")
    make("Ethical Recruitment", "ethical-recruitment", parent=labour)
    make("Unfinished Theme", "unfinished-theme", published=False)
    return theme_model
