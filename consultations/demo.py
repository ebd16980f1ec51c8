"""Demo consultations: every consultation of the reference site, with its date and place.

Dates, places, titles, themes and the partner (ICVA) come from the snapshot; the
sentences are ours. Idempotent: series by slug, events by series, year and slug.
"""

from datetime import date, timedelta

from django.utils import timezone

from consultations.dates import format_date_range
from consultations.models import (
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Partner,
    SeriesDocument,
)
from iomsite.demo import demo_document, publish_fields
from regions.models import Region
from themes.models import Theme

OVERVIEW = {
    "title_en": "IOM Consultations",
    "summary_en": "How IOM keeps a regular dialogue with civil society and with humanitarian NGOs, and the theme "
    "each consultation took up.",
    "body_en": (
        "<p>Since 2011, IOM has met every year with civil society organisations whose work touches on "
        "migration. These annual consultations give both sides a fixed moment to compare priorities, share what "
        "has worked and plan how to support each other.</p>"
        "<p>Since 2015, a second series has brought IOM together with non-governmental organisations that work "
        "on the humanitarian side of migration. It is organised jointly with the International Council of "
        "Voluntary Agencies (ICVA).</p>"
        "<p>The theme chosen for each consultation is listed below, year by year.</p>"
    ),
    "title_fr": "Les consultations de l'OIM",
    "summary_fr": "Comment l'OIM entretient un dialogue régulier avec la société civile et les ONG humanitaires, "
    "et le thème retenu pour chaque consultation.",
    "body_fr": (
        "<p>Depuis 2011, l'OIM rencontre chaque année les organisations de la société civile dont l'action "
        "concerne les migrations. Ces consultations annuelles offrent aux deux parties un rendez-vous fixe pour "
        "confronter leurs priorités, partager ce qui a fonctionné et organiser leur soutien mutuel.</p>"
        "<p>Depuis 2015, une seconde série réunit l'OIM et les organisations non gouvernementales engagées dans "
        "les aspects humanitaires des migrations. Elle est organisée conjointement avec le Conseil international "
        "des agences bénévoles (ICVA).</p>"
        "<p>Le thème de chaque consultation figure ci-dessous, année par année.</p>"
    ),
    "title_es": "Las consultas de la OIM",
    "summary_es": "Cómo la OIM mantiene un diálogo regular con la sociedad civil y con las ONG humanitarias, y el "
    "tema de cada consulta.",
    "body_es": (
        "<p>Desde 2011, la OIM se reúne cada año con las organizaciones de la sociedad civil cuyo trabajo tiene "
        "que ver con la migración. Estas consultas anuales dan a ambas partes una cita fija para contrastar "
        "prioridades, compartir lo que ha funcionado y planificar cómo apoyarse mutuamente.</p>"
        "<p>Desde 2015, una segunda serie reúne a la OIM con las organizaciones no gubernamentales que trabajan "
        "en los aspectos humanitarios de la migración. Se organiza junto con el Consejo Internacional de "
        "Organizaciones Voluntarias (ICVA).</p>"
        "<p>El tema de cada consulta figura a continuación, año por año.</p>"
    ),
}

CSO = "iom-cso-annual-consultations"
HUMANITARIAN = "iom-ngo-humanitarian-consultations"

SERIES = [
    {
        "slug": CSO,
        "sort_order": 10,
        "title": "IOM-CSO Annual Consultations",
        "summary": "A yearly meeting in Geneva between IOM and civil society organisations working on migration.",
        "overview": (
            "<p>IOM is convinced that a steady dialogue with civil society makes it easier to agree on common "
            "priorities, to learn from each other's practice and to make the work of each side reinforce the "
            "other's.</p>"
            "<p>The annual consultations are where that dialogue takes place: organisations with a mandate "
            "related to migration meet IOM staff, review the year and discuss a chosen theme.</p>"
        ),
        "partners": [],
        "document": (
            "IOM-CSO Annual Consultations: themes 2011-2016",
            (
                "2011: 60 Years Advancing Migrant Rights and Migrant Protection",
                "2012: Enhancing Dialogue, Cooperation and Partnership on Migration",
                "2013: Migrants and Development",
                "2014: Follow up to the 2013 UN High Level Dialogue",
                "2015: Protecting and Positively Impacting Migrant Lives",
                "2016: Post-19 September Summit",
            ),
        ),
    },
    {
        "slug": HUMANITARIAN,
        "sort_order": 20,
        "title": "IOM-NGO Humanitarian Consultations",
        "summary": "A yearly platform where IOM and humanitarian NGOs discuss how they work together in crises.",
        "overview": (
            "<p>Once a year, IOM and non-governmental organisations active in humanitarian response sit down "
            "together. They talk about the values and purpose they share, what each of them does well and where "
            "each falls short, and the problems the humanitarian sector is facing at the moment.</p>"
            "<p>The participants trade good practice, agree on recommendations for working more closely, and "
            "look at how the Principles of Partnership are applied in the field, so that they can be applied "
            "better.</p>"
            "<p>These humanitarian consultations sit alongside IOM's wider annual consultations with civil "
            "society. They are meant as a conversation in both directions, and IOM organises them together with "
            "the International Council of Voluntary Agencies (ICVA) to make crisis response more effective and "
            "more principled.</p>"
        ),
        "partners": ["ICVA"],
        "document": (
            "IOM-NGO Humanitarian Consultations: 2015-2018",
            (
                "2015: Partnerships (Geneva)",
                "2016: IOM's role and emerging policy in humanitarian response (Geneva)",
                "2017: Regional consultation (Nairobi)",
                "2018: Annual consultation (Geneva)",
            ),
        ),
    },
]

GENEVA = {"city_en": "Geneva", "city_fr": "Genève", "city_es": "Ginebra", "country": "CH"}
NAIROBI = {"city_en": "Nairobi", "city_fr": "Nairobi", "city_es": "Nairobi", "country": "KE"}

# (series, slug, start, end, title, theme, place, summary, themes by path)
EVENTS = [
    (
        CSO,
        "60-years-advancing-migration-through-partnership",
        date(2011, 11, 11),
        None,
        "IOM-CSO Annual Consultations: 60 Years Advancing Migration through Partnership",
        "60 Years Advancing Migrant Rights and Migrant Protection",
        GENEVA,
        "The first annual consultation, held in IOM's sixtieth year, looked back at six decades of work for the "
        "rights and protection of migrants.",
        ["migration-policy"],
    ),
    (
        CSO,
        "enhancing-dialogue-cooperation-and-partnership-on-migration",
        date(2012, 10, 25),
        None,
        "IOM-CSO Annual Consultations: Enhancing Dialogue, Cooperation and Partnership on Migration",
        "Enhancing Dialogue, Cooperation and Partnership on Migration",
        GENEVA,
        "Civil society and IOM discussed how to talk to each other more often and work together more closely.",
        ["migration-policy"],
    ),
    (
        CSO,
        "migrants-and-development",
        date(2013, 9, 12),
        None,
        "IOM-CSO Annual Consultations: Migrants and Development",
        "Migrants and Development",
        GENEVA,
        "A consultation on the part migrants play in the development of the places they leave and the places "
        "they reach.",
        ["migration-policy", "migration-policy/policy-advice"],
    ),
    (
        CSO,
        "follow-up-to-the-2013-high-level-dialogue",
        date(2014, 10, 9),
        None,
        "IOM-CSO Annual Consultations: Follow up to the 2013 High-Level Dialogue",
        "Follow up to the 2013 UN High Level Dialogue on Migration and Development",
        GENEVA,
        "One year on, participants took stock of what the 2013 United Nations High-Level Dialogue on migration "
        "and development had set in motion.",
        ["migration-policy", "migration-policy/policy-advice"],
    ),
    (
        CSO,
        "protecting-and-positively-impacting-migrant-lives",
        date(2015, 9, 18),
        None,
        "IOM-CSO Annual Consultations: Protecting and Positively Impacting Migrant Lives",
        "Protecting and Positively Impacting Migrant Lives",
        GENEVA,
        "How IOM and civil society can keep migrants safe and make a real difference to their lives.",
        ["migration-policy"],
    ),
    (
        CSO,
        "post-19-september-summit",
        date(2016, 11, 4),
        None,
        "IOM-CSO Annual Consultations: Post-19 September Summit",
        "Post-19 September Summit",
        GENEVA,
        "Held a few weeks after the United Nations summit of 19 September 2016, this consultation discussed what "
        "should come next.",
        ["migration-policy"],
    ),
    (
        HUMANITARIAN,
        "iom-ngo-humanitarian-consultation",
        date(2015, 6, 30),
        None,
        "IOM-NGO Humanitarian Consultation",
        "Partnerships",
        GENEVA,
        "The first humanitarian consultation with NGOs was devoted to partnership itself.",
        [],
    ),
    (
        HUMANITARIAN,
        "iom-ngo-humanitarian-consultation",
        date(2016, 6, 13),
        None,
        "IOM-NGO Humanitarian Consultation",
        "IOM's role and emerging policy in humanitarian response and partnership",
        GENEVA,
        "NGOs and IOM discussed IOM's place in humanitarian response and the policy it is developing on it.",
        ["migration-policy"],
    ),
    (
        HUMANITARIAN,
        "iom-ngo-regional-humanitarian-consultation",
        date(2017, 9, 11),
        date(2017, 9, 12),
        "IOM-NGO Regional Humanitarian Consultation",
        "",
        NAIROBI,
        "A two-day regional edition of the humanitarian consultations, held in Nairobi.",
        [],
    ),
    (
        HUMANITARIAN,
        "iom-ngo-humanitarian-consultation",
        date(2018, 9, 25),
        None,
        "IOM-NGO Humanitarian Consultation",
        "",
        GENEVA,
        "The 2018 humanitarian consultation between IOM and NGO partners, in Geneva.",
        [],
    ),
]


def upcoming_events(today):
    """The next consultations, in the coming months from ``today``: "Coming up" and the series'
    calendars always have something, while the events above keep their real, historical dates."""
    cso = _weekday_after(today + timedelta(days=70), 1)  # a Tuesday about ten weeks ahead
    regional = _weekday_after(today + timedelta(days=130), 2)  # a Wednesday about four months ahead
    return [
        (
            CSO,
            "annual-consultations-with-civil-society",
            cso,
            cso + timedelta(days=1),
            f"IOM-CSO Annual Consultations {cso.year}",
            "Migrants' voices in the policies that concern them",
            GENEVA,
            "Civil society organisations and IOM meet in Geneva for two days on how migrants themselves can "
            "shape the policies made about them.",
            ["migration-policy", "migrant-training-and-integration"],
        ),
        (
            HUMANITARIAN,
            "iom-ngo-regional-humanitarian-consultation",
            regional,
            regional + timedelta(days=1),
            "IOM-NGO Regional Humanitarian Consultation",
            "",
            NAIROBI,
            "A regional edition of the humanitarian consultations in Nairobi, on displacement caused by drought "
            "and conflict in East and Horn of Africa.",
            ["counter-trafficking/humanitarian-settings"],
        ),
    ]


def _weekday_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


COUNTRIES = {"CH": ("Switzerland", "switzerland"), "KE": ("Kenya", "kenya")}

SEMINARS = "migration-research-seminars"
SEMINAR_SERIES = {
    "slug": SEMINARS,
    "sort_order": 30,
    "title": "Migration Research Seminars",
    "summary": "A monthly seminar at headquarters where researchers and practitioners present new work on migration.",
    "overview": (
        "<p>Once a month, a researcher or a team from the field presents recent work to colleagues, Member "
        "State delegations and partners at headquarters. Each seminar lasts an hour and a half: a short "
        "presentation, then questions and discussion.</p>"
        "<p>The seminars are open to anyone with an interest in the topic. Their dates are announced here a few "
        "months ahead.</p>"
    ),
}
# One topic a month, the last ones still to come (placed relative to the day the demo is loaded).
SEMINAR_TOPICS = [
    ("Counting labour migrants: what household surveys miss", ["labour-migration"]),
    ("Recruitment fees and the debts of migrant workers", ["labour-migration/ethical-recruitment"]),
    ("Remittances after a crisis: who keeps sending money home", ["migration-policy"]),
    ("Climate change and moving within one's own country", ["migration-policy"]),
    ("Identifying victims of trafficking at borders", ["counter-trafficking"]),
    ("Language courses and the first year after arrival", ["migrant-training-and-integration"]),
    ("Data on missing migrants: sources and gaps", ["migration-policy"]),
    ("Return and reintegration: what helps people stay", ["migration-policy"]),
    ("Cities that welcome newcomers: local partnerships", ["migrant-training-and-integration"]),
    ("Ethical recruitment in the care sector", ["labour-migration/ethical-recruitment"]),
    ("Diaspora investment in countries of origin", ["migration-policy/policy-advice"]),
    ("Health services for migrants in transit", ["migration-policy"]),
    ("Displacement tracking in sudden-onset disasters", ["counter-trafficking/humanitarian-settings"]),
    ("Women migrant workers and domestic work", ["labour-migration"]),
    ("Skills recognition across borders", ["labour-migration"]),
    ("Children on the move and their protection", ["counter-trafficking"]),
    ("Public opinion and the way media report migration", ["migration-policy"]),
    ("Border management that respects rights", ["migration-policy/policy-advice"]),
    ("Seasonal work schemes: lessons from evaluations", ["labour-migration"]),
    ("Trafficking for forced labour in supply chains", ["counter-trafficking"]),
    ("Integration outcomes ten years on", ["migrant-training-and-integration"]),
    ("Migration statistics and the census round", ["migration-policy"]),
    ("Migrants caught in countries in crisis", ["counter-trafficking/humanitarian-settings"]),
    ("Regional consultative processes on migration", ["migration-policy/policy-advice"]),
    ("Digital tools in recruitment and their risks", ["labour-migration/ethical-recruitment"]),
    ("Family reunification and its waiting times", ["migrant-training-and-integration"]),
    ("Migration and development planning", ["migration-policy/policy-advice"]),
    ("Shelters and safe houses for trafficked persons", ["counter-trafficking"]),
    ("Youth, education and the decision to migrate", ["migration-policy"]),
    ("Migration governance indicators at the local level", ["migration-policy/policy-advice"]),
]
SEMINARS_TO_COME = 6


def seminar_dates(today, count, to_come=SEMINARS_TO_COME):
    """``count`` second Thursdays of the month, the last ``to_come`` of them after ``today``'s month."""
    year, month = today.year, today.month - (count - to_come)
    dates = []
    for _index in range(count):
        while month < 1:
            year, month = year - 1, month + 12
        while month > 12:
            year, month = year + 1, month - 12
        first = date(year, month, 1)
        dates.append(first + timedelta(days=(3 - first.weekday()) % 7 + 7))
        month += 1
    return dates


def country(iso_code):
    """The country node of the regions app; created at the root when the regions demo has not run."""
    found = Region.objects.filter(kind="country", iso_code=iso_code).first()
    if found is not None:
        return found
    title, slug = COUNTRIES[iso_code]
    return Region.objects.create(
        kind="country", iso_code=iso_code, title=title, slug=slug, path=slug, parent=None, **publish_fields()
    )


def body(title, start, end, theme, place, country_node):
    dates = format_date_range(start, end)
    verb = "will take place" if start > timezone.localdate() else "took place"
    text = f"<p>{title} {verb} in {place['city_en']}, {country_node.title}, on {dates}.</p>"
    if theme:
        text += f"<p>The theme chosen for the year was: {theme}.</p>"
    return text + "<p>The programme is available below as a key document.</p>"


def load_series(spec):
    fields = {name: spec[name] for name in ("title", "summary", "overview", "sort_order")}
    series, _created = ConsultationSeries.objects.update_or_create(
        slug=spec["slug"], defaults={**fields, **publish_fields()}
    )
    return series


def load(stdout):
    overview = ConsultationsOverview.objects.filter(pk=1).first() or ConsultationsOverview(pk=1)
    for field, value in {**OVERVIEW, **publish_fields()}.items():
        setattr(overview, field, value)
    overview.save()

    icva, _created = Partner.objects.update_or_create(
        name_en="International Council of Voluntary Agencies",
        defaults={
            "name_fr": "Conseil international des agences bénévoles",
            "name_es": "Consejo Internacional de Organizaciones Voluntarias",
            "acronym": "ICVA",
            "url": "https://www.icvanetwork.org/",
        },
    )
    partners = {"ICVA": icva}

    series_by_slug = {}
    for spec in SERIES:
        series = load_series(spec)
        series.partners.set([partners[key] for key in spec["partners"]])
        title, lines = spec["document"]
        SeriesDocument.objects.update_or_create(
            series=series, document=demo_document(title, lines), defaults={"sort_order": 1}
        )
        series_by_slug[series.slug] = series

    countries = {iso: country(iso) for iso in COUNTRIES}
    themes = {theme.path: theme for theme in Theme.objects.all() if theme.path}
    for series_slug, slug, start, end, title, theme, place, summary, theme_paths in [
        *EVENTS,
        *upcoming_events(timezone.localdate()),
    ]:
        series = series_by_slug[series_slug]
        event, _created = ConsultationEvent.objects.update_or_create(
            series=series,
            year=start.year,
            slug=slug,
            defaults={
                "title": title,
                "start_date": start,
                "end_date": end,
                "theme": theme,
                "summary": summary,
                "body": body(title, start, end, theme, place, countries[place["country"]]),
                "city_en": place["city_en"],
                "city_fr": place["city_fr"],
                "city_es": place["city_es"],
                "country": countries[place["country"]],
                **publish_fields(),
            },
        )
        event.themes.set([themes[path] for path in theme_paths if path in themes])
        where = f"{place['city_en']}, {countries[place['country']].title}"
        lines = (format_date_range(start, end), where, theme)
        document = demo_document(f"Programme: {title} ({start.year})", lines)
        EventDocument.objects.update_or_create(event=event, document=document, defaults={"sort_order": 1})
    load_seminars(countries["CH"], themes)
    stdout.write(
        f"  consultations: {ConsultationSeries.objects.count()} series, {ConsultationEvent.objects.count()} events"
    )


def load_seminars(geneva, themes):
    """A monthly series around today's date, so the demo always has something coming up (and a second page)."""
    from django.utils.text import slugify

    series = load_series(SEMINAR_SERIES)
    days = seminar_dates(timezone.localdate(), len(SEMINAR_TOPICS))
    for (topic, theme_paths), day in zip(SEMINAR_TOPICS, days, strict=True):
        slug = slugify(topic)[:100]
        event = ConsultationEvent.objects.filter(series=series, slug=slug).first() or ConsultationEvent(
            series=series, slug=slug
        )
        event.title = f"Migration Research Seminar: {topic}"
        event.start_date, event.end_date = day, None
        event.summary = f"A seminar at headquarters on one question: {topic[0].lower()}{topic[1:]}."
        event.body = (
            f"<p>The seminar of {format_date_range(day, None)} looks at one question: {topic[0].lower()}{topic[1:]}. "
            "A short presentation of recent research opens it, followed by questions and a discussion with "
            "the participants.</p><p>It takes place at headquarters in Geneva from 12:30 to 14:00.</p>"
        )
        event.city_en, event.city_fr, event.city_es = GENEVA["city_en"], GENEVA["city_fr"], GENEVA["city_es"]
        event.country = geneva
        # The coming seminars take registrations on the site (40 places, a waiting list, online too).
        event.registration_enabled = day > timezone.localdate()
        event.capacity = 40
        event.attendance = "hybrid"
        event.meeting_url = "https://meet.example.org/iom-migration-research-seminar"
        for field, value in publish_fields().items():
            setattr(event, field, value)
        event.save()
        event.themes.set([themes[path] for path in theme_paths if path in themes])
