"""Shared parts of ``manage.py generate_content``: deterministic text, the media set, bulk writes.

Generated rows carry a ``gen-`` slug (or title, for images and documents), and every
generated item is derived from its kind and its index alone: item 42 of a kind gets
the same slug, text and place whatever the scale and however many runs it took to get
there. So a run counts what exists and creates only the missing indexes (idempotent at
one scale, a top-up at a larger one), and two benchmark databases at different scales
hold the same pages plus more.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import lorem_ipsum, timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from iomsite.demo import PALETTE, demo_pdf
from iomsite.models import Image, Menu, MenuItem, Page, SiteSettings, Status

PREFIX = "gen-"
BATCH = 1000
# Every generated item goes live at this moment (well in the past): no scheduled change bounds the page cache.
PUBLISHED_AT = timezone.make_aware(datetime(2020, 1, 1))

# Topics mixed into the lorem ipsum so that search finds what visitors type: (English, French, Spanish).
TOPICS = (
    ("Labour migration", "Migration de main-d'œuvre", "Migración laboral"),
    ("Migration and health", "Migration et santé", "Migración y salud"),
    ("Climate migration", "Migration climatique", "Migración climática"),
    ("Displacement", "Déplacement", "Desplazamiento"),
    ("Border management", "Gestion des frontières", "Gestión de fronteras"),
    ("Return and reintegration", "Retour et réintégration", "Retorno y reintegración"),
    ("Remittances", "Envois de fonds", "Remesas"),
    ("Counter-trafficking", "Lutte contre la traite", "Lucha contra la trata"),
    ("Migrant integration", "Intégration des migrants", "Integración de migrantes"),
    ("Diaspora engagement", "Mobilisation de la diaspora", "Participación de la diáspora"),
    ("Migration data", "Données migratoires", "Datos migratorios"),
    ("Resettlement", "Réinstallation", "Reasentamiento"),
    ("Ethical recruitment", "Recrutement éthique", "Contratación ética"),
    ("Emergency response", "Intervention d'urgence", "Respuesta de emergencia"),
    ("Migration governance", "Gouvernance des migrations", "Gobernanza de la migración"),
    ("Protection of migrants", "Protection des migrants", "Protección de los migrantes"),
)


def counted(base, scale):
    """How many items of a kind a scale asks for (``base`` at scale 1)."""
    return max(0, round(base * scale))


def generated_slugs(queryset):
    """The generated slugs already present in ``queryset``."""
    return set(queryset.filter(slug__startswith=PREFIX).values_list("slug", flat=True))


class Text:
    """Lorem ipsum (Django's vocabulary) with migration topics, from a seeded generator.

    ``Text("theme", 42)`` always writes the same words.
    """

    def __init__(self, *seed, translated=0.2):
        self.rng = random.Random(":".join(str(part) for part in seed))
        self.topic = self.rng.choice(TOPICS)
        self.is_translated = self.rng.random() < translated  # French and Spanish fields filled too

    def fields(self, field, method, *args, **kwargs):
        """``{field_en: …, field_fr: … or None, field_es: … or None}`` written by ``self.<method>``.

        ``text.fields("summary", "paragraph", 2)`` calls ``text.paragraph(2, language=…)`` per language.
        """
        make = getattr(self, method)
        values = {f"{field}_en": make(*args, language="en", **kwargs)}
        for language in ("fr", "es"):
            values[f"{field}_{language}"] = make(*args, language=language, **kwargs) if self.is_translated else None
        return values

    def words(self, count, language="en"):
        return " ".join(self.rng.choices(lorem_ipsum.WORDS, k=count))

    def name(self, count=2, language="en"):
        return " ".join(word.capitalize() for word in self.rng.choices(lorem_ipsum.WORDS, k=count))

    def title(self, extra=3, language="en", prefix=""):
        topic = self.topic[("en", "fr", "es").index(language)]
        return f"{prefix}{topic}: {self.words(extra)}"

    def sentence(self, language="en"):
        words = self.words(8 + int(self.rng.random() * 9))
        if self.rng.random() < 0.4:  # most pages of the organisation mention migration somewhere
            topic = self.topic[("en", "fr", "es").index(language)].lower()
            words = f"{words} {topic}"
        return words[0].upper() + words[1:] + "."

    def paragraph(self, sentences=4, language="en"):
        return " ".join(self.sentence(language) for _index in range(sentences))

    def summary(self, language="en"):
        return self.paragraph(2, language)

    def html(self, paragraphs=3, headings=True, language="en"):
        parts = []
        for index in range(paragraphs):
            if headings and index and index % 2 == 0:
                parts.append(f"<h2>{self.name(3)}</h2>")
            parts.append(f"<p>{self.paragraph(language=language)}</p>")
        return "".join(parts)

    def chance(self, probability):
        return self.rng.random() < probability


def publishing(index=0, draft_every=0):
    """Published in the past; every ``draft_every``-th item is a draft instead."""
    draft = bool(draft_every) and index % draft_every == draft_every - 1
    return {"status": Status.DRAFT if draft else Status.PUBLISHED, "publish_at": PUBLISHED_AT}


def bulk_create(model, objects, batch_size=BATCH):
    """``bulk_create`` in batches; the objects get their primary keys (PostgreSQL, SQLite ≥ 3.35)."""
    created = []
    for start in range(0, len(objects), batch_size):
        created += model.objects.bulk_create(objects[start : start + batch_size])
    return created


def insert_tree_nodes(model, nodes):
    """Bulk-insert new django-mptt nodes with their nested-set columns already right.

    Each node carries ``parent_node`` (a new node inserted with it), ``parent_row`` (an
    existing node as ``(pk, tree_id, level)``) or neither (a new root). New trees are
    numbered here, so they need no UPDATE at all; a tree that receives nodes under an
    existing node (a top-up) is rebuilt with ``partial_rebuild`` afterwards. Siblings keep
    the order of ``nodes``. Returns the number of trees rebuilt.
    """
    children, roots, attached = defaultdict(list), [], []
    for node in nodes:
        parent = getattr(node, "parent_node", None)
        if parent is not None:
            children[id(parent)].append(node)
        elif getattr(node, "parent_row", None) is not None:
            attached.append(node)
        else:
            roots.append(node)

    def number(node, left, level, tree_id):
        node.tree_id, node.level, node.lft = tree_id, level, left
        cursor = left + 1
        for child in children[id(node)]:
            cursor = number(child, cursor, level + 1, tree_id) + 1
        node.rght = cursor
        return cursor

    tree_id = next_tree_id(model)
    for root in roots:
        number(root, 1, 0, tree_id)
        tree_id += 1
    # Under an existing node: placeholders after every existing column value, in order, then a rebuild.
    cursor, touched = 10**9, set()
    for node in attached:
        _pk, parent_tree, parent_level = node.parent_row
        cursor = number(node, cursor, parent_level + 1, parent_tree) + 1
        touched.add(parent_tree)
    for level in sorted({node.level for node in nodes}):
        batch = [node for node in nodes if node.level == level]
        for node in batch:
            parent = getattr(node, "parent_node", None)
            row = getattr(node, "parent_row", None)
            node.parent_id = parent.pk if parent is not None else (row[0] if row else None)
        bulk_create(model, batch)
    for tree in sorted(touched):
        model._tree_manager.partial_rebuild(tree)
    return len(touched)


def next_tree_id(model):
    last = model._default_manager.order_by("-tree_id").values_list("tree_id", flat=True).first()
    return (last or 0) + 1


@dataclass
class Media:
    """A handful of small images and PDFs, made once and reused by every generated item."""

    images: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    def image(self, index):
        return self.images[index % len(self.images)]

    def document(self, index):
        return self.documents[index % len(self.documents)]


IMAGE_COUNT = 6
DOCUMENT_COUNT = 5


def media():
    """The generated images and documents (created on the first run)."""
    from iomsite.models import Document

    images = []
    for index in range(IMAGE_COUNT):
        title = f"{PREFIX}image-{index + 1}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(
                title=title,
                alt_text=f"A coloured panel with the number {index + 1}.",
                caption="A generated illustration.",
                credit="© IOM benchmark",
            )
            image.file = ContentFile(_png(index), name=f"{title}.png")
            image.save()
        images.append(image)
    documents = []
    for index in range(DOCUMENT_COUNT):
        title = f"{PREFIX}document-{index + 1}"
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title, language="en")
            document.file = ContentFile(demo_pdf(f"Generated document {index + 1}"), name=f"{title}.pdf")
            document.save()
        documents.append(document)
    return Media(images, documents)


def _png(index, size=(960, 540)):
    colour = PALETTE[index % len(PALETTE)]
    img = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, size[1] * 5 // 6, size[0], size[1]], fill=tuple(max(0, c - 40) for c in colour))
    draw.text((size[0] // 16, size[1] // 8), f"Generated image {index + 1}", fill="white")
    buffer = BytesIO()
    img.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@dataclass
class Context:
    """What every app's ``generate(context)`` receives."""

    scale: float
    media: Media
    stdout: object


PAGE_BASE = 20


def site_chrome(stdout):
    """Site settings and menus as the demo has them, if the database has none (an empty benchmark database)."""
    from iomsite import demo

    if not SiteSettings.objects.exists() or not MenuItem.objects.filter(menu=Menu.HEADER).exists():
        demo.load(stdout)


def generate(context):
    """Basic pages: ``gen-page-N``."""
    site_chrome(context.stdout)
    wanted = counted(PAGE_BASE, context.scale)
    existing = generated_slugs(Page.objects.all())
    pages = []
    for index in range(wanted):
        slug = f"{PREFIX}page-{index + 1}"
        if slug in existing:
            continue
        text = Text("page", index)
        page = Page(
            slug=slug,
            **text.fields("title", "title"),
            **text.fields("summary", "summary"),
            **text.fields("body", "html", 4),
            **publishing(index, draft_every=10),
        )
        pages.append(page)
    store_text(pages, "body", "body_text")
    bulk_create(Page, pages)
    return {"basic pages": len(pages)}


def store_text(objects, source, target):
    """What ``save()`` does with rich text: the plain copy per language (``store_plain_text``)."""
    from iomsite.richtext import store_plain_text

    for obj in objects:
        store_plain_text(obj, source, target)


def first_generated(queryset, what, **preferred):
    """The generated item a benchmark measures: the preferred one, else the first (for ``bench_pages``)."""
    from django.core.management.base import CommandError

    item = queryset.filter(**preferred).first() or queryset.first()
    if item is None:
        raise CommandError(f"No generated {what}: run manage.py generate_content first.")
    return item
