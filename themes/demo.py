"""Demo thematic pages: the thematic areas of the reference site as a tree.

The facts (70 countries, more than 400 offices, IRIS, the Counter-Trafficking Data
Collaborative, the Global Assistance Fund…) come from the snapshot; the sentences are
ours. Idempotent: topics are found by their path, their parts by title, image or document.
The video addresses are examples in the YouTube and Vimeo formats, never fetched.
"""

from iomsite.demo import demo_document, demo_image, demo_infographic, publish_fields
from themes.models import FeaturedProject, Infographic, Theme, ThemeDocument, ThemeLink, Video

LABOUR_MIGRATION_BODY = """
<h2>Our vision</h2>
<p>Migrant workers should be safe at every step of their journey, and labour migration should pay off for
three parties at once: the country workers leave, the country that employs them, and the workers themselves.</p>
<h2>Objectives</h2>
<p>We help states manage labour migration better. In practice that means:</p>
<ul>
<li>advising national governments on policy and on technical questions;</li>
<li>helping to draft policies, laws and administrative systems that keep labour migration efficient,
effective and transparent;</li>
<li>supporting governments that want their own nationals to work abroad safely;</li>
<li>helping with the recruitment of workers, including training before departure and preparation for the
journey;</li>
<li>helping labour migrants settle into their new workplace and their new community.</li>
</ul>
<h2>Principal beneficiaries</h2>
<p>Our labour migration programmes run in 70 countries. They serve:</p>
<ul>
<li>migrants, their families and the communities they come from;</li>
<li>local and national governments;</li>
<li>employers, industry representatives and other private sector actors;</li>
<li>regional organizations.</li>
</ul>
<h2>Our approach</h2>
<p>With more than 400 offices around the world, we can bring governments, civil society and business to the
same table to design labour migration programmes that balance their interests and answer migrants' needs. We
link labour migration to development, and we promote legal routes to work abroad as an alternative to
irregular migration. The policies and programmes we support aim to serve both migrants and societies, with
real protection and assistance for migrant workers and their families.</p>
"""

LABOUR_MIGRATION_FR = {
    "title": "Migration de main-d'œuvre",
    "summary": (
        "Protéger les travailleurs migrants et faire en sorte que la migration de main-d'œuvre profite aux pays "
        "d'origine, aux pays de destination et aux migrants eux-mêmes."
    ),
    "body": """
<h2>Notre vision</h2>
<p>Les travailleurs migrants doivent être en sécurité à chaque étape de leur parcours, et la migration de
main-d'œuvre doit bénéficier à la fois au pays qu'ils quittent, au pays qui les emploie et aux travailleurs
eux-mêmes.</p>
<h2>Objectifs</h2>
<p>Nous aidons les États à mieux gérer la migration de main-d'œuvre :</p>
<ul>
<li>conseils politiques et techniques aux gouvernements ;</li>
<li>appui à l'élaboration de politiques, de lois et de structures administratives efficaces et
transparentes ;</li>
<li>soutien aux gouvernements qui veulent que leurs ressortissants travaillent à l'étranger en sécurité ;</li>
<li>aide au recrutement, y compris la formation avant le départ et la préparation au voyage ;</li>
<li>aide à l'intégration des travailleurs migrants sur leur lieu de travail et dans leur nouvelle
société.</li>
</ul>
<h2>Principaux bénéficiaires</h2>
<p>Nos programmes de migration de main-d'œuvre sont menés dans 70 pays, au service des migrants et de leurs
familles, des gouvernements locaux et nationaux, du secteur privé et des organisations régionales.</p>
<h2>Notre approche</h2>
<p>Grâce à plus de 400 bureaux dans le monde, nous réunissons gouvernements, société civile et entreprises
autour de programmes qui concilient leurs intérêts et répondent aux besoins des migrants. Nous relions
migration de main-d'œuvre et développement, et nous promouvons les voies légales comme alternative à la
migration irrégulière.</p>
""",
}

LABOUR_MIGRATION_ES = {
    "title": "Migración laboral",
    "summary": (
        "Proteger a los trabajadores migrantes y lograr que la migración laboral beneficie a los países de origen, "
        "a los de destino y a los propios migrantes."
    ),
    "body": """
<h2>Nuestra visión</h2>
<p>Los trabajadores migrantes deben estar seguros en cada etapa de su trayecto, y la migración laboral debe
beneficiar al país que dejan, al país que los emplea y a los propios trabajadores.</p>
<h2>Objetivos</h2>
<p>Ayudamos a los Estados a gestionar mejor la migración laboral:</p>
<ul>
<li>asesoramiento político y técnico a los gobiernos;</li>
<li>apoyo a políticas, leyes y estructuras administrativas eficientes y transparentes;</li>
<li>apoyo a los gobiernos que desean que sus nacionales trabajen en el extranjero de forma segura;</li>
<li>ayuda con la contratación, incluida la formación antes de la partida y la preparación del viaje;</li>
<li>ayuda a la integración de los trabajadores migrantes en su nuevo lugar de trabajo y su nueva
sociedad.</li>
</ul>
<h2>Principales beneficiarios</h2>
<p>Nuestros programas de migración laboral se llevan a cabo en 70 países y benefician a los migrantes y sus
familias, a los gobiernos locales y nacionales, al sector privado y a las organizaciones regionales.</p>
<h2>Nuestro enfoque</h2>
<p>Con más de 400 oficinas en el mundo, reunimos a gobiernos, sociedad civil y empresas en torno a programas
que equilibran sus intereses y responden a las necesidades de los migrantes. Vinculamos migración laboral y
desarrollo, y promovemos las vías legales como alternativa a la migración irregular.</p>
""",
}

ETHICAL_RECRUITMENT_BODY = """
<p>Many migrant workers pay recruitment fees, lose their passports to an employer, or find that the job they
signed for is not the job they get. Ethical recruitment means hiring that respects workers' rights from the
first contact to the return home.</p>
<h2>What we do</h2>
<ul>
<li>help governments regulate and monitor recruitment agencies;</li>
<li>work with employers and brands that want exploitation out of their operations and supply chains;</li>
<li>inform workers about their rights before they leave.</li>
</ul>
<p>Our International Recruitment Integrity System (IRIS) gives businesses, governments and workers a common
tool for due diligence in recruitment.</p>
"""

IRIS_BODY = """
<p>The International Recruitment Integrity System, IRIS for short, is a due diligence tool for businesses,
governments and workers. It sets out what fair recruitment looks like and helps recruiters show that they
meet that standard.</p>
<h2>Who it is for</h2>
<ul>
<li><strong>Businesses</strong> that want to check how the workers in their operations and supply chains were
recruited.</li>
<li><strong>Governments</strong> that regulate recruitment and want to recognise good practice.</li>
<li><strong>Workers</strong>, who can look for recruiters committed to charging them no fees.</li>
</ul>
"""

TRAINING_BODY = """
<p>Migrants settle in faster when they know what to expect. We prepare people before they travel and support
them once they arrive, so that they can work, learn the language and take part in their new community.</p>
<h2>Before departure</h2>
<p>Orientation courses cover the journey, the rules of the destination country, work contracts, rights and
duties, and where to turn for help.</p>
<h2>After arrival</h2>
<p>We work with host communities and local authorities on language classes, recognition of skills and
services that help newcomers find their place, and with countries of origin on the reintegration of those who
return.</p>
"""

COUNTER_TRAFFICKING_BODY = """
<p>We work with governments, the United Nations, international and non-governmental organizations, the private
sector and development partners on every part of the response to human trafficking: preventing it,
protecting the people it harms, and bringing those responsible to justice.</p>
<p>Since the mid-1990s we and our partners have protected and assisted close to 100,000 women, men and
children trafficked for sexual or labour exploitation, slavery and similar practices, servitude or organ
removal. They were exploited in agriculture, fishing, domestic work, hospitality, construction, manufacturing,
begging and the sex industry, among other sectors.</p>
<p>Our approach rests on human rights, on the physical, mental and social well-being of each person and their
community, and on lasting results through stronger institutions and partnerships. We take part in, and lead,
international efforts such as the Inter-Agency Coordination Group against Trafficking in Persons (ICAT) and
Alliance 8.7, and we work with humanitarian partners so that the risk of trafficking is addressed from the
first days of a crisis.</p>
<h2>Capacity development</h2>
<p>We support governments, civil society, international organizations and companies: better procedures to
identify, refer, protect and assist trafficked persons; stronger anti-trafficking laws and their application;
and advice to companies that want to remove exploitation from their operations and supply chains, including
ethical recruitment through the International Recruitment Integrity System (IRIS).</p>
<h2>Prevention and protection</h2>
<p>Information campaigns help people at risk migrate safely and know where to find help, and our programmes
tackle the causes of vulnerability in households, communities and institutions. Trafficked persons receive
safe accommodation, medical and psychosocial care, and help to return home and rebuild their lives if they
choose to.</p>
<p>Alongside country programmes, the Global Assistance Fund provides emergency support. Since it was set up in
2000 it has helped 2,700 victims of trafficking and other migrants exposed to violence, exploitation and
abuse.</p>
<h2>Evidence</h2>
<p>Our case management data make up the largest database of victim cases in the world, with records of more
than 50,000 trafficked persons we assisted. In 2017 we launched the Counter-Trafficking Data Collaborative, the
first global, open-access data hub on human trafficking. It combines anonymised case data from several
anti-trafficking organizations into one harmonised dataset, which now holds case records of over 80,000
trafficked persons from 171 countries, exploited in 170 countries.</p>
<p>Through the Displacement Tracking Matrix we also collect data on trafficking and exploitation in crises and
along migration routes: along the Eastern and Central Mediterranean routes, over 26,000 migrants have been
surveyed.</p>
"""

HUMANITARIAN_CT_BODY = """
<p>Displaced people, host communities, returnees and refugees usually come first in humanitarian assistance.
We ask that trafficked persons among the people affected by a crisis are counted as beneficiaries too.</p>
<p>We train humanitarian workers to recognise trafficking so that identified victims also receive life-saving
aid, run awareness campaigns among groups at risk, and coordinate assistance to victims identified in
humanitarian settings.</p>
"""

MIGRATION_POLICY_BODY = """
<p>We advise and support governments and partners that want effective migration policies and strategies at
national, regional and global level.</p>
<p>We aim for a consistent approach to migration governance as a whole, from protection and humanitarian
policy to the links between migration and development, both within the organisation and with our
partners.</p>
"""

POLICY_ADVICE_BODY = """
<p>Migration and development is one of our priority policy areas. The link between them was already named in
our founding document of 1951; since then, changes in the size, routes and kinds of migration have made its
effects deeper and broader.</p>
<p>Attention has therefore turned to how complex that relationship is and, above all, to how migration can
drive development. The Resources tab gathers a selection of our policy advice on migration and
development.</p>
"""

# (path, parent path, title, summary, body)
THEMES = [
    (
        "labour-migration",
        None,
        "Labour Migration",
        "Protecting migrant workers and making labour migration work for countries of origin, countries of "
        "destination and migrants themselves.",
        LABOUR_MIGRATION_BODY,
    ),
    (
        "labour-migration/ethical-recruitment",
        "labour-migration",
        "Ethical Recruitment",
        "Fair hiring of migrant workers, from the first contact to the return home.",
        ETHICAL_RECRUITMENT_BODY,
    ),
    (
        "labour-migration/ethical-recruitment/iris",
        "labour-migration/ethical-recruitment",
        "International Recruitment Integrity System (IRIS)",
        "A due diligence tool for businesses, governments and workers.",
        IRIS_BODY,
    ),
    (
        "migrant-training-and-integration",
        None,
        "Migrant Training and Integration",
        "Preparing migrants before they leave and helping them settle, work and take part once they arrive.",
        TRAINING_BODY,
    ),
    (
        "counter-trafficking",
        None,
        "Counter-Trafficking",
        "Preventing human trafficking, protecting and assisting the people it harms, and building the evidence "
        "to end it.",
        COUNTER_TRAFFICKING_BODY,
    ),
    (
        "counter-trafficking/humanitarian-settings",
        "counter-trafficking",
        "Counter-Trafficking in Humanitarian Settings",
        "Making sure trafficked persons among crisis-affected people receive protection and aid.",
        HUMANITARIAN_CT_BODY,
    ),
    (
        "migration-policy",
        None,
        "Migration Policy",
        "Advice and support for effective national, regional and global migration policies.",
        MIGRATION_POLICY_BODY,
    ),
    (
        "migration-policy/policy-advice",
        "migration-policy",
        "Policy Advice",
        "How migration can be a positive force for development, and what policy can do about it.",
        POLICY_ADVICE_BODY,
    ),
]

# Infographics drawn from their facts: (title, caption, bars?, [(value, as shown, label)]).
INFOGRAPHICS = {
    "labour-migration": [
        (
            "Labour migration programmes",
            "Labour migration programmes in 70 countries, from more than 400 offices.",
            False,
            [(70, "70", "countries with labour migration programmes"), (400, "400+", "offices around the world")],
        ),
        (
            "Labour mobility and the SDGs",
            "Labour mobility serves two Sustainable Development Goals: decent work (8) "
            "and safe, regular migration (10.7).",
            False,
            [(8, "SDG 8", "Decent work and economic growth"), (10.7, "10.7", "Safe, orderly and regular migration")],
        ),
    ],
    "migrant-training-and-integration": [
        (
            "Before departure, after arrival",
            "Orientation covers the journey, rights and duties and where to find help before departure; "
            "language, skills and community after arrival.",
            False,
            [
                (3, "3", "topics before departure: journey, rights, help"),
                (3, "3", "after arrival: language, skills, community"),
            ],
        ),
    ],
    "counter-trafficking": [
        (
            "Counter-Trafficking Data Collaborative",
            "Launched in 2017, the collaborative holds case records of over 80,000 trafficked persons "
            "from 171 countries, exploited in 170 countries.",
            False,
            [
                (80_000, "80,000+", "case records of trafficked persons"),
                (171, "171", "countries of origin"),
                (170, "170", "countries of exploitation"),
            ],
        ),
        (
            "Assistance to trafficked persons",
            "Close to 100,000 trafficked persons protected and assisted since the mid-1990s; "
            "2,700 helped by the Global Assistance Fund since 2000.",
            True,
            [
                (100_000, "~100,000", "people assisted since the mid-1990s"),
                (2_700, "2,700", "helped by the Global Assistance Fund since 2000"),
            ],
        ),
    ],
}

PROJECTS = {
    "labour-migration": [
        (
            FeaturedProject.Kind.INITIATIVE,
            "International Recruitment Integrity System (IRIS)",
            "A due diligence tool that helps businesses, governments and workers tell fair recruiters from the rest.",
            "/en/themes/labour-migration/ethical-recruitment/iris/",
        ),
        (
            FeaturedProject.Kind.PROJECT,
            "Ready to go: pre-departure training",
            "Workers learn about their contract, their rights and the country they are going to before they "
            "board, and are prepared for the journey itself.",
            "",
        ),
    ],
    "counter-trafficking": [
        (
            FeaturedProject.Kind.INITIATIVE,
            "Counter-Trafficking Data Collaborative",
            "The first global, open-access data hub on human trafficking, launched in 2017.",
            "https://www.ctdatacollaborative.org/",
        ),
        (
            FeaturedProject.Kind.INITIATIVE,
            "Global Assistance Fund",
            "Emergency help, since 2000, for trafficked persons and migrants facing violence, exploitation and "
            "abuse when no country programme can step in.",
            "",
        ),
    ],
}

LINKS = {
    "labour-migration": [
        ("Ethical Recruitment", "/en/themes/labour-migration/ethical-recruitment/", "Fair hiring of migrant workers."),
        ("Migrant Training and Integration", "/en/themes/migrant-training-and-integration/", ""),
    ],
    "counter-trafficking": [
        ("Inter-Agency Coordination Group against Trafficking in Persons (ICAT)", "https://icat.un.org/", ""),
        ("Alliance 8.7", "https://www.alliance87.org/", "The global partnership to end forced labour and trafficking."),
    ],
    "migrant-training-and-integration": [
        ("Labour Migration", "/en/themes/labour-migration/", ""),
    ],
    "migration-policy/policy-advice": [
        ("Migration Policy", "/en/themes/migration-policy/", "Our work on migration policy as a whole."),
    ],
}

DOCUMENTS = {
    "labour-migration": [
        ("Labour migration programmes at a glance", ("Programmes in 70 countries", "More than 400 offices")),
    ],
    "migrant-training-and-integration": [
        ("Thematic Paper - Global Compact for Migration", ("Migrant training and integration",)),
    ],
    "migration-policy/policy-advice": [
        ("Policy Advice on Migration and Development", ("A selection of our policy advice",)),
    ],
}

VIDEOS = {
    "labour-migration": [
        (
            "Fair recruitment, explained",
            "https://www.youtube.com/watch?v=iomDemo0001",
            "Three migrant workers tell what changed when their recruiter stopped charging fees.",
            True,
        ),
        (
            "Labour mobility and development",
            "https://vimeo.com/123456789",
            "How legal routes to work abroad benefit countries of origin and destination.",
            False,
        ),
    ],
    "migrant-training-and-integration": [
        (
            "Migrant training and reintegration",
            "https://youtu.be/iomDemo0002",
            "Orientation before departure and support after return, in the words of trainers and migrants.",
            True,
        ),
    ],
    "counter-trafficking": [
        (
            "Counter-trafficking in humanitarian settings",
            "https://www.youtube.com/watch?v=iomDemo0003",
            "Why the response to a crisis must look out for trafficking from the first day.",
            True,
        ),
    ],
}

HOME_IMAGES = {
    "labour-migration": 0,
    "migrant-training-and-integration": 1,
    "counter-trafficking": 2,
    "migration-policy": 3,
}


def _upsert_theme(path, parent, title, summary, body):
    theme = Theme.objects.filter(path=path).first() or Theme()
    theme.slug = path.rsplit("/", 1)[-1]
    theme.parent = parent
    theme.title = title
    theme.summary = summary
    theme.body = " ".join(body.split())
    for key, value in publish_fields().items():
        setattr(theme, key, value)
    theme.save()
    return theme


def load(stdout):
    themes = {}
    for path, parent_path, title, summary, body in THEMES:
        themes[path] = _upsert_theme(path, themes.get(parent_path), title, summary, body)

    labour = themes["labour-migration"]
    for language, fields in (("fr", LABOUR_MIGRATION_FR), ("es", LABOUR_MIGRATION_ES)):
        for field, value in fields.items():
            setattr(labour, f"{field}_{language}", " ".join(value.split()))
    labour.save()

    for path, color in HOME_IMAGES.items():
        theme = themes[path]
        theme.image = demo_image(
            theme.title,
            f"A coloured panel headed {theme.title}.",
            heading=theme.title,
            credit="© IOM demo",
            size=(1280, 720),
            color=color,
        )
        theme.save(update_fields=["image"])

    for path, items in INFOGRAPHICS.items():
        for order, (title, caption, bars, facts) in enumerate(items, start=1):
            image = demo_infographic(
                f"Infographic: {title}",
                f"Infographic. {caption}",
                heading=title,
                facts=facts,
                bars=bars,
                caption=caption,
                credit="© IOM demo",
                color=order - 1,
            )
            Infographic.objects.update_or_create(theme=themes[path], image=image, defaults={"sort_order": order})

    for path, items in PROJECTS.items():
        for order, (kind, title, summary, url) in enumerate(items, start=1):
            FeaturedProject.objects.update_or_create(
                theme=themes[path],
                title=title,
                defaults={"kind": kind, "summary": summary, "url": url, "sort_order": order},
            )

    for path, items in LINKS.items():
        for order, (title, url, description) in enumerate(items, start=1):
            ThemeLink.objects.update_or_create(
                theme=themes[path], title=title, defaults={"url": url, "description": description, "sort_order": order}
            )

    for path, items in DOCUMENTS.items():
        for order, (title, lines) in enumerate(items, start=1):
            ThemeDocument.objects.update_or_create(
                theme=themes[path], document=demo_document(title, lines), defaults={"sort_order": order}
            )

    for path, items in VIDEOS.items():
        for order, (title, url, summary, with_thumbnail) in enumerate(items, start=1):
            thumbnail = None
            if with_thumbnail:
                thumbnail = demo_image(
                    f"Video still: {title}",
                    f"A still from the video {title}.",
                    credit="© IOM demo",
                    size=(960, 540),
                    color=order + 2,
                )
            Video.objects.update_or_create(
                theme=themes[path],
                title=title,
                defaults={"url": url, "summary": summary, "thumbnail": thumbnail, "sort_order": order},
            )

    stdout.write(
        f"  themes: {Theme.objects.count()} topics, {Infographic.objects.count()} infographics, "
        f"{Video.objects.count()} videos"
    )
