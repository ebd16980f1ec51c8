"""Demo news: the three kinds and a dozen articles, in our own words (facts from the reference snapshot).

``load_demo_content`` creates the articles that are missing and leaves the others as editors
left them (``iomsite.demo.keep_existing``); ``load_demo_content --reset`` puts the demo back.
"""

from datetime import date

from iomsite.demo import demo_image, publish_fields
from publications.news.models import Article, Kind

KINDS = (
    ("news", 10, {"en": "News", "fr": "Actualité", "es": "Noticia"}),
    ("press-release", 20, {"en": "Press release", "fr": "Communiqué de presse", "es": "Comunicado de prensa"}),
    ("story", 30, {"en": "Story", "fr": "Récit", "es": "Historia"}),
)


def kinds():
    """The three kinds every site starts with, created when missing: ``{slug: Kind}``."""
    found = {}
    for slug, order, titles in KINDS:
        found[slug], _created = Kind.objects.get_or_create(
            slug=slug, defaults={"sort_order": order, **{f"title_{code}": title for code, title in titles.items()}}
        )
    return found


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# (slug, kind, date, title, standfirst, body, themes (paths), regions (slugs), publications, events
#  ((series slug, year, slug)), image colour or None, translations)
ARTICLES = [
    (
        "labour-migration-programmes-now-reach-70-countries",
        "news",
        date(2020, 3, 2),
        "Labour migration programmes now reach 70 countries",
        "Our programmes for migrant workers run in 70 countries, with governments, employers and "
        "workers' families among the partners.",
        p(
            "Seventy countries now host at least one of our labour migration programmes. Some prepare workers "
            "before they leave; others help ministries write fair rules for recruitment, or help families "
            "make the most of the money sent home.",
            "The programmes are run with governments of countries of origin and destination, with employers and "
            "with workers' organisations, so that the gains of labour mobility are shared.",
        ),
        ["labour-migration"],
        [],
        [],
        [],
        0,
        {
            "title_fr": "Nos programmes de migration de main-d'œuvre couvrent 70 pays",
            "standfirst_fr": "Nos programmes pour les travailleurs migrants sont présents dans 70 pays, avec les "
            "gouvernements, les employeurs et les familles des travailleurs parmi leurs partenaires.",
            "title_es": "Nuestros programas de migración laboral llegan a 70 países",
            "standfirst_es": "Nuestros programas para trabajadores migrantes funcionan en 70 países, con "
            "gobiernos, empleadores y familias de los trabajadores entre sus socios.",
        },
    ),
    (
        "recruiters-sign-up-to-fair-hiring",
        "news",
        date(2019, 10, 14),
        "Recruiters sign up to fair hiring",
        "More recruitment agencies are using IRIS to show businesses and workers that they charge workers no fees.",
        p(
            "A growing number of recruitment agencies have joined IRIS, the International Recruitment Integrity "
            "System. By signing up they commit to the employer-pays principle: the worker never pays for a job.",
            "Businesses that hire through these agencies can show that their supply chains respect migrant "
            "workers from the first contact onwards.",
        ),
        ["labour-migration/ethical-recruitment", "labour-migration/ethical-recruitment/iris"],
        [],
        ["ethical-recruitment-in-global-labour-mobility"],
        [],
        1,
        {},
    ),
    (
        "a-global-open-access-data-hub-on-human-trafficking",
        "press-release",
        date(2017, 11, 20),
        "A global, open-access data hub on human trafficking",
        "The Counter-Trafficking Data Collaborative brings anonymised case data from several organizations "
        "together in one place.",
        p(
            "For the first time, case data on human trafficking gathered by several organizations can be read "
            "in one place. The Counter-Trafficking Data Collaborative publishes anonymised records so that "
            "researchers and governments can see patterns no single agency could see on its own.",
            "Names and anything else that could identify a survivor are removed before any record is shared.",
        ),
        ["counter-trafficking"],
        [],
        [],
        [],
        2,
        {},
    ),
    (
        "world-day-against-trafficking-in-persons",
        "news",
        date(2020, 7, 30),
        "World Day against Trafficking in Persons",
        "Close to 100,000 people have been assisted since the mid-1990s; the work goes on.",
        p(
            "Since the mid-1990s, close to 100,000 people who were trafficked have received help from us: a safe "
            "place to stay, medical care, legal advice, and support to go home or to start again.",
            "On this World Day we remember that most victims are never identified, and that prevention starts "
            "with fair work and safe ways to migrate.",
        ),
        ["counter-trafficking"],
        [],
        [],
        [],
        None,
        {},
    ),
    (
        "world-migration-report-2018-launched",
        "press-release",
        date(2017, 11, 28),
        "World Migration Report 2018 launched",
        "The ninth edition of our flagship report counts 244 million international migrants and looks at the "
        "questions that shape public debate.",
        p(
            "The World Migration Report 2018 is out. Its first part gives the latest figures on migrants and "
            "migration, worldwide and region by region; its second part takes up complex and emerging issues, "
            "from the safety of migrants to the place of the media in how migration is seen.",
            "The report can be read online chapter by chapter, or downloaded whole.",
        ),
        ["migration-policy"],
        ["europe", "americas"],
        ["world-migration-report-2018"],
        [],
        3,
        {
            "title_fr": "Lancement de l'État de la migration dans le monde 2018",
            "standfirst_fr": "La neuvième édition de notre rapport phare dénombre 244 millions de migrants "
            "internationaux et examine les questions qui façonnent le débat public.",
        },
    ),
    (
        "civil-society-meets-in-geneva",
        "news",
        date(2016, 11, 4),
        "Civil society meets in Geneva after the September summit",
        "Our annual consultation with civil society organizations looked at what the New York Declaration "
        "means in practice.",
        p(
            "Civil society organizations from every region came to Geneva for the annual consultation. The talks "
            "turned on the summit held in New York in September and on the two global compacts it set in "
            "motion.",
            "Participants asked for a clear place for civil society in the negotiations ahead.",
        ),
        ["migration-policy"],
        ["switzerland"],
        [],
        [("iom-cso-annual-consultations", 2016, "post-19-september-summit")],
        None,
        {},
    ),
    (
        "humanitarian-partners-meet-in-nairobi",
        "news",
        date(2017, 9, 11),
        "Humanitarian partners meet in Nairobi",
        "A regional humanitarian consultation brought NGO partners from East and Horn of Africa together.",
        p(
            "Non-governmental partners working in emergencies across East and Horn of Africa met us in Nairobi "
            "for a regional humanitarian consultation. Displacement caused by drought and conflict was at the "
            "top of the agenda.",
            "The partners agreed to share their assessments of displacement sites more often.",
        ),
        ["counter-trafficking/humanitarian-settings"],
        ["east-and-horn-of-africa", "kenya"],
        [],
        [("iom-ngo-humanitarian-consultations", 2017, "iom-ngo-regional-humanitarian-consultation")],
        4,
        {},
    ),
    (
        "a-nurse-returns-to-manila",
        "story",
        date(2019, 5, 12),
        "A nurse comes home to Manila",
        "After eight years on hospital wards abroad, Maria came back to the Philippines with savings, skills and "
        "a plan.",
        p(
            "Maria left the Philippines at twenty-six with a nursing diploma and a contract she had read three "
            "times. Eight years later she is back in Manila, training younger nurses who hope to follow her.",
            "She says the pre-departure course she took was what made the difference: she knew what her contract "
            "said, whom to call, and that no one had the right to keep her passport.",
        ),
        ["migrant-training-and-integration", "labour-migration"],
        ["asia-and-the-pacific", "philippines"],
        [],
        [],
        1,
        {},
    ),
    (
        "settling-in-canada-starts-before-departure",
        "story",
        date(2018, 4, 23),
        "Settling in Canada starts before departure",
        "Orientation sessions held before the journey help newcomers find work sooner once they arrive.",
        p(
            "Weeks before they board their flight, future residents of Canada sit down for a few days of "
            "orientation: how to look for a job, how the health system works, what winter is really like.",
            "Those who take part find work sooner, and say they feel less alone in their first months.",
        ),
        ["migrant-training-and-integration"],
        ["north-america", "canada"],
        [],
        [],
        2,
        {},
    ),
    (
        "policy-advice-for-central-america",
        "news",
        date(2019, 2, 18),
        "Policy advice for governments of Central America",
        "Honduras, El Salvador and Panama asked for support in writing migration policies that protect "
        "returning citizens.",
        p(
            "Three governments of Central America asked for our advice on migration policy this year. The work "
            "covers the reception of citizens who come home, the data ministries need, and cooperation along "
            "the migration routes of the region.",
        ),
        ["migration-policy/policy-advice"],
        ["central-america", "honduras", "el-salvador", "panama"],
        ["thematic-paper-global-compact-for-migration"],
        [],
        None,
        {},
    ),
    (
        "hurricane-response-in-haiti",
        "press-release",
        date(2016, 10, 10),
        "Emergency shelter after the hurricane in Haiti",
        "Teams are handing out shelter kits and tracking where displaced families have gone.",
        p(
            "After the hurricane struck the south-west of Haiti, our teams began handing out shelter kits, water "
            "containers and hygiene items within days.",
            "We also track where displaced families have gone, so that help reaches the sites that need it most.",
        ),
        ["counter-trafficking/humanitarian-settings"],
        ["caribbean", "haiti"],
        [],
        [],
        3,
        {},
    ),
    (
        "migrant-workers-in-western-europe",
        "story",
        date(2018, 12, 18),
        "Seasonal work in Western Europe, told by the workers",
        "On International Migrants Day, farm workers in Spain and France describe a season far from home.",
        p(
            "Every spring, thousands of seasonal workers arrive on the farms of Spain and France. We asked some "
            "of them what a good season looks like: a written contract, a fair wage paid on time, a decent place "
            "to sleep, and the freedom to change employer.",
        ),
        ["labour-migration"],
        ["western-europe", "spain", "france"],
        [],
        [],
        4,
        {},
    ),
]


def event(series, year, slug):
    from consultations.models import ConsultationEvent

    return ConsultationEvent.objects.filter(series__slug=series, year=year, slug=slug).first()


def load(stdout):
    from publications.models import Publication
    from regions.models import Region
    from themes.models import Theme

    kind_of = kinds()
    created = 0
    for slug, kind, day, title, standfirst, body, themes, regions, publications, events, colour, more in ARTICLES:
        image = None
        if colour is not None:
            image = demo_image(
                f"News: {title}",
                f"A panel in our colours with the headline “{title}”.",
                credit="© IOM demo",
                heading=title,
                color=colour,
            )
        # Over existing content (``keeping()``) this only creates what is missing; ``--reset`` rewrites.
        article, new = Article.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": kind_of[kind],
                "date": day,
                "title": title,
                "standfirst": standfirst,
                "body": body,
                "image": image,
                **more,
                **publish_fields(),
            },
        )
        article.themes.set(Theme.objects.filter(path__in=themes))
        article.regions.set(Region.objects.filter(slug__in=regions))
        article.publications.set(Publication.objects.filter(slug__in=publications))
        article.events.set([found for spec in events if (found := event(*spec))])
        created += new
    stdout.write(f"  news: {Article.objects.count()} articles ({created} new), {Kind.objects.count()} kinds")
