"""``make_*`` helpers for the consultations tests. Each returns a saved object."""

from datetime import date

from django.utils import timezone

from consultations.models import (
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Partner,
    Registration,
    SeriesDocument,
)
from iomsite.models import Status
from regions.models import Region
from tests.iomsite.factories import live as _live
from tests.iomsite.factories import make_document, unique

LONG_AGO = timezone.make_aware(timezone.datetime(2000, 1, 1))


def live(**extra):
    """Published since long ago, so that tests may travel back to the years of the events."""
    return _live(publish_at=LONG_AGO, **extra)


def make_series(slug=None, published=True, **fields):
    slug = slug or unique("series")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update({"title": slug.replace("-", " ").title(), "overview": "<p>What the series is for.</p>"})
    defaults.update(fields)
    return ConsultationSeries.objects.create(slug=slug, **defaults)


def make_event(series, slug=None, start=date(2015, 9, 18), published=True, **fields):
    slug = slug or unique("event")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update({"title": slug.replace("-", " ").title(), "city": "Geneva"})
    defaults.update(fields)
    return ConsultationEvent.objects.create(series=series, slug=slug, start_date=start, **defaults)


def make_country(iso_code="CH", title="Switzerland", published=True, **fields):
    slug = title.lower().replace(" ", "-")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update(fields)
    return Region.objects.create(kind="country", iso_code=iso_code, title=title, slug=slug, **defaults)


def make_partner(name="International Council of Voluntary Agencies", acronym="ICVA", **fields):
    return Partner.objects.create(name=name, acronym=acronym, **fields)


def _overview(**state):
    """The one overview row, in this state (saved over the previous one: it is always row 1)."""
    overview = ConsultationsOverview(title="Consultations", body="<p>How they work.</p>", **state)
    overview.save()
    return overview


def _series_document(**state):
    return SeriesDocument.objects.create(series=make_series(**state), document=make_document())


def _event_document(**state):
    return EventDocument.objects.create(event=make_event(make_series(), **state), document=make_document())


def _registration(**state):
    return Registration.objects.create(
        event=make_event(make_series(), **state), name="Ana", email=f"{unique('ana')}@example.org"
    )


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {
    ConsultationsOverview: _overview,
    ConsultationSeries: lambda **state: make_series(**state),
    SeriesDocument: _series_document,
    ConsultationEvent: lambda **state: make_event(make_series(), **state),  # in a live series
    EventDocument: _event_document,
    Registration: _registration,
}
