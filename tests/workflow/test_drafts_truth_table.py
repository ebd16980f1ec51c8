"""The truth table of issue 17: role × state × path → allowed or refused, and what a visitor sees afterwards.

Roles: Editor, Publisher, Site manager, and an Editor limited to the Americas section, on an item inside
it and on one outside it. States of the item (a country with its key figures): draft, live, live + draft
(a stored draft), scheduled (published, starting tomorrow). Paths: the change form, an inline row, the
bulk publish action, restoring an earlier version, a crafted POST (publishing fields, buttons and a
past schedule time), and the publish button. The visitor's view afterwards is "404" (not on the site),
"old" (the item as it was, on the site) or "new" (the change is public).
"""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from iomsite.models import Status
from iomsite.workflow import drafts
from iomsite.workflow.models import Draft
from iomsite.workflow.roles import EDITOR, PUBLISHER, SITE_MANAGER
from regions.models import Region
from tests.regions.factories import make_country, make_figure, make_region
from tests.workflow.conftest import client_for, make_user, team_group
from tests.workflow.helpers import admin_url, change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db

ROLES = ("editor", "publisher", "site manager", "sectioned editor, inside", "sectioned editor, outside")
STATES = ("draft", "live", "live+draft", "scheduled")
PATHS = ("change form", "inline", "bulk action", "restore", "crafted POST", "publish button")
NEW = "Changedmark"


def make_item(state, parent):
    now = timezone.now()
    fields = {
        "draft": {"published": False},
        "live": {},
        "live+draft": {},
        "scheduled": {"status": Status.PUBLISHED, "publish_at": now + timedelta(days=1)},
    }[state]
    country = make_country("HN", parent, slug="honduras", title="Originalmark", **fields)
    make_figure(country, label="Migrants abroad")
    with reversion.create_revision():  # an earlier version holding the new title, to restore
        country.title = NEW
        country.save()
    with reversion.create_revision():
        country.title = "Originalmark"
        country.save()
    if state == "live+draft":
        with drafts.rolled_back():
            stored = Region.objects.get(pk=country.pk)
            stored.summary = "Draftmark summary"
            stored.save()
            data = drafts.snapshot(stored)
        drafts.save_draft(Region.objects.get(pk=country.pk), data, None)
    item = Region.objects.get(pk=country.pk)
    item.public_url = item.get_absolute_url()
    return item


def attempt(client, item, path):
    """Try to make the item show ``NEW`` along ``path``; the HTTP status of the decisive request."""
    url = change_url(item)
    if path == "bulk action":  # publishes the item as it is: visible or not is the question
        data = {"action": "publish_now", "_selected_action": [item.pk], "index": 0}
        return client.post(changelist_url(Region), data).status_code
    if path == "restore":
        version = Version.objects.get_for_object(item).order_by("pk")[0]
        restore_url = admin_url(item, f"history/{version.pk}")
        response = client.get(restore_url)
        if response.status_code != 200:
            return response.status_code
        return client.post(restore_url, form_data(response)).status_code
    response = client.get(url)
    if response.status_code != 200 or response.context is None or "adminform" not in response.context:
        return response.status_code
    if path == "inline":
        data = form_data(response)
        formsets = response.context["inline_admin_formsets"]
        prefix = next(inline.formset.prefix for inline in formsets if inline.formset.model.__name__ == "KeyFigure")
        total = int(data[f"{prefix}-TOTAL_FORMS"])
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total + 1),
                f"{prefix}-{total}-sort_order": "9",
                f"{prefix}-{total}-label_en": NEW,
                f"{prefix}-{total}-value": "12",
                f"{prefix}-{total}-unit": "people",
                f"{prefix}-{total}-year": "2020",
                f"{prefix}-{total}-source_en": "A census",
            }
        )
    elif path == "change form":
        data = form_data(response, title_en=NEW)
    elif path == "crafted POST":
        data = form_data(response, title_en=NEW, status="published", _publish="1", _schedule_changes="1")
        data.update({"publish_at_0": "01/01/2020", "publish_at_1": "00:00:00", "_changes_at": "2020-01-01T00:00"})
    else:  # the publish button
        data = form_data(response, title_en=NEW, _publish="1")
    return client.post(url, data).status_code


def visitor_sees(item):
    response = Client().get(item.public_url)
    if response.status_code == 404:
        return "404"
    html = response.content.decode()
    return "new" if NEW in html or "Draftmark" in html else "old"


def expected(role, state, path):
    """(allowed, visitor) — what the rules promise."""
    before = "404" if state in ("draft", "scheduled") else "old"
    if role == "sectioned editor, outside":
        return False, before
    if role in ("editor", "sectioned editor, inside"):
        return path not in ("bulk action",), before  # a change to a draft or into a draft; never visible
    # Publishers and site managers
    if path in ("publish button", "crafted POST"):
        return True, "new"
    if path == "bulk action":
        return True, "old"  # on the site now, as the item is (a live item's draft stays a draft)
    return True, before  # change form, inline, restore: a draft row changes, a live item gets a draft


@pytest.fixture
def world():
    americas = make_region("americas", title="Americas")
    europe = make_region("europe", title="Europe")
    return {
        "americas": americas,
        "inside": make_region("central-america", americas, title="Central America"),
        "outside": make_region("western-europe", europe, title="Western Europe"),
    }


@pytest.fixture
def actors(django_user_model, world):
    groups = {name: Group.objects.get(name=name) for name in (EDITOR, PUBLISHER, SITE_MANAGER)}
    amy = make_user(django_user_model, "amy", team_group("Americas team", region=world["americas"]))
    return {
        "editor": client_for(make_user(django_user_model, "edna", groups[EDITOR])),
        "publisher": client_for(make_user(django_user_model, "paul", groups[PUBLISHER])),
        "site manager": client_for(make_user(django_user_model, "mona", groups[SITE_MANAGER])),
        "sectioned editor, inside": client_for(amy),
        "sectioned editor, outside": client_for(amy),
    }


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_truth_table(actors, world, role, state, path):
    parent = world["outside" if role == "sectioned editor, outside" else "inside"]
    item = make_item(state, parent)
    before = visitor_sees(item)
    allowed, visitor = expected(role, state, path)
    assert before == ("404" if state in ("draft", "scheduled") else "old")
    status = attempt(actors[role], item, path)
    after = visitor_sees(item)
    assert after == visitor, (role, state, path, status)
    if role == "sectioned editor, outside" and path != "bulk action":
        assert status == 404, (role, state, path)
    if allowed and path in ("change form", "inline", "restore") and state != "draft":
        # The change is kept: in the item's draft (a live or scheduled item), never lost.
        assert Draft.objects.filter(object_id=item.pk).exists(), (role, state, path, status)
