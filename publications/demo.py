"""Demo publications: the World Migration Report 2018 with its full table of contents.

Facts (titles, edition, series start, chapter titles) come from the reference snapshot;
the summaries are ours. Idempotent: entries are found by slug and moved into place, so
running it again changes nothing and leaves a consistent tree.
"""

from datetime import date

from iomsite.demo import demo_cover, demo_document, publish_fields
from publications.models import Publication, PublicationSeries, TocEntry

FRONT, PART, CHAPTER = TocEntry.Kind.FRONT_MATTER, TocEntry.Kind.PART, TocEntry.Kind.CHAPTER
WMR = "World Migration Report 2018"

# (kind, slug, number, title, summary, children)
WMR_CONTENTS = [
    (
        FRONT,
        "foreword",
        "",
        "Director General's Foreword",
        "The Director General introduces this edition and why a sober, evidence-based account of migration "
        "matters when opinion often travels faster than facts.",
        [],
    ),
    (
        CHAPTER,
        "report-overview",
        "Chapter 1",
        "Report Overview: Making sense of migration in an increasingly interconnected world",
        "Sets out how the report is organised and what each chapter adds, against the backdrop of a world "
        "whose people and states are ever more closely linked.",
        [],
    ),
    (
        PART,
        "part-1",
        "Part I",
        "Data and information on migration",
        "Three chapters of figures and research: who migrates, where, and what we know about it.",
        [
            (
                "migration-and-migrants-global-overview",
                "Chapter 2",
                "Migration and migrants: A global overview",
                "The big picture in numbers: international migrants, migrant workers, remittances, refugees and "
                "people displaced inside their own countries.",
            ),
            (
                "migration-and-migrants-regional-dimensions",
                "Chapter 3",
                "Migration and migrants: Regional dimensions and developments",
                "Region by region, the main patterns of movement and the recent events that shaped them.",
            ),
            (
                "migration-research-and-analysis",
                "Chapter 4",
                "Migration research and analysis: Growth, reach and recent contributions",
                "How research on migration has grown, who produces it, and what recent work has added to our "
                "understanding.",
            ),
        ],
    ),
    (
        PART,
        "part-2",
        "Part II",
        "Complex and emerging migration issues",
        "Six chapters that look closely at questions policymakers are facing now or will face soon.",
        [
            (
                "global-migration-governance",
                "Chapter 5",
                "Global migration governance: Existing architecture and recent developments",
                "The institutions, agreements and dialogues through which States cooperate on migration, and how "
                "they have changed in recent years.",
            ),
            (
                "mobility-migration-transnational-connectivity",
                "Chapter 6",
                "Mobility, migration and transnational connectivity",
                "Cheaper travel, digital communication and money transfers keep migrants tied to more than one "
                "place; this chapter looks at what that means.",
            ),
            (
                "migration-journeys-migrants-perspectives",
                "Chapter 7",
                "Understanding migration journeys from migrants’ perspectives",
                "Journeys seen through the eyes of the people who make them: the choices, risks and information "
                "that shape a route.",
            ),
            (
                "media-reporting-of-migrants-and-migration",
                "Chapter 8",
                "Media reporting of migrants and migration",
                "How news coverage portrays migrants and migration, and how that coverage can inform or distort "
                "public debate.",
            ),
            (
                "migration-violent-extremism-social-exclusion",
                "Chapter 9",
                "Migration, violent extremism and social exclusion",
                "Examines the evidence on links between migration, exclusion and violent extremism, and warns "
                "against easy assumptions.",
            ),
            (
                "migrants-and-cities",
                "Chapter 10",
                "Migrants and cities: Stepping beyond World Migration Report 2015",
                "Cities are where most migrants settle; this chapter builds on the 2015 report's focus on urban "
                "partnerships and inclusion.",
            ),
        ],
    ),
]

WMR_SUMMARY = (
    "The ninth report in a series IOM has published since 2000: key data on migration worldwide, followed by "
    "in-depth chapters on complex and emerging issues. Read it whole or chapter by chapter."
)
WMR_BODY = (
    "<p>This edition is built in two parts. The first gathers data and information: global and regional "
    "figures on migrants and migration, and an account of how research on the subject has grown. The second "
    "takes on questions that are shaping human mobility today, from the way States govern migration together "
    "to media coverage, transnational connections, migrants' own journeys, violent extremism and cities.</p>"
    "<p>Each chapter can be downloaded on its own, or the complete report as a single file.</p>"
)
WMR_FR = {
    # No French title: "État de la migration dans le monde 2018" is the French edition's, a
    # publication of its own (two cards with one title on /fr/ otherwise, issue 20).
    "title_fr": "",
    "summary_fr": (
        "Neuvième rapport d'une série que l'OIM publie depuis 2000 : les données clés sur la migration dans le "
        "monde, puis des chapitres approfondis sur des questions complexes et nouvelles. À lire en entier ou "
        "chapitre par chapitre."
    ),
    "body_fr": (
        "<p>Cette édition comporte deux parties. La première rassemble des données et des informations : "
        "chiffres mondiaux et régionaux sur les migrants et la migration, et un bilan de la recherche dans ce "
        "domaine. La seconde aborde des questions qui façonnent aujourd'hui la mobilité humaine, de la "
        "gouvernance de la migration aux médias, en passant par les liens transnationaux, les parcours des "
        "migrants, l'extrémisme violent et les villes.</p>"
        "<p>Chaque chapitre peut être téléchargé séparément, ou le rapport complet en un seul fichier.</p>"
    ),
}
WMR_ES = {
    "title_es": "Informe sobre las Migraciones en el Mundo 2018",
    "summary_es": (
        "El noveno informe de una serie que la OIM publica desde 2000: datos clave sobre la migración en el "
        "mundo y capítulos a fondo sobre cuestiones complejas y emergentes. Puede leerse completo o por "
        "capítulos."
    ),
    "body_es": (
        "<p>Esta edición tiene dos partes. La primera reúne datos e información: cifras mundiales y regionales "
        "sobre migrantes y migración, y un repaso de cómo ha crecido la investigación sobre el tema. La segunda "
        "trata cuestiones que hoy dan forma a la movilidad humana: la gobernanza de la migración, los medios de "
        "comunicación, los vínculos transnacionales, los trayectos de los migrantes, el extremismo violento y "
        "las ciudades.</p>"
        "<p>Cada capítulo puede descargarse por separado, o el informe completo en un solo archivo.</p>"
    ),
}

OTHERS = [
    {
        "slug": "ethical-recruitment-in-global-labour-mobility",
        "title": "Ethical recruitment in global labour mobility",
        "series": None,
        "year": 2017,
        "summary": (
            "Why fair recruitment matters for migrant workers, employers and governments, and the tools that "
            "help make it the norm, such as a due diligence system for recruiters."
        ),
        "body": (
            "<p>Migrant workers too often pay fees, lose their documents or find a different job from the one "
            "promised. This paper looks at how governments, businesses and recruiters can end these practices "
            "and recruit workers ethically.</p>"
        ),
        "themes": ["ethical-recruitment", "labour-migration"],
        "color": 1,
    },
    {
        "slug": "thematic-paper-global-compact-for-migration",
        "title": "Thematic Paper - Global Compact for Migration",
        "cover_heading": "Global Compact for Migration",
        "series": "thematic-papers",
        "year": 2017,
        "summary": (
            "A contribution to the talks on a global compact for safe, orderly and regular migration, setting "
            "out points the organisation asked States to consider."
        ),
        "body": (
            "<p>While States prepared a global compact on migration, the organisation published short papers "
            "on the topics under discussion. This one gathers its main recommendations.</p>"
        ),
        "themes": ["migrant-training-and-integration"],
        "color": 2,
    },
]

# Earlier editions of the World Migration Report (the 2018 report is the ninth): (edition, year, subtitle, summary).
WMR_EDITIONS = [
    (1, 2000, "", "The first report of the series: who migrated, where and why at the turn of the century."),
    (
        2,
        2003,
        "Managing Migration: Challenges and Responses for People on the Move",
        "How governments were learning to manage migration, with chapters on labour, family and forced movement.",
    ),
    (
        3,
        2005,
        "Costs and Benefits of International Migration",
        "What migration brings to and takes from countries of origin and destination, weighed with the evidence.",
    ),
    (
        4,
        2008,
        "Managing Labour Mobility in the Evolving Global Economy",
        "Labour mobility in a globalising economy, and the policies that help workers and employers meet.",
    ),
    (
        5,
        2010,
        "The Future of Migration: Building Capacities for Change",
        "The skills and institutions that States will need to manage the migration of the coming decades.",
    ),
    (
        6,
        2011,
        "Communicating Effectively about Migration",
        "How the way migration is discussed shapes policy, and how to talk about it with facts.",
    ),
    (
        7,
        2013,
        "Migrant Well-being and Development",
        "Migration seen from migrants' own lives: their health, income, safety and sense of belonging.",
    ),
    (
        8,
        2015,
        "Migrants and Cities: New Partnerships to Manage Mobility",
        "Cities as the places where migrants arrive and settle, and the local partnerships that help them.",
    ),
]

# Other titles of the organisation: (slug, title, series slug or None, year, summary, theme slugs).
LIBRARY = [
    (
        "glossary-on-migration",
        "Glossary on Migration",
        "international-migration-law",
        2011,
        "Definitions of the terms used when migration is discussed, from asylum seeker to irregular migration.",
        ["migration-policy"],
    ),
    (
        "migration-governance-framework",
        "Migration Governance Framework",
        None,
        2016,
        "The principles and objectives the Member States set out for migration that is well governed.",
        ["migration-policy", "policy-advice"],
    ),
    (
        "global-migration-trends-factsheet-2015",
        "Global Migration Trends Factsheet 2015",
        None,
        2016,
        "The main figures on international migrants, refugees, remittances and migrant deaths, on a few pages.",
        ["migration-policy"],
    ),
    (
        "fatal-journeys-volume-2",
        "Fatal Journeys Volume 2: Identification and Tracing of Dead and Missing Migrants",
        "fatal-journeys",
        2016,
        "What is known about migrants who die or go missing on their journeys, and how they can be identified.",
        ["counter-trafficking"],
    ),
    (
        "fatal-journeys-volume-3-part-1",
        "Fatal Journeys Volume 3, Part 1: Improving Data on Missing Migrants",
        "fatal-journeys",
        2017,
        "Better data on migrant deaths and disappearances: where the figures come from and how to improve them.",
        ["counter-trafficking"],
    ),
    (
        "micic-guidelines",
        "Guidelines to Protect Migrants in Countries Experiencing Conflict or Natural Disaster",
        None,
        2016,
        "Practical guidance for States and others on protecting migrants caught in a crisis abroad.",
        ["counter-trafficking/humanitarian-settings"],
    ),
    (
        "annual-report-2016",
        "Annual Report 2016",
        "annual-report",
        2017,
        "The organisation's year 2016: its programmes, its finances and the people it worked with.",
        ["migration-policy"],
    ),
    (
        "annual-report-2017",
        "Annual Report 2017",
        "annual-report",
        2018,
        "The organisation's year 2017: its programmes, its finances and the people it worked with.",
        ["migration-policy"],
    ),
]

LIBRARY_SERIES = {
    "international-migration-law": (
        "International Migration Law",
        "Reference works on the law that applies to migrants and migration.",
    ),
    "fatal-journeys": ("Fatal Journeys", "Reports on migrants who die or go missing on their journeys."),
    "annual-report": ("Annual Report", "The organisation's report on each year's work."),
}

WMR_THEMES = ["migration-policy", "policy-advice"]
WMR_REGIONS = ["americas", "asia-and-the-pacific", "east-and-horn-of-africa", "europe"]


def _link(publication, relation, model, slugs):
    """Tag with whatever of ``slugs`` exists (other apps may not have loaded it); skip the rest."""
    found = list(model.objects.filter(slug__in=slugs))
    getattr(publication, relation).add(*found)


def _place(entry, parent, previous):
    """Put ``entry`` right after ``previous`` (or first under ``parent``) if it is not there already."""
    entry.refresh_from_db()
    if previous is not None:
        previous.refresh_from_db()
        if entry.parent_id != (parent.pk if parent else None) or entry.get_previous_sibling() != previous:
            entry.move_to(previous, "right")
    elif parent is not None and entry.parent_id != parent.pk:
        entry.move_to(parent, "first-child")


def _entry(publication, parent, previous, kind, slug, number, title, summary):
    document = None
    if kind != PART:
        heading = f"{number} – {title}" if number else title
        document = demo_document(f"{WMR} – {number or title}", lines=(WMR, title), chapters=[(heading, summary)])
    entry = TocEntry.objects.filter(publication=publication, slug=slug).first()
    fields = {"kind": kind, "number": number, "title": title, "summary": summary, "document": document}
    if entry is None:
        entry = TocEntry(publication=publication, slug=slug, parent=parent, **fields)
        entry.save()
    else:
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.save()
    _place(entry, parent, previous)
    return entry


def load_wmr(series):
    cover = demo_cover(
        f"{WMR} cover",
        "Cover of the World Migration Report 2018.",
        heading=WMR,
        series="World Migration Report",
        edition="Ninth edition",
        year=2018,
        credit="© IOM demo",
    )
    # The complete report: every chapter of the table of contents, each over several pages.
    chapters = [
        (f"{number} – {title}" if number else title, summary)
        for _kind, _slug, number, title, summary, children in WMR_CONTENTS
        for number, title, summary in [(number, title, summary), *((n, t, s) for _slug, n, t, s in children)]
    ]
    report = demo_document(WMR, lines=("Complete report", "Ninth edition of the series"), chapters=chapters)
    wmr, _created = Publication.objects.update_or_create(
        slug="world-migration-report-2018",
        defaults={
            "title": WMR,
            "series": series,
            "edition": 9,
            "year": 2018,
            "publication_date": date(2017, 11, 30),  # launched at the IOM Council in Geneva
            "isbn": "978-92-9068-742-9",
            # From the report's imprint page: the series' ISSN, its two editors, printed in Geneva.
            "issn": "1561-5502",
            "editors": "McAuliffe, Marie\nRuhs, Martin",
            "place": "Geneva",
            "summary": WMR_SUMMARY,
            "body": WMR_BODY,
            "cover": cover,
            "document": report,
            "language": "en",
            **WMR_FR,
            **WMR_ES,
            **publish_fields(),
        },
    )
    previous_top = None
    for kind, slug, number, title, summary, children in WMR_CONTENTS:
        top = _entry(wmr, None, previous_top, kind, slug, number, title, summary)
        previous_child = None
        for child_slug, child_number, child_title, child_summary in children:
            previous_child = _entry(
                wmr, top, previous_child, CHAPTER, child_slug, child_number, child_title, child_summary
            )
        previous_top = top
    return wmr


def load(stdout):
    from regions.models import Region
    from themes.models import Theme

    wmr_series, _created = PublicationSeries.objects.update_or_create(
        slug="world-migration-report",
        defaults={
            "title": "World Migration Report",
            "summary": "IOM's flagship report on migration worldwide, published since 2000.",
        },
    )
    papers, _created = PublicationSeries.objects.update_or_create(
        slug="thematic-papers",
        defaults={
            "title": "Thematic Papers",
            "summary": "Short papers on the topics discussed while States negotiated the global compact on migration.",
        },
    )
    wmr = load_wmr(wmr_series)
    _link(wmr, "themes", Theme, WMR_THEMES)
    _link(wmr, "regions", Region, WMR_REGIONS)

    french, _created = Publication.objects.update_or_create(
        slug="etat-de-la-migration-dans-le-monde-2018",
        defaults={
            "title": "État de la migration dans le monde 2018",
            "series": wmr_series,
            "edition": 9,
            "year": 2018,
            "summary": "L'édition française du neuvième rapport de la série, avec les mêmes données et analyses.",
            "body": "<p>Le rapport complet en français, en un seul fichier.</p>",
            "cover": demo_cover(
                "État de la migration dans le monde 2018 – couverture",
                "Couverture de l'édition française du rapport.",
                heading="État de la migration dans le monde 2018",
                edition="Neuvième édition",
                year=2018,
                credit="© IOM demo",
                color=3,
            ),
            "document": demo_document(
                "État de la migration dans le monde 2018", lines=("Rapport complet",), language="fr"
            ),
            "language": "fr",
            **publish_fields(),
        },
    )
    wmr.translations.add(french)  # symmetrical: the French edition now links back too
    _link(french, "themes", Theme, WMR_THEMES)

    series_by_slug = {"thematic-papers": papers}
    for spec in OTHERS:
        publication, _created = Publication.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "series": series_by_slug.get(spec["series"]),
                "year": spec["year"],
                "summary": spec["summary"],
                "body": spec["body"],
                "cover": demo_cover(
                    f"{spec['title']} – cover",
                    f"Cover of {spec['title']}.",
                    heading=spec.get("cover_heading", spec["title"]),
                    series=series_by_slug[spec["series"]].title if spec["series"] else "",
                    year=spec["year"],
                    credit="© IOM demo",
                    color=spec["color"],
                ),
                "document": demo_document(spec["title"], lines=("Complete paper",)),
                "language": "en",
                **publish_fields(),
            },
        )
        _link(publication, "themes", Theme, spec["themes"])

    load_editions(wmr_series)
    load_library()
    stdout.write(
        f"  publications: {Publication.objects.count()} publications, "
        f"{TocEntry.objects.filter(publication=wmr).count()} entries in the WMR 2018 table of contents"
    )


def _simple_publication(slug, title, series, year, summary, color, **extra):
    publication, _created = Publication.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "series": series,
            "year": year,
            "summary": summary,
            "body": f"<p>{summary}</p><p>The complete publication can be downloaded below.</p>",
            "cover": demo_cover(
                f"{title} – cover",
                f"Cover of {title}.",
                heading=title,
                series=series.title if series else "",
                edition=f"Edition {extra['edition']}" if extra.get("edition") else "",
                year=year,
                credit="© IOM demo",
                color=color,
            ),
            "document": demo_document(title, lines=("Complete publication",)),
            "language": "en",
            **extra,
            **publish_fields(),
        },
    )
    return publication


def load_editions(series):
    """The earlier editions of the World Migration Report, each a publication of the series."""
    from themes.models import Theme

    for edition, year, subtitle, summary in WMR_EDITIONS:
        title = f"World Migration Report {year}" + (f": {subtitle}" if subtitle else "")
        publication = _simple_publication(
            f"world-migration-report-{year}", title, series, year, summary, edition, edition=edition
        )
        _link(publication, "themes", Theme, WMR_THEMES)


def load_library():
    from themes.models import Theme

    series = {}
    for slug, (title, summary) in LIBRARY_SERIES.items():
        series[slug], _created = PublicationSeries.objects.update_or_create(
            slug=slug, defaults={"title": title, "summary": summary}
        )
    for index, (slug, title, series_slug, year, summary, themes) in enumerate(LIBRARY):
        publication = _simple_publication(slug, title, series.get(series_slug), year, summary, index)
        _link(publication, "themes", Theme, [path.rsplit("/", 1)[-1] for path in themes])
