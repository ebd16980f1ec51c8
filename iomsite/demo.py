"""Site-wide demo content: settings, basic pages, menus, a few images.

Facts come from the reference snapshot; the sentences are ours. Idempotent: run
it twice and nothing is duplicated. Content apps add their own parts with their
``ContentAppConfig.demo`` loader (``iomsite.content``); they may use ``demo_image``,
``demo_pdf`` and ``menu_link``. The main menu has one entry per content app.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from iomsite.content import content_apps
from iomsite.models import Image, Menu, MenuItem, Page, SiteSettings, Status

PALETTE = [(0, 51, 160), (0, 122, 135), (214, 93, 14), (91, 44, 111), (20, 110, 60)]


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size):
    try:
        return ImageFont.truetype(DEJAVU, size)  # has the accented letters of French and Spanish
    except OSError:
        pass
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def _drawable(text):
    """Without DejaVu, Pillow's default font lacks accents: draw "Etat" rather than boxes."""
    import os
    import unicodedata

    if os.path.exists(DEJAVU):
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def demo_image(title, alt_text, *, caption="", credit="", lines=(), size=(1600, 900), color=0):
    """An Image made with Pillow (title and lines drawn on a coloured field), once per title."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    background = PALETTE[color % len(PALETTE)]
    img = PILImage.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    width, height = size
    draw.rectangle([0, height - height // 6, width, height], fill=tuple(max(0, c - 40) for c in background))
    draw.text((width // 16, height // 8), _drawable(title), fill="white", font=_font(max(24, width // 22)))
    for index, line in enumerate(lines):
        draw.text(
            (width // 16, height // 3 + index * (width // 18)),
            _drawable(line),
            fill="white",
            font=_font(max(18, width // 28)),
        )
    buffer = BytesIO()
    img.save(buffer, "PNG", optimize=True)
    image = Image(title=title, alt_text=alt_text, caption=caption, credit=credit)
    image.file = ContentFile(buffer.getvalue(), name=f"{title[:40]}.png")
    image.save()
    return image


def demo_pdf(title, lines=()):
    """Bytes of a one-page PDF made with Pillow, with ``title`` and ``lines`` on it."""
    page = PILImage.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, 1240, 180], fill=PALETTE[0])
    draw.text((80, 60), "International Organization for Migration", fill="white", font=_font(40))
    draw.text((80, 260), _drawable(title), fill="black", font=_font(44))
    for index, line in enumerate(lines):
        draw.text((80, 380 + index * 50), _drawable(line), fill=(40, 40, 40), font=_font(30))
    buffer = BytesIO()
    page.save(buffer, "PDF", resolution=150.0)
    return buffer.getvalue()


def demo_document(title, lines=(), language="en"):
    """A PDF Document in the library, once per title."""
    from iomsite.models import Document

    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, language=language)
    document.file = ContentFile(demo_pdf(title, lines), name=f"{title[:50]}.pdf")
    document.save()
    return document


def publish_fields():
    return {"status": Status.PUBLISHED, "publish_at": timezone.make_aware(timezone.datetime(2020, 1, 1))}


PAGES = [
    (
        "contact-us",
        "Contact Us",
        "How to reach the organisation's headquarters in Geneva and its offices around the world.",
        "<p>Our headquarters are in Grand-Saconnex, near Geneva, Switzerland. The switchboard "
        "answers on +41 22 717 9111 during Geneva office hours.</p>"
        "<h2>Administrative centres</h2><p>Two administrative centres, in Manila and in Panama, "
        "support offices across the world.</p>"
        "<h2>Country offices</h2><p>Every country office is listed on the Countries and Offices page, "
        "with its address and phone number.</p>",
    ),
    (
        "terms-and-conditions",
        "Terms and Conditions",
        "The terms that apply when you use this website and its content.",
        "<p>Content on this website may be reproduced for non-commercial purposes with credit to the "
        "organisation, unless a page says otherwise. Photographs keep the rights of their authors.</p>"
        "<p>Links to other websites are offered for convenience; we do not control their content.</p>",
    ),
    (
        "report-abuse",
        "Report Abuse, Fraud or Misconduct",
        "How to tell us, safely and in confidence, about abuse, fraud or misconduct.",
        "<p>Anyone can report suspected fraud, corruption, sexual exploitation and abuse, or other "
        "misconduct by staff, contractors or partners. Reports are handled in confidence.</p>"
        "<ul><li>Say what happened, where and when.</li><li>Name the people involved if you can."
        "</li><li>Give a way to contact you, or report anonymously.</li></ul>",
    ),
    (
        "scam-alert",
        "Scam Alert",
        "Recruitment and visa offers made in our name are often fraudulent.",
        "<p>We never ask for money to process a job application, a visa or a travel document. "
        "Offers that do are scams, even when they carry our name or logo.</p>"
        "<p>If you receive such an offer, do not pay, and report it to the nearest office.</p>",
    ),
    (
        "governing-bodies",
        "Governing Bodies",
        "The Council and the Standing Committee on Programmes and Finance guide the organisation.",
        "<p>Member States meet in the Council, the organisation's highest authority, which decides "
        "on policy, programmes and budget. The Standing Committee on Programmes and Finance prepares "
        "its work.</p>",
    ),
    (
        "support-syria",
        "Support Syria",
        "How the organisation helps people displaced by the crisis in Syria, and how you can help.",
        "<p>Millions of Syrians have been displaced inside the country and across the region. Our "
        "teams provide shelter, health care and support to people on the move and the communities "
        "that host them.</p>",
    ),
    (
        "find-a-way",
        "Find A Way",
        "Information for migrants looking for safe and regular ways to move, work or study abroad.",
        "<p>Before you travel, check the rules of the country you want to reach, and use only "
        "recognised recruitment agencies and official visa channels.</p>",
    ),
    (
        "covid-19",
        "Covid-19",
        "How the pandemic affected migrants, and how the organisation responded.",
        "<p>Border closures and lockdowns left many migrants stranded, without work or access to "
        "health care. We supported governments to include migrants in their health responses.</p>",
    ),
]

# French and Spanish titles of the site chrome (issue 9 demo); English is the source.
CHROME_TRANSLATIONS = {
    "Support Syria": ("Soutenir la Syrie", "Apoyo a Siria"),
    "Find A Way": ("Trouver une voie", "Encontrar un camino"),
    "Covid-19": ("Covid-19", "COVID-19"),
    "Contact Us": ("Nous contacter", "Contacto"),
    "Report Abuse": ("Signaler un abus", "Denunciar abusos"),
    "Scam Alert": ("Alerte aux escroqueries", "Alerta de estafas"),
    "Terms and Conditions": ("Conditions d’utilisation", "Términos y condiciones"),
    "Governing Bodies": ("Organes directeurs", "Órganos rectores"),
}

MENUS = {
    Menu.UTILITY: [
        ("Support Syria", "page:support-syria"),
        ("Find A Way", "page:find-a-way"),
        ("Covid-19", "page:covid-19"),
    ],
    Menu.FOOTER: [
        ("Contact Us", "page:contact-us"),
        ("Report Abuse", "page:report-abuse"),
        ("Scam Alert", "page:scam-alert"),
        ("Terms and Conditions", "page:terms-and-conditions"),
    ],
    Menu.STRUCTURE: [("Governing Bodies", "page:governing-bodies")],
}


def menu_link(menu, title, url="", page=None, after=None, **translations):
    """Create or update the top-level item ``title`` of ``menu``, linking ``url`` or ``page``.

    ``title`` may be lazily translated: its French and Spanish come from the catalogues
    unless given (``title_fr``, ``title_es``). A new item goes at the end of its menu, or
    just after the item titled ``after``.
    """
    english = str(title)
    for code in ("fr", "es"):
        if f"title_{code}" not in translations:
            with translation.override(code):
                translations[f"title_{code}"] = str(title) if str(title) != english else ""
    item = MenuItem.objects.filter(menu=menu, title_en=english, parent=None).first()
    created = item is None
    item = item or MenuItem(menu=menu, title=english)
    item.url, item.page, item.is_active = url, page, True
    for key, value in translations.items():
        setattr(item, key, value)
    item.save()
    neighbour = MenuItem.objects.filter(menu=menu, title_en=after, parent=None).first() if after else None
    if created and neighbour is not None:
        item.move_to(neighbour, "right")
    return item


def load(stdout):
    settings = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    settings.name = "International Organization for Migration"
    settings.short_name = "IOM"
    settings.tagline = "Working for safe, orderly and dignified migration that benefits migrants and societies."
    settings.address = "17 Route des Morillons\n1218 Grand-Saconnex\nSwitzerland"
    settings.phone = "+41 22 717 9111"
    settings.email = "hq@example.org"
    settings.copyright_holder = "International Organization for Migration"
    settings.twitter_url = "https://x.com/UNmigration"
    settings.facebook_url = "https://www.facebook.com/IOM"
    settings.youtube_url = "https://www.youtube.com/user/IOMmigration"
    settings.name_fr = "Organisation internationale pour les migrations"
    settings.name_es = "Organización Internacional para las Migraciones"
    settings.tagline_fr = "Pour des migrations sûres, ordonnées et dignes, au bénéfice des migrants et des sociétés."
    settings.tagline_es = (
        "Por una migración segura, ordenada y digna, en beneficio de los migrantes y de las sociedades."
    )
    settings.address_fr = "17 Route des Morillons\n1218 Grand-Saconnex\nSuisse"
    settings.address_es = "17 Route des Morillons\n1218 Grand-Saconnex\nSuiza"
    settings.save()

    pages = {}
    for slug, title, summary, body in PAGES:
        pages[slug], _created = Page.objects.update_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "body": body, **publish_fields()}
        )

    for app in content_apps():  # the main menu: one entry per content app, in INSTALLED_APPS order
        if app.url_prefix and app.title:
            menu_link(Menu.HEADER, app.title, f"/{app.url_prefix}/")
    for menu, entries in MENUS.items():
        for title, target in entries:
            french, spanish = CHROME_TRANSLATIONS.get(title, ("", ""))
            if target.startswith("page:"):
                menu_link(menu, title, page=pages[target[5:]], title_fr=french, title_es=spanish)
            else:
                menu_link(menu, title, target, title_fr=french, title_es=spanish)

    demo_image(
        "Migration in numbers",
        "A blue panel headed Migration in numbers.",
        caption="An illustration generated for the demo site.",
        credit="© IOM demo",
        lines=("Offices in more than 100 countries",),
    )
    stdout.write(f"  site: {Page.objects.count()} pages, {MenuItem.objects.count()} menu items")
