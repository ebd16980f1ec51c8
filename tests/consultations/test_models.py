from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from consultations.models import ConsultationEvent, ConsultationSeries
from tests.consultations.factories import make_country, make_event, make_series

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2017, 9, 12, 10, 0, 0))


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def test_events_of_a_draft_series_are_not_public():
    hidden = make_series("hidden", published=False)
    shown = make_series("shown")
    make_event(hidden, "in-hidden")
    make_event(shown, "in-shown")
    assert slugs(ConsultationEvent.objects.published().in_published_series()) == {"in-shown"}


def test_default_ordering_is_newest_first():
    series = make_series()
    make_event(series, "old", start=date(2011, 11, 11))
    make_event(series, "newest", start=date(2018, 9, 25))
    make_event(series, "middle", start=date(2015, 9, 18))
    assert [e.slug for e in ConsultationEvent.objects.all()] == ["newest", "middle", "old"]


def test_upcoming_and_past_split_by_the_clock():
    series = make_series()
    make_event(series, "last-year", start=date(2016, 11, 4))
    make_event(series, "yesterday", start=date(2017, 9, 11))
    make_event(series, "running", start=date(2017, 9, 11), end_date=date(2017, 9, 12))  # last day today
    make_event(series, "today", start=date(2017, 9, 12))
    make_event(series, "later", start=date(2018, 9, 25))
    make_event(series, "soon", start=date(2017, 10, 1))
    with time_machine.travel(NOW, tick=False):
        assert [e.slug for e in ConsultationEvent.objects.upcoming()] == ["running", "today", "soon", "later"]
        assert [e.slug for e in ConsultationEvent.objects.past()] == ["yesterday", "last-year"]
        table = [e.slug for e in ConsultationEvent.objects.upcoming_then_past()]
        assert table == ["running", "today", "soon", "later", "yesterday", "last-year"]
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert "running" in slugs(ConsultationEvent.objects.past())
        assert ConsultationEvent.objects.get(slug="running").is_upcoming() is False


def test_year_follows_the_start_date_and_a_one_day_range_is_one_day():
    event = make_event(make_series(), start=date(2017, 9, 11), end_date=date(2017, 9, 11))
    assert event.year == 2017
    assert event.end_date is None
    event.start_date = date(2018, 1, 2)
    event.save()
    event.refresh_from_db()
    assert event.year == 2018


def test_end_before_start_is_refused_by_clean_and_by_the_database():
    series = make_series()
    event = ConsultationEvent(
        series=series, title="Backwards", slug="backwards", start_date=date(2017, 9, 12), end_date=date(2017, 9, 11)
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end_date" in error.value.message_dict
    ok = make_event(series, "ok", start=date(2017, 9, 11), end_date=date(2017, 9, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationEvent.objects.filter(pk=ok.pk).update(end_date=date(2017, 9, 1))


def test_title_and_slug_unique_within_series_and_year():
    series = make_series()
    make_event(series, "iom-ngo-humanitarian-consultation", start=date(2015, 6, 30), title="Consultation")
    same_slug = ConsultationEvent(series=series, title="Other", slug="iom-ngo-humanitarian-consultation")
    same_slug.start_date = date(2015, 12, 1)
    with pytest.raises(ValidationError, match="already uses this slug"):
        same_slug.full_clean()
    same_title = ConsultationEvent(series=series, title="Consultation", slug="other", start_date=date(2015, 1, 5))
    with pytest.raises(ValidationError, match="already has this title"):
        same_title.full_clean()
    # Another year, or another series, is fine: the URL carries both.
    next_year = ConsultationEvent(
        series=series, title="Consultation", slug="iom-ngo-humanitarian-consultation", start_date=date(2016, 6, 13)
    )
    next_year.full_clean()
    other_series = ConsultationEvent(
        series=make_series(),
        title="Consultation",
        slug="iom-ngo-humanitarian-consultation",
        start_date=date(2015, 6, 1),
    )
    other_series.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationEvent.objects.create(
            series=series, title="X", slug="iom-ngo-humanitarian-consultation", start_date=date(2015, 3, 3)
        )


def test_title_uniqueness_compares_english_titles_whatever_the_editor_language():
    series = make_series()
    make_event(series, "a", start=date(2015, 6, 30), title="Consultation")
    with translation.override("fr"):  # an editor working in French
        clash = ConsultationEvent(series=series, slug="b", start_date=date(2015, 7, 1), title_en="Consultation")
        clash.title = "Consultation humanitaire"
    assert clash.title_fr == "Consultation humanitaire"
    with pytest.raises(ValidationError, match="already has this title"):
        clash.full_clean()


def test_reserved_series_slug_refused():
    series = ConsultationSeries(title="Feed", slug="feed")
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "slug" in error.value.message_dict


def test_search_data_in_the_active_language():
    country = make_country("KE", "Kenya")
    event = make_event(
        make_series(),
        start=date(2017, 9, 11),
        end_date=date(2017, 9, 12),
        title="Regional consultation",
        title_fr="Consultation régionale",
        summary="Two days in Nairobi.",
        theme="Partnerships",
        body="<p>Programme <strong>and</strong> people.</p>",
        country=country,
    )
    data = event.search_data()
    assert data["title"] == "Regional consultation"
    assert data["body"] == "Programme and people."
    assert data["date"] == date(2017, 9, 11)
    assert data["region_ids"] == [country.pk]
    assert "Partnerships" in data["summary"]
    with translation.override("fr"):
        assert event.search_data()["title"] == "Consultation régionale"
    series_data = event.series.search_data()
    assert series_data["body"] == "What the series is for." and series_data["date"] is None


def test_documents_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    from consultations.models import EventDocument
    from tests.iomsite.factories import make_document

    document = make_document("Programme")
    EventDocument.objects.create(event=make_event(make_series()), document=document)
    with pytest.raises(ProtectedError):
        document.delete()


def test_a_country_with_events_cannot_be_deleted():
    from django.db.models import ProtectedError

    country = make_country()
    make_event(make_series(), country=country)
    with pytest.raises(ProtectedError):
        country.delete()
