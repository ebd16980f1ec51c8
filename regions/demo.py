"""Demo regions: overviews, key figures, trends, countries and offices.

Facts come from the reference snapshot; the sentences are ours. Years and sources of the
figures are demo attributions. Countries are matched by ISO code, so a country another
loader created first (consultations needs Kenya and Switzerland) is moved into place.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import get_language

from iomsite.demo import keeping, menu_link, publish_fields
from iomsite.models import Menu
from regions.models import KeyFigure, Office, Region, Trend

UN_DESA = "UN DESA Population Division"
UN_DESA_FR = "Division de la population du DAES de l'ONU"
UN_DESA_ES = "División de Población del DAES de las Naciones Unidas"
WORLD_BANK = "World Bank"
WORLD_BANK_FR = "Banque mondiale"
WORLD_BANK_ES = "Banco Mundial"
PEOPLE, PERCENT = KeyFigure.Unit.PEOPLE, KeyFigure.Unit.PERCENT


def figure(label, value, unit, year, source=UN_DESA, fr=None, es=None):
    translations = {}
    if fr:
        translations.update({"label_fr": fr, "source_fr": {UN_DESA: UN_DESA_FR, WORLD_BANK: WORLD_BANK_FR}[source]})
    if es:
        translations.update({"label_es": es, "source_es": {UN_DESA: UN_DESA_ES, WORLD_BANK: WORLD_BANK_ES}[source]})
    return {"label": label, "value": Decimal(value), "unit": unit, "year": year, "source": source, **translations}


REMITTANCES = {
    "HN": figure(
        "Remittances as a share of GDP, Honduras", "19.3", PERCENT, 2012, WORLD_BANK,
        fr="Envois de fonds en part du PIB, Honduras", es="Remesas como porcentaje del PIB, Honduras",
    ),
    "SV": figure(
        "Remittances as a share of GDP, El Salvador", "15.7", PERCENT, 2012, WORLD_BANK,
        fr="Envois de fonds en part du PIB, El Salvador", es="Remesas como porcentaje del PIB, El Salvador",
    ),
    "HT": figure(
        "Remittances as a share of GDP, Haiti", "15.4", PERCENT, 2012, WORLD_BANK,
        fr="Envois de fonds en part du PIB, Haïti", es="Remesas como porcentaje del PIB, Haití",
    ),
}  # fmt: skip

BALANCES = {
    "central-america": figure(
        "Migratory balance, Central America", "-6800000", PEOPLE, 2010,
        fr="Solde migratoire, Amérique centrale", es="Saldo migratorio, Centroamérica",
    ),
    "south-america": figure(
        "Migratory balance, South America", "-3000000", PEOPLE, 2010,
        fr="Solde migratoire, Amérique du Sud", es="Saldo migratorio, América del Sur",
    ),
    "caribbean": figure(
        "Migratory balance, the Caribbean", "-1200000", PEOPLE, 2010,
        fr="Solde migratoire, Caraïbes", es="Saldo migratorio, el Caribe",
    ),
}  # fmt: skip

NORTH_AMERICA_MIGRANTS = figure(
    "International migrants in North America",
    "50000000",
    PEOPLE,
    2010,
    fr="Migrants internationaux en Amérique du Nord",
    es="Migrantes internacionales en América del Norte",
)

AMERICAS_OVERVIEW = {
    "title": "Americas and the Caribbean",
    "title_fr": "Amériques et Caraïbes",
    "title_es": "Américas y el Caribe",
    "summary": "About 57.5 million international migrants live in the Americas: more than a quarter of all "
    "the migrants in the world.",
    "summary_fr": "Quelque 57,5 millions de migrants internationaux vivent dans les Amériques, soit plus d'un "
    "quart des migrants du monde.",
    "summary_es": "Unos 57,5 millones de migrantes internacionales viven en las Américas, más de la cuarta parte "
    "de todos los migrantes del mundo.",
    "body": "<p>Roughly 57.5 million international migrants live in the Americas: close to 50 million in North "
    "America and about 7.5 million across the other sub-regions. By the count of the United Nations Population "
    "Division, that is around 27 per cent of all international migrants.</p>"
    "<p>Most countries of Latin America and the Caribbean now see more people leave than arrive. Departures "
    "exceed arrivals by some 6.8 million people in Central America, 3 million in South America and 1.2 million "
    "in the Caribbean.</p>"
    "<p>Movement from South to North is still strong, yet migration between countries of the South has grown in "
    "recent years. Many countries that were once only a place of origin, of transit or of destination are now "
    "all three at once.</p>",
    "body_fr": "<p>Les Amériques comptent environ 57,5 millions de migrants internationaux : près de 50 millions "
    "en Amérique du Nord et quelque 7,5 millions dans les autres sous-régions. D'après la Division de la "
    "population des Nations Unies, cela représente environ 27 % des migrants internationaux dans le monde.</p>"
    "<p>La plupart des pays d'Amérique latine et des Caraïbes voient aujourd'hui partir plus de personnes "
    "qu'il n'en arrive. Les départs dépassent les arrivées d'environ 6,8 millions de personnes en Amérique "
    "centrale, de 3 millions en Amérique du Sud et de 1,2 million dans les Caraïbes.</p>"
    "<p>Les déplacements du Sud vers le Nord restent importants, mais les migrations entre pays du Sud ont "
    "augmenté ces dernières années. Bien des pays qui n'étaient autrefois qu'un lieu d'origine, de transit ou "
    "de destination sont désormais les trois à la fois.</p>",
    "body_es": "<p>En las Américas viven cerca de 57,5 millones de migrantes internacionales: casi 50 millones en "
    "América del Norte y unos 7,5 millones en las demás subregiones. Según la División de Población de las "
    "Naciones Unidas, eso equivale a alrededor del 27 % de los migrantes internacionales del mundo.</p>"
    "<p>La mayoría de los países de América Latina y el Caribe ven hoy salir a más personas de las que llegan. "
    "Las salidas superan a las llegadas en unos 6,8 millones de personas en Centroamérica, 3 millones en "
    "América del Sur y 1,2 millones en el Caribe.</p>"
    "<p>Los movimientos de Sur a Norte siguen siendo intensos, pero la migración entre países del Sur ha crecido "
    "en los últimos años. Muchos países que antes eran solo de origen, de tránsito o de destino hoy son las tres "
    "cosas a la vez.</p>",
}

AMERICAS_TRENDS = [
    (
        "Returns after the economic crisis",
        "<p>The economic crisis in wealthier countries still weighs on the migrants who live there. Some have "
        "gone back to their countries of origin: not in large waves, but steadily. The countries receiving them "
        "need sound ways to support their return and help them settle back in. In some countries of "
        "destination, the crisis has also fed hostility towards migrants.</p>",
    ),
    (
        "Remittances",
        "<p>Money sent home by migrants remains a major source of income for Latin America and the Caribbean, "
        "even after the fall seen in 2009. Measured against the size of the economy, Honduras receives the "
        "most, with remittances worth 19.3 per cent of GDP, ahead of El Salvador at 15.7 per cent and Haiti at "
        "15.4 per cent.</p><p>These private transfers help families meet basic needs and move out of poverty, "
        "but on their own they do not bring development. Governments in the region are therefore designing "
        "policies that tie migration and development more closely together.</p>",
    ),
    (
        "Trafficking in persons and smuggling of migrants",
        "<p>Trafficking in persons and the smuggling of migrants remain serious concerns. Sexual exploitation "
        "is among the most frequent forms of trafficking, but exploitation for labour affects the region too. "
        "Children who migrate alone, above all in Central America, have become a pressing challenge for the "
        "countries of the Americas.</p>",
    ),
    (
        "Diasporas",
        "<p>Crisis and returns notwithstanding, large communities from Latin America and the Caribbean still "
        "live in the United States, Canada and Europe. Many are well organised and keep cultural, economic and "
        "social ties with the places they come from.</p><p>Governments increasingly seek closer relations with "
        "their nationals abroad, and above all with skilled ones whose know-how can support development at "
        "home. IOM supports this work in many countries; engaging skilled diasporas still has much room to "
        "grow.</p>",
    ),
]


def country(iso_code, slug, title, summary="", body="", figures=(), offices=(), **translations):
    return {
        "kind": Region.Kind.COUNTRY,
        "iso_code": iso_code,
        "slug": slug,
        "title": title,
        "summary": summary,
        "body": body,
        "figures": list(figures),
        "offices": list(offices),
        **translations,
    }


def office(slug, kind, name, address, phone, email, summary=""):
    return {
        "slug": slug,
        "kind": kind,
        "name": name,
        "address": address,
        "phone": phone,
        "email": email,
        "summary": summary,
    }


TREE = [
    {
        "kind": Region.Kind.REGION,
        "slug": "europe",
        "title": "Europe and Central Asia",
        "title_fr": "Europe et Asie centrale",
        "title_es": "Europa y Asia Central",
        "summary": "Among the regions with the largest migration flows: 72.5 million migrants, 8.7 per cent of "
        "the population.",
        "body": "<p>Europe and Central Asia see some of the largest movements of people anywhere. Together, the "
        "two sub-regions are home to about 72.5 million migrants, or 8.7 per cent of everyone who lives "
        "there.</p><p>Around 31.9 million people living in Europe are nationals of countries outside the "
        "European Union. The largest numbers of them live in Germany, Spain, the United Kingdom and France.</p>"
        "<p>Even after the economic crisis, more people still arrive than leave in the main countries of "
        "destination.</p>",
        "figures": [
            figure(
                "Migrants in Europe and Central Asia",
                "72500000",
                PEOPLE,
                2013,
                fr="Migrants en Europe et en Asie centrale",
                es="Migrantes en Europa y Asia Central",
            ),
            figure("Non-EU nationals residing in Europe", "31900000", PEOPLE, 2013),
            figure("Migrants as a share of the population", "8.7", PERCENT, 2013),
        ],
        "children": [
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "western-europe",
                "title": "Western Europe",
                "title_fr": "Europe occidentale",
                "title_es": "Europa Occidental",
                "summary": "Germany, Spain, the United Kingdom and France host the most nationals of countries "
                "outside the European Union.",
                "children": [
                    country(
                        "DE",
                        "germany",
                        "Germany",
                        "One of the main destinations for migrants in Europe.",
                        title_fr="Allemagne",
                        title_es="Alemania",
                        offices=[
                            office(
                                "berlin",
                                Office.Kind.COUNTRY,
                                "IOM Germany",
                                "Berlin\nGermany",
                                "+49 30 555 0100",
                                "berlin@example.org",
                            ),
                        ],
                    ),
                    country(
                        "ES",
                        "spain",
                        "Spain",
                        "One of the main destinations for migrants in Europe.",
                        title_fr="Espagne",
                        title_es="España",
                    ),
                    country(
                        "GB",
                        "united-kingdom",
                        "United Kingdom",
                        "One of the main destinations for migrants in Europe.",
                        title_fr="Royaume-Uni",
                        title_es="Reino Unido",
                    ),
                    country(
                        "FR",
                        "france",
                        "France",
                        "One of the main destinations for migrants in Europe.",
                        title_es="Francia",
                    ),
                    country(
                        "CH",
                        "switzerland",
                        "Switzerland",
                        "Home of our headquarters, in Grand-Saconnex near Geneva.",
                        title_fr="Suisse",
                        title_es="Suiza",
                        offices=[
                            office(
                                "geneva",
                                Office.Kind.HEADQUARTERS,
                                "IOM Headquarters",
                                "17 Route des Morillons\n1218 Grand-Saconnex\nSwitzerland",
                                "+41 22 717 9111",
                                "hq@example.org",
                                "Where the organisation's work around the world is directed from.",
                            ),
                        ],
                    ),
                ],
            },
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "eastern-europe-and-central-asia",
                "title": "Eastern Europe and Central Asia",
                "title_fr": "Europe orientale et Asie centrale",
                "title_es": "Europa Oriental y Asia Central",
                "summary": "The eastern part of the region, from Eastern Europe to Central Asia.",
            },
        ],
    },
    {
        "kind": Region.Kind.REGION,
        "slug": "americas",
        **AMERICAS_OVERVIEW,
        "figures": [
            figure(
                "International migrants in the Americas",
                "57500000",
                PEOPLE,
                2010,
                fr="Migrants internationaux dans les Amériques",
                es="Migrantes internacionales en las Américas",
            ),
            NORTH_AMERICA_MIGRANTS,
            figure(
                "International migrants in the other sub-regions",
                "7500000",
                PEOPLE,
                2010,
                fr="Migrants internationaux dans les autres sous-régions",
                es="Migrantes internacionales en las demás subregiones",
            ),
            figure(
                "Share of the world's international migrants",
                "27",
                PERCENT,
                2010,
                fr="Part des migrants internationaux du monde",
                es="Proporción de los migrantes internacionales del mundo",
            ),
            *BALANCES.values(),
            *REMITTANCES.values(),
        ],  # fmt: skip
        "trends": AMERICAS_TRENDS,
        "children": [
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "north-america",
                "title": "North America",
                "title_fr": "Amérique du Nord",
                "title_es": "América del Norte",
                "summary": "Close to 50 million international migrants live in North America.",
                "figures": [NORTH_AMERICA_MIGRANTS],
                "children": [
                    country(
                        "US",
                        "united-states",
                        "United States of America",
                        "Home to large, well-organised communities from Latin America and the Caribbean.",
                        title_fr="États-Unis d'Amérique",
                        title_es="Estados Unidos de América",
                    ),
                    country(
                        "CA",
                        "canada",
                        "Canada",
                        "Home to large communities from Latin America and the Caribbean.",
                        title_es="Canadá",
                    ),
                ],
            },
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "central-america",
                "title": "Central America",
                "title_fr": "Amérique centrale",
                "title_es": "Centroamérica",
                "summary": "Departures exceed arrivals by some 6.8 million people.",
                "figures": [BALANCES["central-america"]],
                "children": [
                    country(
                        "HN",
                        "honduras",
                        "Honduras",
                        "Remittances are worth close to a fifth of GDP.",
                        figures=[REMITTANCES["HN"]],
                        offices=[
                            office(
                                "tegucigalpa",
                                Office.Kind.COUNTRY,
                                "IOM Honduras",
                                "Tegucigalpa\nHonduras",
                                "+504 2555 0100",
                                "tegucigalpa@example.org",
                            ),
                        ],
                    ),
                    country(
                        "SV",
                        "el-salvador",
                        "El Salvador",
                        "Remittances are worth 15.7 per cent of GDP.",
                        figures=[REMITTANCES["SV"]],
                        offices=[
                            office(
                                "san-salvador",
                                Office.Kind.COUNTRY,
                                "IOM El Salvador",
                                "San Salvador\nEl Salvador",
                                "+503 2555 0100",
                                "sansalvador@example.org",
                            ),
                        ],
                    ),
                    country(
                        "PA",
                        "panama",
                        "Panama",
                        "Home to our Panama Administrative Centre.",
                        title_fr="Panama",
                        title_es="Panamá",
                        offices=[
                            office(
                                "panama",
                                Office.Kind.ADMINISTRATIVE,
                                "IOM Panama Administrative Centre",
                                "Ciudad del Saber\nPanama City\nPanama",
                                "+507 555 0100",
                                "panama@example.org",
                                "Provides administrative services to offices in the Americas and beyond.",
                            ),
                        ],
                    ),
                ],
            },
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "south-america",
                "title": "South America",
                "title_fr": "Amérique du Sud",
                "title_es": "América del Sur",
                "summary": "Departures exceed arrivals by some 3 million people.",
                "figures": [BALANCES["south-america"]],
            },
            {
                "kind": Region.Kind.SUBREGION,
                "slug": "caribbean",
                "title": "The Caribbean",
                "title_fr": "Caraïbes",
                "title_es": "El Caribe",
                "summary": "Departures exceed arrivals by some 1.2 million people.",
                "figures": [BALANCES["caribbean"]],
                "children": [
                    country(
                        "HT",
                        "haiti",
                        "Haiti",
                        "Remittances are worth 15.4 per cent of GDP.",
                        title_fr="Haïti",
                        title_es="Haití",
                        figures=[REMITTANCES["HT"]],
                        offices=[
                            office(
                                "port-au-prince",
                                Office.Kind.COUNTRY,
                                "IOM Haiti",
                                "Port-au-Prince\nHaiti",
                                "+509 2555 0100",
                                "portauprince@example.org",
                            ),
                        ],
                    ),
                ],
            },
        ],  # fmt: skip
    },
    {
        "kind": Region.Kind.REGION,
        "slug": "east-and-horn-of-africa",
        "title": "East and Horn of Africa",
        "title_fr": "Afrique de l'Est et Corne de l'Afrique",
        "title_es": "África Oriental y el Cuerno de África",
        "summary": "Migration within East Africa and the Horn of Africa, and onwards from the region.",
        "children": [
            country(
                "KE",
                "kenya",
                "Kenya",
                "Home to our regional office for East and Horn of Africa, in Nairobi.",
                title_es="Kenia",
                offices=[
                    office(
                        "nairobi",
                        Office.Kind.REGIONAL,
                        "IOM Regional Office for East and Horn of Africa",
                        "Nairobi\nKenya",
                        "+254 20 555 0100",
                        "nairobi@example.org",
                        "Supports the country offices of East Africa and the Horn of Africa.",
                    ),
                ],
            ),
        ],  # fmt: skip
    },
    {
        "kind": Region.Kind.REGION,
        "slug": "asia-and-the-pacific",
        "title": "Asia and the Pacific",
        "title_fr": "Asie et Pacifique",
        "title_es": "Asia y el Pacífico",
        "summary": "From South Asia to the Pacific islands, including our Manila Administrative Centre.",
        "children": [
            country(
                "PH",
                "philippines",
                "Philippines",
                "Home to our Manila Administrative Centre.",
                title_es="Filipinas",
                offices=[
                    office(
                        "manila",
                        Office.Kind.ADMINISTRATIVE,
                        "IOM Manila Administrative Centre",
                        "Makati City\nMetro Manila\nPhilippines",
                        "+63 2 5555 0100",
                        "manila@example.org",
                        "Provides administrative services, from finance to information technology, to "
                        "offices around the world.",
                    ),
                ],
            ),
        ],  # fmt: skip
    },
]


# A short overview, in our own words, for every place the demo links, with a few key figures where the
# place has none above (international migrant stock: UN DESA, 2019; remittances: the reference site).
def migrants(count, share, year=2019):
    """The two figures most overviews give: migrants living there, and their share of the population."""
    return [
        figure("International migrants", count, PEOPLE, year),
        figure("Migrants as a share of the population", share, PERCENT, year),
    ]


def _overview(*paragraphs, figures=()):
    return {"body": "".join(f"<p>{text}</p>" for text in paragraphs), "figures": list(figures)}


OVERVIEWS = {
    "western-europe": _overview(
        "Western Europe is one of the main destinations of migrants worldwide. Most arrive to work, study or join "
        "family, many from elsewhere in Europe, and the largest numbers live in Germany, France, Spain and the "
        "United Kingdom.",
        "Our offices in the sub-region support governments on labour mobility, integration and assisted return.",
        figures=[figure("Non-EU nationals residing in Europe", "31900000", PEOPLE, 2013)],
    ),
    "germany": _overview(
        "Germany is home to more international migrants than any other country in Europe. Our office in Berlin "
        "works with the federal and state authorities on integration, resettlement and voluntary return.",
        figures=migrants("13100000", "15.7"),
    ),
    "spain": _overview(
        "Spain became a country of immigration within a generation. Many migrants come from Latin America and "
        "North Africa, and seasonal work in agriculture brings workers every spring.",
        figures=migrants("6100000", "13.1"),
    ),
    "united-kingdom": _overview(
        "The United Kingdom hosts one of the largest migrant populations in Europe, drawn from the Commonwealth, "
        "the European Union and beyond. Resettlement of refugees is a large part of our work there.",
        figures=migrants("9600000", "14.1"),
    ),
    "france": _overview(
        "France has a long history of immigration, with large communities from North and West Africa and from "
        "elsewhere in Europe. We work with the authorities on voluntary return and reintegration.",
        figures=migrants("8300000", "12.8"),
    ),
    "switzerland": _overview(
        "Switzerland is the home of our headquarters, in Grand-Saconnex near Geneva, where the Council of Member "
        "States meets and the annual consultations with civil society take place.",
        "Nearly a third of the people who live in Switzerland were born abroad, one of the highest shares in Europe.",
        figures=migrants("2600000", "29.9"),
    ),
    "eastern-europe-and-central-asia": _overview(
        "Migration in Eastern Europe and Central Asia is largely movement between the countries of the former "
        "Soviet Union, with the Russian Federation and Kazakhstan as the main destinations for workers from "
        "Central Asia.",
        "Remittances sent home are a large part of the income of several Central Asian countries.",
        figures=[figure("Migrants in Europe and Central Asia", "72500000", PEOPLE, 2013)],
    ),
    "north-america": _overview(
        "North America hosts about 50 million international migrants, more than any other sub-region of the "
        "Americas. Most come from Latin America, the Caribbean and Asia.",
    ),
    "united-states": _overview(
        "The United States is home to the largest number of international migrants of any country. Many "
        "communities from Latin America and the Caribbean keep close ties with their places of origin.",
        figures=migrants("50700000", "15.4"),
    ),
    "canada": _overview(
        "Canada admits many permanent residents each year and resettles refugees from around the world. Before "
        "they travel, many newcomers take part in orientation sessions that we run in their countries.",
        figures=migrants("8000000", "21.3"),
    ),
    "central-america": _overview(
        "More people leave Central America than arrive: the migratory balance of the sub-region is negative by "
        "6.8 million. Remittances are a large share of national income, and unaccompanied children on the move "
        "are a growing concern.",
    ),
    "honduras": _overview(
        "Remittances equal almost a fifth of the economy of Honduras, the highest share in Latin America and the "
        "Caribbean. Our office in Tegucigalpa helps citizens who come home, many of them returned from the north.",
    ),
    "el-salvador": _overview(
        "El Salvador has large communities abroad, most of them in the United States, and remittances equal "
        "about 16 per cent of the economy. Our office in San Salvador works on the reception of returnees.",
    ),
    "panama": _overview(
        "Panama is the home of our administrative centre in the City of Knowledge, which supports offices in "
        "the Americas and around the world. The country is also a crossroads on the migration routes of the "
        "region.",
        figures=migrants("185000", "4.3"),
    ),
    "south-america": _overview(
        "South America has become a region of movement within itself: more migrants now travel from one South "
        "American country to another than to the north. The migratory balance remains negative by 3 million.",
    ),
    "caribbean": _overview(
        "Many Caribbean countries have large diasporas in North America and Europe; the migratory balance of the "
        "sub-region is negative by 1.2 million. Hurricanes regularly force people from their homes.",
    ),
    "haiti": _overview(
        "Remittances equal about 15 per cent of the economy of Haiti. Our office in Port-au-Prince helps people "
        "displaced by disasters and citizens returned from abroad.",
    ),
    "east-and-horn-of-africa": _overview(
        "East and Horn of Africa see large movements within the region, driven by work, conflict and drought. "
        "Our regional office in Nairobi supports the countries of the sub-region.",
        figures=[figure("International migrants in Kenya", "1000000", PEOPLE, 2019)],
    ),
    "kenya": _overview(
        "Kenya hosts refugees and migrant workers from across the region, and Nairobi is the seat of our regional "
        "office for East and Horn of Africa, where the regional humanitarian consultation met in 2017.",
        figures=migrants("1000000", "2.0"),
    ),
    "asia-and-the-pacific": _overview(
        "Asia and the Pacific is the origin of many of the world's migrant workers, to the Gulf States, to other "
        "countries of Asia and beyond. Our administrative centre in Manila supports offices worldwide.",
        figures=[figure("Emigrants from the Philippines", "5400000", PEOPLE, 2019)],
    ),
    "philippines": _overview(
        "The Philippines is the home of our administrative centre in Manila. Millions of Filipinos work abroad, "
        "and the country's pre-departure training for workers is often cited as an example.",
        figures=[figure("Emigrants from the Philippines", "5400000", PEOPLE, 2019)],
    ),
}


# Every country the offices page lists has an office under it, with its address (issue 22).
MORE_OFFICES = {
    "spain": [office("madrid", Office.Kind.COUNTRY, "IOM Spain", "Calle de Fernando el Santo 15\n28010 Madrid\nSpain",
                     "+34 91 555 0100", "iommadrid@example.org")],
    "united-kingdom": [office("london", Office.Kind.COUNTRY, "IOM United Kingdom",
                              "11 Belgrave Road\nLondon SW1V 1RB\nUnited Kingdom", "+44 20 5550 0100",
                              "iomuk@example.org")],
    "france": [office("paris", Office.Kind.COUNTRY, "IOM France", "45 rue des Petites Écuries\n75010 Paris\nFrance",
                      "+33 1 55 50 01 00", "iomparis@example.org")],
    "united-states": [office("washington", Office.Kind.COUNTRY, "IOM United States",
                             "1752 N Street NW, Suite 700\nWashington, DC 20036\nUnited States",
                             "+1 202 555 0100", "iomwashington@example.org")],
    "canada": [office("ottawa", Office.Kind.COUNTRY, "IOM Canada", "116 Albert Street, Suite 300\nOttawa, ON K1P 5G3\n"
                      "Canada", "+1 613 555 0100", "iomottawa@example.org")],
}  # fmt: skip


NODE_FIELDS = ("title", "summary", "body")


def _find(spec, parent):
    if spec["kind"] == Region.Kind.COUNTRY:
        found = Region.objects.filter(kind=Region.Kind.COUNTRY, iso_code=spec["iso_code"]).first()
        if found:
            return found
    return Region.objects.filter(slug=spec["slug"], parent=parent).first()


def _node(spec, parent):
    overview = OVERVIEWS.get(spec["slug"], {})
    spec = {**spec, "body": spec.get("body") or overview.get("body", ""),
            "figures": spec.get("figures") or overview.get("figures", []),
            "offices": spec.get("offices") or MORE_OFFICES.get(spec["slug"], [])}  # fmt: skip
    if parent is not None:
        parent.refresh_from_db()  # mptt inserts from the parent's stored tree fields
    region = _find(spec, parent) or Region(kind=spec["kind"])
    region.kind = spec["kind"]
    region.slug = spec["slug"]
    region.parent = parent
    region.iso_code = spec.get("iso_code", "")
    for name, value in spec.items():
        if name in NODE_FIELDS or name.startswith(tuple(f"{field}_" for field in NODE_FIELDS)):
            setattr(region, name, value)
    for name, value in publish_fields().items():
        setattr(region, name, value)
    region.save()

    # Figures and trends have no slug: replaced as a whole, unless the region already has some to keep.
    if not keeping() or not region.figures.exists():
        region.figures.all().delete()
        for index, data in enumerate(spec.get("figures", [])):
            KeyFigure.objects.create(region=region, sort_order=index, **data)
    if not keeping() or not region.trends.exists():
        region.trends.all().delete()
        for index, (heading, body) in enumerate(spec.get("trends", [])):
            Trend.objects.create(region=region, sort_order=index, heading=heading, body=body)
    for index, data in enumerate(spec.get("offices", [])):
        Office.objects.update_or_create(
            slug=data["slug"], defaults={**data, "country": region, "sort_order": index, **publish_fields()}
        )
    for child in spec.get("children", []):
        _node(child, region)
    return region


def language_neutral(url):
    """'/en/regions/…' → '/regions/…': menu items add the visitor's language themselves."""
    prefix = f"/{get_language()}/"
    return "/" + url.removeprefix(prefix) if url.startswith(prefix) else url


# The footer's links to the administrative centres and the offices (French and Spanish: ours).
ADMINISTRATIVE_CENTRES = (
    (
        "manila",
        "IOM Manila Administrative Centre",
        "Centre administratif de l’OIM à Manille",
        "Centro Administrativo de la OIM en Manila",
    ),
    (
        "panama",
        "IOM Panama Administrative Centre",
        "Centre administratif de l’OIM au Panama",
        "Centro Administrativo de la OIM en Panamá",
    ),
)
COUNTRIES_AND_OFFICES = {"title_fr": "Pays et bureaux", "title_es": "Países y oficinas"}


def load(stdout):
    for spec in TREE:
        _node(spec, None)
    offices = {o.slug: o for o in Office.objects.filter(slug__in=["manila", "panama"]).select_related("country")}
    for slug, title, french, spanish in ADMINISTRATIVE_CENTRES:
        url = language_neutral(offices[slug].get_absolute_url())
        menu_link(Menu.CENTRES, title, url, title_fr=french, title_es=spanish)
    offices_url = language_neutral(reverse("regions:offices"))
    menu_link(Menu.FOOTER, "Countries and Offices", offices_url, after="Contact Us", **COUNTRIES_AND_OFFICES)
    stdout.write(
        f"  regions: {Region.objects.count()} regions and countries, {KeyFigure.objects.count()} key figures, "
        f"{Trend.objects.count()} trends, {Office.objects.count()} offices"
    )
