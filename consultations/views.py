"""Public pages of the consultations section: a fixed number of queries each."""

import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView
from modeltranslation.utils import build_localized_fieldname, get_language

from consultations import registration
from consultations.calendar import calendar_response, make_calendar, make_event
from consultations.forms import RegistrationForm
from consultations.models import (
    LAST_DAY,
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Registration,
    SeriesDocument,
    group_documents,
)
from iomsite import ratelimit
from iomsite.freshness import next_change, remember
from iomsite.models import SiteSettings, Status, live_q
from iomsite.pagination import paginate
from iomsite.preview import PreviewMixin
from iomsite.security import client_ip
from regions.models import Region
from themes.models import Theme

PER_PAGE = 20
ATTENDANCE_MODES = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}
UPCOMING_ON_INDEX = 12
THEMES_ON_INDEX = 12  # year themes per series on the index; the series page has every event
CALENDAR_PAST_DAYS = 365  # a series' calendar feed: events of the last twelve months …
CALENDAR_LIMIT = 500  # … and upcoming ones, at most this many
YEAR = re.compile(r"[0-9]{4}")
COUNTRY = re.compile(r"[A-Za-z]{2}")


def public_events():
    """Published events of published series, with what listings show."""
    return ConsultationEvent.objects.published().in_published_series().select_related("series", "country").with_places()


@require_safe
def index(request):
    overview = ConsultationsOverview.objects.published().first()
    today = timezone.localdate()
    series_list = list(ConsultationSeries.objects.published().prefetch_related("partners"))
    counts = event_counts(today)
    for series in series_list:
        series.live_events, series.coming_events = counts.get(series.pk, (0, 0))
    events = public_events()
    # The year themes: each series' latest few, numbered per series in SQL (a window), oldest first.
    latest_first = Window(RowNumber(), partition_by=F("series_id"), order_by=[F("start_date").desc(), F("pk").desc()])
    themes = [build_localized_fieldname("theme", code) for code, _name in settings.LANGUAGES]
    themed = (
        ConsultationEvent.objects.published()
        .filter(series__in=[series.pk for series in series_list])
        .filter(any_translation_filled(ConsultationEvent, "theme"))
        .only("series_id", "slug", "year", "start_date", "end_date", "city", *themes)
        .annotate(recency=latest_first)
        .filter(recency__lte=THEMES_ON_INDEX + 1)  # one more tells whether there are earlier years
    )
    by_series = {series.pk: [] for series in series_list}
    series_by_pk = {series.pk: series for series in series_list}
    for event in sorted(themed, key=lambda event: (event.start_date, event.pk)):
        event.series = series_by_pk[event.series_id]  # its URL without a query
        by_series[event.series_id].append(event)
    for series in series_list:
        shown = [event for event in by_series[series.pk] if event.theme]
        series.more_themes = len(shown) > THEMES_ON_INDEX
        series.themed_events = shown[-THEMES_ON_INDEX:]
        series.event_count = series.live_events
    # The next few events; each series' page lists all of its own.
    upcoming = list(events.upcoming(today)[: UPCOMING_ON_INDEX + 1])
    title = overview.title if overview else _("Consultations")
    context = {
        "title": title,
        "crumbs": [(title, "")],
        "overview": overview,
        "translation_object": overview,  # the notice, hreflang and canonical follow its language
        "series_list": series_list,
        "upcoming": upcoming[:UPCOMING_ON_INDEX],
        "more_upcoming": len(upcoming) > UPCOMING_ON_INDEX,
        "series_with_upcoming": [series for series in series_list if series.coming_events],
    }
    return render(request, "consultations/index.html", context)


def event_counts(today):
    """``{series pk: (published events, of which not over)}``, kept in the shared cache.

    Counting reads every event; kept under the content version and the day, for no
    longer than the next scheduled publishing change of an event (found by the same
    query). One query when counted, none when not.
    """
    return remember(f"consultations:event-counts:{today}", lambda: _event_counts(today))


def _event_counts(today):
    now = timezone.now()
    live, coming = live_q(now), Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)
    rows = (
        ConsultationEvent.objects.filter(status=Status.PUBLISHED)
        .order_by()
        .values("series_id")
        .annotate(
            live=Count("pk", filter=live),
            coming=Count("pk", filter=live & coming),
            opens=Min("publish_at", filter=Q(publish_at__gt=now)),
            closes=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
    )
    counts, moments = {}, []
    for row in rows:
        counts[row["series_id"]] = (row["live"], row["coming"])
        moments.extend(moment for moment in (row["opens"], row["closes"]) if moment)
    return counts, min(moments, default=None)


def any_translation_filled(model, field):
    """Rows whose ``field`` has text in any language (what the active language shows, with its fallback)."""
    query = Q()
    for code, _name in settings.LANGUAGES:
        query |= Q(**{f"{build_localized_fieldname(field, code)}__gt": ""})
    return query


class UpcomingThenPast:
    """Upcoming events soonest first, then past events newest first, for the paginator.

    Each page is read with one or two index scans (upcoming ascending, past descending by
    date) instead of sorting every event of the series, so a deep page costs about what
    the first one does. ``count()`` is one query for both totals, none when they are given.
    """

    def __init__(self, events, today, totals=None):
        self.events, self.today = events, today
        self.totals = totals

    def count_both(self):
        """``{"total": …, "upcoming": …}`` in one query."""
        if self.totals is None:
            self.totals = self.events.alias(last_day=LAST_DAY).aggregate(
                total=Count("pk"), upcoming=Count("pk", filter=Q(last_day__gte=self.today))
            )
        return self.totals

    def count(self):
        return self.count_both()["total"]

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        self.count()
        start, stop, upcoming = window.start or 0, window.stop, self.totals["upcoming"]
        rows = []
        if start < upcoming:
            rows += self.window(self.events.upcoming(self.today), start, min(stop, upcoming))
        if stop > upcoming:
            rows += self.window(self.events.past(self.today), max(0, start - upcoming), stop - upcoming)
        return rows

    @staticmethod
    def window(ordered, start, stop):
        """Rows ``start:stop`` of ``ordered``: the offset is walked on primary keys alone, then 20 rows are read."""
        keys = ordered.values("pk")[start:stop]
        return list(ordered.filter(pk__in=keys))


def filter_events(events, filters):
    if filters["year"] is not None:
        events = events.filter(year=filters["year"])
    if filters["country"]:
        events = events.filter(country__iso_code=filters["country"])
    return events


def parse_filters(request):
    """``?year=2017&country=KE``: malformed values are a 404, unknown ones simply match nothing."""
    year = request.GET.get("year", "")
    country = request.GET.get("country", "")
    if year and not YEAR.fullmatch(year):
        raise Http404(_("There is no such year."))
    if country and not COUNTRY.fullmatch(country):
        raise Http404(_("There is no such country."))
    return {"year": int(year) if year else None, "country": country.upper()}


class SeriesDetailView(PreviewMixin, DetailView):
    model = ConsultationSeries
    context_object_name = "series"
    template_name = "consultations/series_detail.html"

    def get_queryset(self):
        documents = SeriesDocument.objects.select_related("document")
        return (
            super()
            .get_queryset()
            .prefetch_related("partners", Prefetch("key_documents", queryset=documents, to_attr="documents"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.object
        filters = parse_filters(self.request)
        today = timezone.localdate()
        events = filter_events(ConsultationEvent.objects.published().filter(series=series), filters)
        years, countries, totals = self.summary(series, filters, today)
        rows_of = events.select_related("country").with_places()
        page = paginate(self.request, UpcomingThenPast(rows_of, today, totals), PER_PAGE)
        rows = list(page.object_list)
        for event in rows:
            event.series = series  # no query per row for its URL
        calendar = self.request.build_absolute_uri(reverse("consultations:series_ical", kwargs={"slug": series.slug}))
        context.update(
            {
                "crumbs": [(_("Consultations"), reverse("consultations:index")), (series.title, "")],
                "webcal_url": "webcal://" + calendar.split("://", 1)[1],
                "page": page,
                "upcoming": [event for event in rows if event.is_upcoming(today)],
                "past": [event for event in rows if not event.is_upcoming(today)],
                "filters": filters,
                "filtered": filters["year"] is not None or bool(filters["country"]),
                "years": years,
                "countries": countries,
            }
        )
        return context

    @classmethod
    def summary(cls, series, filters, today):
        """The filter options and the listing's totals, kept in the shared cache.

        They cost two aggregates over every event of the series; kept under the content
        version (any edit retires them), the language (country names) and the day (what
        is upcoming), for no longer than the next scheduled publishing change among the
        series' events. One more query when they are computed, none when they are not.
        """

        def compute():
            now = timezone.now()
            events = ConsultationEvent.objects.published(now).filter(series=series)
            years, countries = cls.filter_options(events)
            totals = UpcomingThenPast(filter_events(events, filters), today).count_both()
            return (years, countries, totals), next_change(ConsultationEvent.objects.filter(series=series), now)

        parts = (series.pk, get_language(), today, *filters.values())
        return remember("consultations:series:" + ":".join(map(str, parts)), compute)

    @staticmethod
    def filter_options(events):
        """The years and countries the series has events in, in one query (country names localised)."""
        languages = dict.fromkeys([get_language(), settings.LANGUAGE_CODE])
        names = [build_localized_fieldname("country__title", code) for code in languages]
        years, countries = set(), {}
        options = events.order_by().values_list("year", "country__iso_code", *names).distinct()
        for year, iso_code, *titles in options:
            years.add(year)
            if iso_code:
                countries[iso_code] = next((title for title in titles if title), iso_code)
        by_name = sorted(countries.items(), key=lambda item: unicodedata.normalize("NFKD", item[1]).casefold())
        return sorted(years, reverse=True), [{"iso_code": code, "title": title} for code, title in by_name]


class EventDetailView(PreviewMixin, DetailView):
    model = ConsultationEvent
    context_object_name = "event"
    template_name = "consultations/event_detail.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.can_preview():
            queryset = queryset.in_published_series()
        documents = EventDocument.objects.select_related("document")
        return (
            queryset.select_related("series", "country")
            .with_places()
            .annotate(country_live=Exists(Region.objects.published().filter(pk=OuterRef("country_id"))))
            .prefetch_related(
                Prefetch("key_documents", queryset=documents, to_attr="documents"),
                Prefetch("themes", queryset=Theme.objects.published(), to_attr="live_themes"),
                "series__partners",
            )
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        kwargs = self.kwargs
        return get_object_or_404(queryset, series__slug=kwargs["series"], year=int(kwargs["year"]), slug=kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context["preview"] = not (event.is_live and event.series.is_live)
        context["crumbs"] = [
            (_("Consultations"), reverse("consultations:index")),
            (event.series.title, event.series.get_absolute_url()),
            (event.title, ""),
        ]
        context["previous"], context["next"] = self.neighbours(event)
        context["json_ld"] = self.structured_data(event)
        context["partners"] = list(event.series.partners.all())
        context["document_groups"] = group_documents(event.documents)
        return context

    def neighbours(self, event):
        """The published events just before and just after, by date (one query each)."""
        siblings = ConsultationEvent.objects.published().filter(series=event.series_id)
        earlier = Q(start_date__lt=event.start_date) | Q(start_date=event.start_date, pk__lt=event.pk)
        later = Q(start_date__gt=event.start_date) | Q(start_date=event.start_date, pk__gt=event.pk)
        previous = siblings.filter(earlier).order_by("-start_date", "-pk").first()
        following = siblings.filter(later).order_by("start_date", "pk").first()
        for neighbour in (previous, following):
            if neighbour is not None:
                neighbour.series = event.series
        return previous, following

    def structured_data(self, event):
        """schema.org Event, for search engines and calendar assistants."""
        request = self.request
        site = SiteSettings.load()
        address = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        if event.country_id:
            address["addressCountry"] = event.country.iso_code or event.country.title
        organizers = [{"@type": "Organization", "name": site.name, "url": request.build_absolute_uri("/")}]
        for partner in event.series.partners.all():
            organizer = {"@type": "Organization", "name": partner.name}
            if partner.url:
                organizer["url"] = partner.url
            organizers.append(organizer)
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "startDate": event.start_date.isoformat(),
            "endDate": event.last_date.isoformat(),
            "eventAttendanceMode": ATTENDANCE_MODES[event.attendance],
            "eventStatus": event.lifecycle.schema_status,
            "location": {"@type": "Place", "name": event.location or event.series.title, "address": address},
            "organizer": organizers if len(organizers) > 1 else organizers[0],
            "url": request.build_absolute_uri(event.get_absolute_url()),
            "superEvent": {
                "@type": "EventSeries",
                "name": event.series.title,
                "url": request.build_absolute_uri(event.series.get_absolute_url()),
            },
        }
        if event.summary:
            data["description"] = event.summary
        return data


@require_safe
def series_calendar(request, slug):
    """The series as a calendar to subscribe to (desktop and phone calendars).

    Like the calendar feeds of mature tools, it holds what a subscriber can use, not the
    archive: events that ended in the last ``CALENDAR_PAST_DAYS`` days and every event not
    over yet, at most ``CALENDAR_LIMIT`` of them, the nearest first (upcoming ones soonest
    first, then past ones newest first), in date order in the file. A calendar that
    subscribed earlier keeps the events it already has; the series page lists them all.
    """
    series = get_object_or_404(ConsultationSeries.objects.published(), slug=slug)
    cal = make_calendar(series.title, series.summary)
    today = timezone.localdate()
    events = (
        ConsultationEvent.objects.published()
        .filter(series=series)
        .not_over(today - timedelta(days=CALENDAR_PAST_DAYS))
        .select_related("country")
        .with_places()
        .upcoming_then_past(today)[:CALENDAR_LIMIT]
    )
    for event in sorted(events, key=lambda event: (event.start_date, event.pk)):
        event.series = series
        cal.add_component(make_event(event, request.build_absolute_uri(event.get_absolute_url())))
    return calendar_response(cal, f"{series.slug}.ics", attachment=False)


@require_safe
def event_calendar(request, series, year, slug):
    """One event as an ``.ics`` file to add to a calendar."""
    event = get_object_or_404(public_events(), series__slug=series, year=int(year), slug=slug)
    cal = make_calendar()
    cal.add_component(make_event(event, request.build_absolute_uri(event.get_absolute_url())))
    return calendar_response(cal, f"{event.slug}-{event.year}.ics", attachment=True)


# Registration ---------------------------------------------------------------------------

REGISTRATIONS_PER_IP = 10  # an hour: a group registering from one office network still fits
REGISTRATION_WINDOW = 60 * 60


def registration_page(request, template, event, context=None, status=200):
    crumbs = [
        (_("Consultations"), reverse("consultations:index")),
        (event.series.title, event.series.get_absolute_url()),
        (event.title, event.get_absolute_url()),
        (_("Registration"), ""),
    ]
    return render(
        request,
        f"consultations/registration/{template}.html",
        {"event": event, "crumbs": crumbs, **(context or {})},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, series, year, slug):
    """The registration form of an event (its own page, so the event page stays cacheable)."""
    event = get_object_or_404(public_events(), series__slug=series, year=int(year), slug=slug)
    if not event.registration_enabled or not event.lifecycle.registration_open:
        return registration_page(request, "not_open", event, status=200 if event.registration_enabled else 404)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("consultations.register", client_ip(request), REGISTRATIONS_PER_IP, REGISTRATION_WINDOW):
            return registration_page(request, "too_many", event, status=429)
        if not form.is_bot:
            registration.register(event, form.cleaned_data, translation.get_language())
        return redirect("consultations:check_inbox", **event.url_kwargs())
    return registration_page(request, "form", event, {"form": form})


@require_safe
def check_inbox(request, series, year, slug):
    event = get_object_or_404(public_events(), series__slug=series, year=int(year), slug=slug)
    return registration_page(request, "check_inbox", event)


def _bad_link(request, error):
    template = "link_expired" if isinstance(error, registration.ExpiredToken) else "link_invalid"
    return render(
        request, f"consultations/registration/{template}.html", {"crumbs": [(_("Registration"), "")]}, status=400
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration(request, token):
    """GET shows a button, POST confirms: mail scanners that open links confirm nothing."""
    try:
        entry = registration.read_confirm_token(token)
    except registration.InvalidToken as error:
        return _bad_link(request, error)
    event = entry.event
    if entry.status == Registration.Status.CANCELLED:
        return registration_page(request, "cancelled", event, {"registration": entry})
    if request.method == "POST":
        status = registration.confirm(entry)
        entry.refresh_from_db()
        if status is None:
            return registration_page(request, "not_open", event, {"registration": entry}, status=409)
    if entry.status == Registration.Status.PENDING:
        return registration_page(request, "confirm", event, {"registration": entry, "action": request.path})
    return registration_page(request, "confirmed", event, {"registration": entry})


@csrf_exempt  # the signed token is the only credential; no session is involved
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_registration(request, token):
    try:
        entry = registration.read_cancel_token(token)
    except registration.InvalidToken as error:
        return _bad_link(request, error)
    if request.method == "POST":
        registration.cancel(entry)
        entry.refresh_from_db()
    if entry.status == Registration.Status.CANCELLED:
        return registration_page(request, "cancelled", entry.event, {"registration": entry})
    return registration_page(request, "cancel", entry.event, {"registration": entry, "action": request.path})
