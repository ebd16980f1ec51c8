"""Generated consultations for benchmarks (``manage.py generate_content``).

Scale 1: 20 series with 250 events each (5,000 events); scale 10 keeps the 20 series
and gives each 2,500 events, so a series listing grows from 13 to 125 pages: the deep
pages are what the benchmark compares. The first series, the flagship, takes the first
40 events before the others get any, so that even a small scale has one series with
three pages of events (the link crawler's test follows them). Events go back five days at a time from mid-2027
(a few are upcoming); each series is held in its own pool of 25 countries, so its
country filter keeps a realistic length.
"""

from datetime import date, timedelta

from consultations.models import (
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Partner,
    SeriesDocument,
)
from iomsite.generate import PREFIX, PUBLISHED_AT, Text, bulk_create, counted, first_generated, publishing, store_text
from iomsite.models import Status

SERIES = 20
BASE_EVENTS = 5000
FLAGSHIP_LEAD = 40  # events of the first series before the round-robin starts
COUNTRY_POOL = 25
PARTNERS = 3
LAST_START = date(2027, 6, 1)


def generate(context):
    overview()
    partners = make_partners()
    series, new_series = make_series(context, partners)
    created = make_events(context, series, counted(BASE_EVENTS, context.scale))
    return {"series": new_series, "events": created}


def overview():
    if not ConsultationsOverview.objects.filter(pk=1).exists():
        text = Text("consultations-overview")
        ConsultationsOverview(
            title_en="Consultations",
            **text.fields("summary", "summary"),
            **text.fields("body", "html", 3),
            status=Status.PUBLISHED,
            publish_at=PUBLISHED_AT,
        ).save()


def make_partners():
    names = [f"Generated partner network {index + 1}" for index in range(PARTNERS)]
    found = {partner.name_en: partner for partner in Partner.objects.filter(name_en__in=names)}
    missing = [
        Partner(name_en=name, acronym=f"GPN{index + 1}") for index, name in enumerate(names) if name not in found
    ]
    bulk_create(Partner, missing)
    return [*found.values(), *missing]


def make_series(context, partners):
    slugs = [f"{PREFIX}series-{index + 1}" for index in range(SERIES)]
    found = {series.slug: series for series in ConsultationSeries.objects.filter(slug__in=slugs)}
    missing = []
    for index, slug in enumerate(slugs):
        if slug in found:
            continue
        text = Text("series", index)
        missing.append(
            ConsultationSeries(
                slug=slug,
                sort_order=100 + index,
                **text.fields("title", "title", 2),
                **text.fields("summary", "summary"),
                **text.fields("overview", "html", 4),
                **publishing(),
            )
        )
    store_text(missing, "overview", "overview_text")
    bulk_create(ConsultationSeries, missing)
    through = ConsultationSeries.partners.through
    through.objects.bulk_create(
        [through(consultationseries_id=s.pk, partner_id=partners[i % len(partners)].pk) for i, s in enumerate(missing)]
    )
    SeriesDocument.objects.bulk_create(
        [
            SeriesDocument(series_id=s.pk, document_id=context.media.document(i + order).pk, sort_order=order)
            for i, s in enumerate(missing)
            for order in range(2)
        ]
    )
    return [found.get(slug) or next(s for s in missing if s.slug == slug) for slug in slugs], len(missing)


def country_pools(series):
    """Published countries with an ISO code (the filters use it), 25 per series."""
    from regions.models import Region

    countries = list(
        Region.objects.published()
        .filter(kind=Region.Kind.COUNTRY, slug__startswith=PREFIX)
        .exclude(iso_code="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not countries:
        return [[] for _series in series]
    return [[countries[(index * 7 + j) % len(countries)] for j in range(COUNTRY_POOL)] for index in range(len(series))]


def related_themes():
    from themes.models import Theme

    return list(
        Theme.objects.published()
        .filter(slug__startswith=PREFIX, level__lte=1)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def place(index):
    """``(series number, rank in it)`` of generated event ``index``: its index alone decides."""
    if index < FLAGSHIP_LEAD:
        return 0, index
    number, rank = (index - FLAGSHIP_LEAD) % SERIES, (index - FLAGSHIP_LEAD) // SERIES
    return number, rank + (FLAGSHIP_LEAD if number == 0 else 0)


def make_events(context, series, wanted):
    existing = {
        (series_id, slug)
        for series_id, slug in ConsultationEvent.objects.filter(slug__startswith=PREFIX).values_list(
            "series_id", "slug"
        )
    }
    pools = country_pools(series)
    themes = related_themes()
    events, plans = [], []
    for index in range(wanted):
        number, rank = place(index)
        owner = series[number]
        slug = f"{PREFIX}{rank + 1}"
        if (owner.pk, slug) in existing:
            continue
        text = Text("event", number, rank)
        start = LAST_START - timedelta(days=5 * rank + number % 5)
        pool = pools[number]
        city = text.name(1)
        events.append(
            ConsultationEvent(
                series_id=owner.pk,
                slug=slug,
                start_date=start,
                end_date=start + timedelta(days=2) if rank % 3 == 0 else None,
                year=start.year,
                country_id=pool[rank % len(pool)] if pool else None,
                city_en=city,
                city_fr=city if text.is_translated else None,
                city_es=city if text.is_translated else None,
                # The theme of the year: an annual meeting now and then, not every event.
                **(text.fields("theme", "title", 3) if rank % 50 == 0 else {"theme_en": ""}),
                **text.fields("title", "title", 3, prefix=f"{rank + 1}. "),
                **text.fields("summary", "summary"),
                **text.fields("body", "html", 2, headings=False),
                **publishing(index, draft_every=97),
            )
        )
        plans.append((rank, themes[index % len(themes)] if themes and rank % 5 == 0 else None))
    store_text(events, "body", "body_text")
    bulk_create(ConsultationEvent, events)
    links = ConsultationEvent.themes.through
    links.objects.bulk_create(
        [
            links(consultationevent_id=event.pk, theme_id=theme)
            for event, (_rank, theme) in zip(events, plans, strict=True)
            if theme
        ],
        batch_size=1000,
    )
    EventDocument.objects.bulk_create(
        [
            EventDocument(event_id=event.pk, document_id=context.media.document(rank).pk, sort_order=1)
            for event, (rank, _theme) in zip(events, plans, strict=True)
            if rank % 10 == 0
        ],
        batch_size=1000,
    )
    return len(events)


def bench_pages():
    """A series listing, first and last page."""
    import math

    from consultations.views import PER_PAGE

    series = first_generated(
        ConsultationSeries.objects.published().filter(slug__startswith=PREFIX), "series", slug=f"{PREFIX}series-1"
    )
    events = ConsultationEvent.objects.published().filter(series=series).count()
    last_page = max(1, math.ceil(events / PER_PAGE))
    listing = series.get_absolute_url()
    return [("listing, page 1", listing), (f"listing, last page ({last_page})", f"{listing}?page={last_page}")]
