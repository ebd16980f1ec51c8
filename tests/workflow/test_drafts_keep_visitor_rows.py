"""A draft of a live event never holds, rewrites or deletes its registrations (rows visitors create)."""

import pytest

from consultations.models import Registration
from iomsite.workflow import drafts
from tests.consultations.factories import make_event, make_series

pytestmark = pytest.mark.django_db


def test_registrations_are_not_part_of_an_events_draft():
    event = make_event(make_series())
    Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org")
    before = drafts.snapshot(event)
    Registration.objects.create(event=event, name="Li Wei", email="li@example.org")
    models = {row["model"] for row in before["rows"]}
    assert "consultations.registration" not in models
    # Publishing the draft taken before the second sign-up keeps both registrations.
    drafts.apply(event, before)
    assert Registration.objects.filter(event=event).count() == 2
