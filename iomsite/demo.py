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

PALETTE = [(0, 51, 160), (0, 110, 122), (176, 72, 8), (88, 44, 110), (18, 100, 56)]
YELLOW = (255, 191, 71)
INK = (27, 31, 41)


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size, bold=False):
    try:
        # DejaVu has the accented letters of French and Spanish (CI installs fonts-dejavu-core).
        return ImageFont.truetype(DEJAVU_BOLD if bold else DEJAVU, size)
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


def _wrap(text, font, width):
    """Words in lines no wider than ``width``; a word too long on its own is cut between letters."""
    lines, line = [], ""
    for word in _drawable(text).split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def _fitted(text, width, max_lines, sizes, bold=True):
    """The largest font of ``sizes`` whose wrapped text fits ``max_lines``: (font, lines); never clipped."""
    for size in sizes:
        font = _font(size, bold)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    return font, lines  # the smallest size, on as many lines as it takes


def _tint(color, amount):
    """``color`` moved towards white (amount > 0) or black (amount < 0)."""
    if amount >= 0:
        return tuple(round(c + (255 - c) * amount) for c in color)
    return tuple(round(c * (1 + amount)) for c in color)


def _text_block(draw, xy, lines, font, fill, leading=1.18):
    x, y = xy
    step = round(font.size * leading)
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += step
    return y


def _globe(draw, centre, radius, color, width):
    """The emblem's globe: an outline, two meridians, two parallels."""
    cx, cy = centre
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=color, width=width)
    for squeeze in (0.45,):
        draw.ellipse(
            [cx - radius * squeeze, cy - radius, cx + radius * squeeze, cy + radius], outline=color, width=width
        )
    for offset in (-0.36, 0.36):
        half = radius * (1 - offset**2) ** 0.5
        y = cy + radius * offset
        draw.line([cx - half, y, cx + half, y], fill=color, width=width)


def _mark(draw, xy, scale, color=(255, 255, 255)):
    """Our emblem (globe and a rising yellow path) and the short name beside it."""
    x, y = xy
    radius = round(30 * scale)
    _globe(draw, (x + radius, y + radius), radius, color, max(2, round(4 * scale)))
    draw.line(
        [x + radius * 0.35, y + radius * 1.5, x + radius * 1.1, y + radius * 1.0, x + radius * 1.75, y + radius * 0.8],
        fill=YELLOW,
        width=max(3, round(6 * scale)),
        joint="curve",
    )
    draw.text(
        (x + radius * 2 + round(16 * scale), y + radius * 0.35), "IOM", font=_font(round(40 * scale), True), fill=color
    )


def _save(img, title, alt_text, caption="", credit=""):
    buffer = BytesIO()
    img.save(buffer, "PNG", optimize=True)
    image = Image(title=title, alt_text=alt_text, caption=caption, credit=credit)
    image.file = ContentFile(buffer.getvalue(), name=f"{title[:40]}.png")
    image.save()
    return image


def demo_image(title, alt_text, *, caption="", credit="", heading=None, lines=(), size=(1600, 900), color=0):
    """A banner made with Pillow, once per library title: our globe pattern on a colour field,
    ``heading`` (by default nothing: a page shows its own title beside the image) and ``lines``
    in real type, wrapped and fitted so nothing is ever cut off."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = size
    background = PALETTE[color % len(PALETTE)]
    img = PILImage.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    unit = min(width, height) / 100
    _globe(draw, (width * 0.78, height * 0.62), height * 0.62, _tint(background, 0.16), max(2, round(unit * 0.9)))
    _globe(draw, (width * 0.78, height * 0.62), height * 0.36, _tint(background, 0.1), max(2, round(unit * 0.6)))
    draw.arc(
        [width * 0.08, height * 0.6, width * 1.4, height * 2.3], 200, 292, fill=YELLOW, width=max(3, round(unit * 1.6))
    )
    margin = round(width * 0.06)
    y = round(height * 0.12)
    if heading:
        font, wrapped = _fitted(heading, width * 0.6, 3, [round(unit * s) for s in (11, 9, 8, 7, 6)])
        y = _text_block(draw, (margin, y), wrapped, font, "white") + round(unit * 3)
    for line in lines:
        font, wrapped = _fitted(line, width * 0.6, 2, [round(unit * s) for s in (6, 5, 4)], bold=False)
        y = _text_block(draw, (margin, y), wrapped, font, "white") + round(unit * 2)
    return _save(img, title, alt_text, caption, credit)


def demo_cover(title, alt_text, *, heading, series="", edition="", year="", credit="", color=0):
    """A publication cover made with Pillow (1200 × 1600), once per library title: the series, the
    title, the edition and the year laid out in real type, fitted to the page, never cut off."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 1200, 1600
    background = PALETTE[color % len(PALETTE)]
    img = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(img)
    band = 1330
    _globe(draw, (930, 1040), 560, _tint(background, 0.14), 10)
    _globe(draw, (930, 1040), 330, _tint(background, 0.08), 7)
    draw.arc([-300, 1120, 1700, 2900], 200, 292, fill=YELLOW, width=22)
    draw.rectangle([0, band, width, height], fill=_tint(background, -0.35))
    margin = 96
    _mark(draw, (margin, 88), 1.6)
    draw.rectangle([margin, 300, margin + 180, 314], fill=YELLOW)
    y = 360
    if series:
        font, wrapped = _fitted(series, width - 2 * margin, 2, (48, 42, 36), bold=False)
        y = _text_block(draw, (margin, y), wrapped, font, _tint(background, 0.75)) + 36
    font, wrapped = _fitted(heading, width - 2 * margin, 5, (124, 108, 96, 84, 72, 64, 56))
    _text_block(draw, (margin, y), wrapped, font, "white", leading=1.12)
    if edition:
        font, wrapped = _fitted(edition, 560, 2, (46, 40, 34), bold=False)
        _text_block(draw, (margin, band + 90), wrapped, font, "white")
    if year:
        font = _font(120, True)
        draw.text((width - margin, band + 135), str(year), font=font, fill="white", anchor="rm")
    return _save(img, title, alt_text, credit=credit)


def demo_infographic(title, alt_text, *, heading, facts, bars=False, caption="", credit="", color=0):
    """An infographic drawn from its facts with Pillow (1600 × 900), once per library title.

    ``facts`` are ``(value, shown, label)``: big numbers side by side, or with ``bars`` one
    horizontal bar a fact, as long as its value, with the number at the bar's end.
    """
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 1600, 900
    accent = PALETTE[color % len(PALETTE)]
    img = PILImage.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    margin = 90
    draw.rectangle([0, 0, width, 18], fill=accent)
    font, wrapped = _fitted(heading, width - 2 * margin - 200, 2, (64, 56, 48))
    y = _text_block(draw, (margin, 70), wrapped, font, INK) + 40
    _mark(draw, (width - margin - 170, 64), 0.9, color=accent)
    draw.line([margin, y, width - margin, y], fill=_tint(accent, 0.6), width=3)
    y += 50
    if bars:
        top = max(value for value, _shown, _label in facts)
        row = (height - y - 60) / len(facts)
        label_font, value_font = _font(round(min(40, row * 0.3))), _font(round(min(52, row * 0.36)), True)
        for index, (value, shown, label) in enumerate(facts):
            ry = y + index * row
            draw.text((margin, ry), _drawable(label), font=label_font, fill=INK)
            bar_top = ry + label_font.size * 1.3
            length = max(8, (width - 2 * margin - 360) * value / top)
            draw.rectangle([margin, bar_top, margin + length, bar_top + row * 0.38], fill=accent)
            draw.text((margin + length + 24, bar_top + row * 0.19), shown, font=value_font, fill=INK, anchor="lm")
    else:
        column = (width - 2 * margin) / len(facts)
        y += round((height - y - 420) / 2)  # the numbers sit in the middle of the space left
        number_sizes = (150, 130, 110, 96, 84, 72)
        for index, (_value, shown, label) in enumerate(facts):
            x = margin + index * column
            draw.rectangle([x, y, x + 90, y + 12], fill=accent)
            font, _lines = _fitted(shown, column - 50, 1, number_sizes)
            draw.text((x, y + 40), shown, font=font, fill=accent)
            label_font, lines = _fitted(label, column - 50, 3, (50, 44, 40, 36), bold=False)
            _text_block(draw, (x, y + 60 + font.size * 1.15), lines, label_font, INK)
    return _save(img, title, alt_text, caption, credit)


# The body text of the demo PDFs, in our own words; each chapter draws its sections from it.
PDF_TEXT = {
    "en": {
        "organisation": "International Organization for Migration",
        "contents": "Contents",
        "sections": ("Key points", "Background", "What the evidence shows", "Looking ahead"),
        "paragraphs": (
            "Migration is as old as humanity, yet it is often discussed as if it were new. Most people who move "
            "across borders do so safely, for work, study or family, and most stay in their own region. A "
            "smaller number are forced to leave by conflict, persecution or disaster, and they need protection "
            "that no single country can offer alone.",
            "Reliable figures are the starting point of good policy. Counting migrants is harder than it seems: "
            "countries define a migrant differently, censuses are taken every ten years, and people who move "
            "irregularly are by definition hard to see. Estimates should therefore be read with their sources "
            "and their years.",
            "Money sent home by migrant workers is one of the largest flows of finance to low- and middle-income "
            "countries. It pays for school fees, medicine and housing, and it reaches families directly. Lowering "
            "the cost of sending it is one of the simplest ways to make migration work better for development.",
            "Fair recruitment protects workers before they ever leave home. When workers pay fees to get a job "
            "abroad they start their contract in debt, which makes them vulnerable to abuse. The principle that "
            "the employer pays, not the worker, is now accepted by a growing number of businesses and "
            "governments.",
            "Crises abroad put migrants at particular risk. Those who are caught in a conflict or a natural "
            "disaster in a country that is not their own may not speak the language, may lack documents and may "
            "be left out of evacuation plans. Preparing for them in advance saves lives.",
            "Public debate on migration is shaped by what people see in the media and hear from those they trust. "
            "Accurate, balanced reporting, which gives migrants a voice of their own, helps societies discuss "
            "choices calmly and on the basis of facts.",
            "Cooperation between states is indispensable. Migration links countries of origin, transit and "
            "destination, and no one of them can manage it alone. Regional dialogues, bilateral agreements "
            "and global frameworks each have a part to play.",
            "Integration is a two-way process. Newcomers learn a language, find work and take part in the life of "
            "their community; the community, in turn, opens its schools, services and workplaces to them. Both "
            "gain when the process starts early.",
        ),
    },
    "fr": {
        "organisation": "Organisation internationale pour les migrations",
        "contents": "Table des matières",
        "sections": ("Points essentiels", "Contexte", "Ce que montrent les données", "Perspectives"),
        "paragraphs": (
            "La migration est aussi ancienne que l'humanité, mais on en parle souvent comme d'un phénomène "
            "nouveau. La plupart des personnes qui franchissent une frontière le font en sécurité, pour "
            "travailler, étudier ou rejoindre leur famille, et la plupart restent dans leur région.",
            "Des chiffres fiables sont le point de départ de bonnes politiques. Compter les migrants est plus "
            "difficile qu'il n'y paraît : les pays ne définissent pas le migrant de la même façon et les "
            "recensements n'ont lieu que tous les dix ans.",
            "L'argent envoyé par les travailleurs migrants à leur famille est l'un des plus grands flux "
            "financiers vers les pays à revenu faible ou intermédiaire. Il paie les frais de scolarité, les "
            "médicaments et le logement.",
            "Le recrutement équitable protège les travailleurs avant même leur départ. Lorsqu'un travailleur paie "
            "pour obtenir un emploi à l'étranger, il commence son contrat endetté. C'est à l'employeur de payer, "
            "non au travailleur.",
            "La coopération entre États est indispensable. La migration relie pays d'origine, de transit et de "
            "destination, et aucun d'eux ne peut la gérer seul.",
        ),
    },
    "es": {
        "organisation": "Organización Internacional para las Migraciones",
        "contents": "Índice",
        "sections": ("Puntos clave", "Contexto", "Lo que muestran los datos", "Perspectivas"),
        "paragraphs": (
            "La migración es tan antigua como la humanidad, aunque a menudo se habla de ella como si fuera nueva. "
            "La mayoría de las personas que cruzan una frontera lo hacen de forma segura, para trabajar, estudiar "
            "o reunirse con su familia.",
            "Las cifras fiables son el punto de partida de una buena política. Contar a los migrantes es más "
            "difícil de lo que parece: cada país define al migrante a su manera y los censos se hacen cada diez "
            "años.",
            "El dinero que los trabajadores migrantes envían a sus familias es uno de los mayores flujos "
            "financieros hacia los países de ingresos bajos y medianos. Paga la escuela, las medicinas y la "
            "vivienda.",
            "La contratación equitativa protege a los trabajadores antes de que salgan de su país. Quien paga por "
            "conseguir un empleo en el extranjero empieza su contrato endeudado. Debe pagar el empleador, no el "
            "trabajador.",
            "La cooperación entre Estados es indispensable. La migración une a los países de origen, tránsito y "
            "destino, y ninguno puede gestionarla solo.",
        ),
    },
}


def demo_pdf(title, lines=(), language="en", chapters=None):
    """Bytes of a tagged-language PDF with real, selectable text, made with fpdf2.

    A title page (``title`` and ``lines``), a contents page, then each chapter of ``chapters``
    (``[(heading, summary)]``; by default one chapter named after the document) over several
    pages, with its sections. Headings are bookmarks (the outline), the document language is
    set (``/Lang``), and the text can be searched, copied and read aloud.
    """
    from fpdf import FPDF

    text = PDF_TEXT.get(language, PDF_TEXT["en"])
    pdf = FPDF(format="A4")
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_author(text["organisation"])
    pdf.set_creator("iomsite demo")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(22, 22, 22)
    family = _pdf_fonts(pdf)
    clean = _latin

    pdf.add_page()
    pdf.set_fill_color(*PALETTE[0])
    pdf.rect(0, 0, 210, 40, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(family, "B", 16)
    pdf.set_xy(22, 15)
    pdf.cell(0, 10, clean(text["organisation"]))
    pdf.set_text_color(*INK)
    pdf.set_xy(22, 70)
    pdf.set_font(family, "B", 24)
    pdf.multi_cell(0, 11, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 14)
    for line in lines:
        pdf.multi_cell(0, 8, clean(str(line)), new_x="LMARGIN", new_y="NEXT")

    chapters = list(chapters or [(title, " ".join(str(line) for line in lines))])
    pdf.add_page()
    pdf.start_section(clean(text["contents"]), level=0)
    pdf.set_font(family, "B", 18)
    pdf.cell(0, 12, clean(text["contents"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    for heading, _summary in chapters:
        pdf.multi_cell(0, 7, clean(heading), new_x="LMARGIN", new_y="NEXT")
    paragraphs = text["paragraphs"]
    for number, (heading, summary) in enumerate(chapters):
        pdf.add_page()
        pdf.start_section(clean(heading), level=0)
        pdf.set_font(family, "B", 18)
        pdf.multi_cell(0, 9, clean(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        if summary:
            pdf.set_font(family, "I", 12)
            pdf.multi_cell(0, 7, clean(summary), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        for index, section in enumerate(text["sections"]):
            pdf.start_section(clean(section), level=1)
            pdf.set_font(family, "B", 14)
            pdf.multi_cell(0, 8, clean(section), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 12)
            for offset in range(3):
                paragraph = paragraphs[(number + index * 3 + offset) % len(paragraphs)]
                pdf.multi_cell(0, 7, clean(paragraph), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
    return bytes(pdf.output())


def _pdf_fonts(pdf):
    """The PDF core font in Windows-1252: every letter of English, French and Spanish, nothing to embed
    (an embedded TrueType font costs a second per document to subset)."""
    pdf.core_fonts_encoding = "windows-1252"
    return "Helvetica"


def _latin(value):
    """What Windows-1252 cannot encode is replaced, never an error."""
    return value.encode("windows-1252", "replace").decode("windows-1252")


def demo_document(title, lines=(), language="en", chapters=None):
    """A PDF Document in the library, once per title (see ``demo_pdf``)."""
    from iomsite.models import Document

    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, language=language)
    document.file = ContentFile(demo_pdf(title, lines, language, chapters), name=f"{title[:50]}.pdf")
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
        "</li><li>Give a way to contact you, or report anonymously.</li></ul>"
        '<p><a href="/en/report-abuse/form/">Send a report with our form</a>: only the staff who handle reports '
        "read it, and you receive a confirmation if you give an e-mail address.</p>",
    ),
    (
        "privacy",
        "Privacy and Personal Data",
        "What personal data the website keeps, why, for how long, and how to have it removed.",
        "<p>We keep only what a service needs. For the newsletter that is your e-mail address, the language "
        "and topics you chose, and when you confirmed; for a report of abuse, what you tell us in the form.</p>"
        "<h2>What we do with it</h2><p>Your address is used only to send you the newsletter you asked for. "
        "It is never sold or shared for marketing. Reports are read only by the staff who handle them.</p>"
        "<h2>How long we keep it</h2><p>Unconfirmed sign-ups are deleted after a few days; your address is "
        "deleted when you unsubscribe, with the link in every newsletter.</p>"
        "<h2>Your rights</h2><p>You may ask to see, correct or delete your data at any time by writing to "
        "the data protection office at our headquarters.</p>",
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
    "Privacy and Personal Data": ("Protection des données", "Aviso de privacidad"),
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
        ("Privacy and Personal Data", "page:privacy"),
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

    demo_infographic(
        "Migration in numbers",
        "Infographic: offices in more than 100 countries.",
        heading="Migration in numbers",
        facts=[(100, "100+", "countries with an IOM office")],
        caption="An illustration generated for the demo site.",
        credit="© IOM demo",
    )
    stdout.write(f"  site: {Page.objects.count()} pages, {MenuItem.objects.count()} menu items")


# Keeping what editors changed ------------------------------------------------------------

_keeping = {"on": False, "created": set()}


def keeping():
    """Whether the demo is being loaded over existing content, which it must leave as it is."""
    return _keeping["on"]


def _key(obj):
    return (obj._meta.concrete_model, obj.pk)


def _existed(obj):
    """Whether ``obj`` was in the database before this load (not created by it)."""
    if obj.pk is None or _key(obj) in _keeping["created"]:
        return False
    return type(obj)._base_manager.filter(pk=obj.pk).exists()


def _guarded_save(model, original):
    def save(self, *args, **kwargs):
        if _existed(self):
            # Stored content wins: the loader goes on with what is there (an editor's title, slug, place).
            self.refresh_from_db()
            return None
        result = original(self, *args, **kwargs)
        _keeping["created"].add(_key(self))
        return result

    save.__wrapped__ = original
    return save


def _keep_links(sender, instance, action, pk_set=None, **kwargs):
    """Links of an object that existed before the load are the editor's: no link added or removed."""
    guarded = isinstance(instance, tuple(_keeping["models"]))
    if action in ("pre_add", "pre_remove") and pk_set and guarded and _existed(instance):
        pk_set.clear()


class keep_existing:
    """While the demo loads, rows already in the database are left as they are.

    ``load_demo_content`` (and so ``make run``) only adds what is missing: a demo item an
    editor changed, moved or unlinked stays changed. A model's ``save()`` of a row that was
    there before does nothing (the object is read back instead), and the many-to-many links of
    such a row are neither added to nor removed. Rows the load itself creates are written
    normally. Loaders that replace rows wholesale ask ``keeping()`` first.
    ``load_demo_content --reset`` runs without this guard and puts the demo back.
    """

    def __init__(self, models):
        self.models = list(models)

    def __enter__(self):
        from django.db.models.signals import m2m_changed

        _keeping.update(on=True, created=set(), models=self.models, saved={})
        for model in self.models:
            _keeping["saved"][model] = model.__dict__.get("save")
            model.save = _guarded_save(model, model.save)
        m2m_changed.connect(_keep_links, dispatch_uid="iomsite-demo-keep-links")
        return self

    def __exit__(self, *exc):
        from django.db.models.signals import m2m_changed

        m2m_changed.disconnect(dispatch_uid="iomsite-demo-keep-links")
        for model, own in _keeping["saved"].items():
            if own is None:
                del model.save
            else:
                model.save = own
        _keeping.update(on=False, created=set(), models=[], saved={})
        return False
