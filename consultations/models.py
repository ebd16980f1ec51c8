"""Consultation series (IOM-CSO Annual Consultations, …) and their events."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.dates import format_date_range
from consultations.lifecycle import lifecycle, time_zone_choices, validate_time_zone
from iomsite.models import PublishableModel, PublishableQuerySet, TimeStampedModel
from iomsite.richtext import RichTextField, store_plain_text

# Path segments of the section that a series slug must not take.
RESERVED_SERIES_SLUGS = {"feed", "atom", "calendar", "registration"}


def validate_series_slug(value):
    if value in RESERVED_SERIES_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another slug."), params={"slug": value})


class Partner(TimeStampedModel):
    """An organisation that runs a consultation series with IOM (for example ICVA)."""

    name = models.CharField(_("name"), max_length=200, help_text=_("The full name, e.g. International Council of …"))
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, help_text=_("Optional, e.g. ICVA."))
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [models.UniqueConstraint(fields=["name_en"], name="consultations_partner_unique_name")]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class ConsultationsOverview(PublishableModel):
    """The introduction of the consultations section (one row), above the list of series."""

    title = models.CharField(_("title"), max_length=200, default="Consultations")
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for search and sharing."))
    body = RichTextField(
        _("overview"),
        help_text=_("How the consultations work. The list of each year's theme is added below it automatically."),
    )
    body_text = models.TextField(editable=False, blank=True)

    class Meta(PublishableModel.Meta):
        verbose_name = _("consultations overview")
        verbose_name_plural = _("consultations overview")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.pk = 1  # one introduction for the section
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:index")


class ConsultationSeries(PublishableModel):
    """A recurring consultation, e.g. the IOM-NGO Humanitarian Consultations."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_series_slug],
        help_text=_("The web address of the series: lowercase words joined by hyphens."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for listings and search."))
    overview = RichTextField(_("overview"), help_text=_("What the series is for and who takes part."))
    overview_text = models.TextField(editable=False, blank=True)
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("organised with"),
        blank=True,
        related_name="series",
        help_text=_("Organisations that run the series jointly with IOM."),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Series with a lower number come first in the list.")
    )

    class Meta(PublishableModel.Meta):
        ordering = ["sort_order", "title"]
        verbose_name = _("consultation series")
        verbose_name_plural = _("consultation series")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "overview", "overview_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:series", kwargs={"slug": self.slug})

    def search_data(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.overview_text,
            "date": None,
            "theme_ids": [],
            "region_ids": [],
        }


class SeriesDocument(models.Model):
    """A key document of a series, in the order editors give."""

    series = models.ForeignKey(ConsultationSeries, on_delete=models.CASCADE, related_name="key_documents")
    document = models.ForeignKey("iomsite.Document", verbose_name=_("document"), on_delete=models.PROTECT)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("key document")
        verbose_name_plural = _("key documents")
        constraints = [
            models.UniqueConstraint(fields=["series", "document"], name="consultations_seriesdocument_unique"),
        ]

    def __str__(self):
        return str(self.document)


class ConsultationEventQuerySet(PublishableQuerySet):
    def not_over(self, today=None):
        """Events whose last day is today or later (unordered): ``last_day`` is indexed."""
        return self.alias(last_day=LAST_DAY).filter(last_day__gte=today or timezone.localdate())

    def over(self, today=None):
        """Events whose last day is before today (unordered)."""
        return self.alias(last_day=LAST_DAY).filter(last_day__lt=today or timezone.localdate())

    def upcoming(self, today=None):
        """Events not over yet (a running event is upcoming until its last day), soonest first."""
        return self.not_over(today).order_by("start_date", "pk")

    def past(self, today=None):
        """Events whose last day is before today, newest first."""
        return self.over(today).order_by("-start_date", "-pk")

    def latest_past(self, today=None):
        """Events whose last day is before today, the most recently ended first: read backwards on the index."""
        return self.over(today).order_by(F("last_day").desc(), "-start_date", "-pk")

    def upcoming_then_past(self, today=None):
        """One list for tables: upcoming events soonest first, then past events newest first."""
        today = today or timezone.localdate()
        not_over = _not_over(today)
        return self.annotate(
            is_over=Case(When(not_over, then=Value(0)), default=Value(1)),
            upcoming_date=Case(When(not_over, then=F("start_date"))),
        ).order_by("is_over", "upcoming_date", "-start_date", "-pk")

    def in_published_series(self):
        return self.filter(series__in=ConsultationSeries.objects.published())

    def with_places(self):
        """Each event with ``places_taken``, its confirmed registrations (one subquery, no extra query)."""
        taken = (
            Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(places_taken=Coalesce(Subquery(taken), 0))

    def concluded_without_report(self, today=None):
        """Events that are over, not cancelled, and have no document with the report role: for editors."""
        reports = EventDocument.objects.filter(event=OuterRef("pk"), role=EventDocument.Role.REPORT)
        return self.over(today).filter(cancelled=False).exclude(models.Exists(reports))


def _not_over(today):
    return Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)


# An event's last day (the end date, or the only date): what "upcoming" and "past" compare, with its own index.
LAST_DAY = Coalesce("end_date", "start_date")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class ConsultationEvent(PublishableModel):
    """One consultation: a day or a few days, in one place."""

    series = models.ForeignKey(
        ConsultationSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Part of the web address, after the year. Must be unique within the series and year."),
    )
    start_date = models.DateField(_("date"), help_text=_("The first (or only) day."))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Only for events that last more than one day: the last day.")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False, help_text=_("Taken from the date."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "regions.Region",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "country"},
        related_name="consultation_events",
    )
    theme = models.CharField(
        _("theme of the year"),
        max_length=250,
        blank=True,
        help_text=_("The year's theme, as listed in the overview of the consultations."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for listings and search."))
    body = RichTextField(_("description"))
    body_text = models.TextField(editable=False, blank=True)
    themes = models.ManyToManyField(
        "themes.Theme",
        verbose_name=_("related themes"),
        blank=True,
        related_name="consultation_events",
        help_text=_("Thematic pages to link from the event page."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        choices=time_zone_choices,
        validators=[validate_time_zone],
        help_text=_("Where the event takes place: its days start and end at midnight there."),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    meeting_url = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_(
            "For online and hybrid events. Sent only to confirmed registrants, in their e-mails; "
            "never shown on the site."
        ),
    )
    cancelled = models.BooleanField(
        _("cancelled"), default=False, help_text=_("The event will not take place. The page and calendars say so.")
    )
    registration_enabled = models.BooleanField(
        _("registration on the site"),
        default=False,
        help_text=_("Let people register on the event page. Registration always ends when the event starts."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: open as soon as the event is published.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: open until the event starts.")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit on the number of participants.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When every place is taken, take further registrations on a waiting list."),
    )
    ask_organisation = models.BooleanField(_("ask for the organisation"), default=True)
    ask_country = models.BooleanField(_("ask for the country"), default=True)
    ask_accessibility = models.BooleanField(_("ask about accessibility needs"), default=True)

    objects = ConsultationEventQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        ordering = ["-start_date", "-pk"]
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")
        indexes = [
            # A series listing (its counts, filter options and deep pages) read from this index alone: it holds
            # every column those queries test (PostgreSQL; other databases ignore ``include``).
            models.Index(
                fields=["series", "start_date"],
                include=["id", "end_date", "year", "country", "status", "publish_at", "unpublish_at"],
                name="consult_event_listing",
            ),
            # Upcoming and past events found (and the latest past ones read) without sorting every event.
            models.Index(Coalesce("end_date", "start_date"), name="consult_event_last_day"),
            # The events with a year theme (a few per series) for the consultations index, without reading every event.
            models.Index(
                fields=["series", "-start_date"],
                condition=Q(theme_en__gt="") | Q(theme_fr__gt="") | Q(theme_es__gt=""),
                name="consult_event_year_theme",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="consultations_event_end_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            # English is the source language: titles must differ in English.
            models.UniqueConstraint(
                fields=["series", "year", "slug"],
                name="consultations_event_unique_slug",
                violation_error_message=_("Another event of this series in the same year already uses this slug."),
            ),
            models.UniqueConstraint(
                fields=["series", "year", "title_en"],
                name="consultations_event_unique_title",
                violation_error_message=_("Another event of this series in the same year already has this title."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="consultations_event_registration_window",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y-%m-%d})" if self.start_date else self.title

    def clean_fields(self, exclude=None):
        # ``year`` follows ``start_date``: derive it once the date is known to be valid.
        super().clean_fields(exclude={*(exclude or ()), "year"})
        if self.start_date:
            self.year = self.start_date.year

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot come before the start date.")})
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError({"registration_closes_at": _("Registration must close after it opens.")})
        if self.meeting_url and self.attendance == Attendance.IN_PERSON:
            raise ValidationError({"attendance": _("A meeting link needs an online or hybrid event.")})

    def validate_constraints(self, exclude=None):
        # ``year`` is not in any form: it follows ``start_date``, so check it whenever the date is checked.
        exclude = set(exclude or ())
        if "start_date" not in exclude:
            exclude.discard("year")
        super().validate_constraints(exclude=exclude)

    def save(self, *args, **kwargs):
        self.year = self.start_date.year
        if self.end_date == self.start_date:
            self.end_date = None
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:event", kwargs={"series": self.series.slug, "year": self.year, "slug": self.slug})

    def get_ical_url(self):
        return reverse("consultations:event_ical", kwargs=self.url_kwargs())

    def get_register_url(self):
        return reverse("consultations:register", kwargs=self.url_kwargs())

    def url_kwargs(self):
        return {"series": self.series.slug, "year": self.year, "slug": self.slug}

    @property
    def lifecycle(self):
        """The stage now (``consultations.lifecycle``), computed once per object."""
        if not hasattr(self, "_lifecycle"):
            self._lifecycle = lifecycle(self)
        return self._lifecycle

    def lifecycle_at(self, now):
        return lifecycle(self, now)

    @property
    def is_online(self):
        return self.attendance in (Attendance.ONLINE, Attendance.HYBRID)

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def dates_display(self):
        return format_date_range(self.start_date, self.end_date)

    @property
    def location(self):
        """'Nairobi, Kenya' in the active language (the country is loaded with the event)."""
        parts = [self.city, self.country.title if self.country_id else ""]
        return ", ".join(part for part in parts if part)

    def is_upcoming(self, today=None):
        return self.last_date >= (today or timezone.localdate())

    def calendar_end(self):
        """iCalendar's DTEND for all-day events is exclusive: the day after the last day."""
        return self.last_date + timedelta(days=1)

    def search_data(self):
        return {
            "title": self.title,
            "summary": " ".join(part for part in (self.summary, self.theme) if part),
            "body": self.body_text,
            "date": self.start_date,
            "theme_ids": [theme.pk for theme in self.themes.all()],
            "region_ids": [self.country_id] if self.country_id else [],
        }


class DocumentRole(models.TextChoices):
    # In the order the event page shows them.
    CONCEPT_NOTE = "concept_note", _("Concept note")
    AGENDA = "agenda", _("Agenda")
    BACKGROUND = "background", _("Background paper")
    PRESENTATION = "presentation", _("Presentation")
    REPORT = "report", _("Report")
    OUTCOME = "outcome", _("Outcome statement")
    OTHER = "other", _("Other documents")


ROLE_ORDER = {value: index for index, value in enumerate(DocumentRole.values)}


class EventDocument(models.Model):
    """A key document of an event (programme, report, …), with its role, in the order editors give."""

    Role = DocumentRole

    event = models.ForeignKey(ConsultationEvent, on_delete=models.CASCADE, related_name="key_documents")
    document = models.ForeignKey("iomsite.Document", verbose_name=_("document"), on_delete=models.PROTECT)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=DocumentRole.choices,
        default=DocumentRole.OTHER,
        help_text=_("The event page groups documents by role. Concluded events are expected to have a report."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("key document")
        verbose_name_plural = _("key documents")
        constraints = [
            models.UniqueConstraint(fields=["event", "document"], name="consultations_eventdocument_unique"),
        ]

    def __str__(self):
        return str(self.document)


def group_documents(documents):
    """``[(role label, [EventDocument, …]), …]`` in the order of ``DocumentRole``, editors' order inside a role."""
    groups = {}
    for item in sorted(documents, key=lambda item: ROLE_ORDER.get(item.role, len(ROLE_ORDER))):
        groups.setdefault(item.role, []).append(item)
    return [(DocumentRole(role).label, items) for role, items in groups.items()]


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class RegistrationQuerySet(models.QuerySet):
    def taking_place(self):
        """Registrations that hold one of the event's places."""
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def to_purge(self, today=None):
        """Registrations whose personal data is kept no longer: their event ended over the retention period ago."""
        today = today or timezone.localdate()
        limit = today - timedelta(days=settings.IOMSITE_REGISTRATION_RETENTION_DAYS)
        return (
            self.filter(purged_at__isnull=True)
            .alias(last_day=Coalesce("event__end_date", "event__start_date"))
            .filter(last_day__lt=limit)
        )


class Registration(models.Model):
    """One person's registration for an event. Personal data is erased a set time after the event."""

    Status = RegistrationStatus

    event = models.ForeignKey(
        ConsultationEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=254)
    country = models.ForeignKey(
        "regions.Region",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": "country"},
        related_name="+",
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True, max_length=2000)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    last_mail_at = models.DateTimeField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per address and event; a cancelled one may register again.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=ACTIVE) & ~Q(email=""),
                name="consultations_registration_one_per_address",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="consultations_registration_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="consult_registration_queue")]

    def __str__(self):
        return f"{self.name or _('(erased)')} – {self.event}"
