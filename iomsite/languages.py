"""What is really translated: per item and language, translated, partly translated, missing or stale.

Content fields are translated with django-modeltranslation (``<app>/translation.py``):
``title_fr`` empty means a French reader gets the English ``title``. This module says,
for any declared content object (``iomsite.content``) and language:

- **missing**: none of its text is translated; the page is English under ``/fr/``;
- **partial**: some fields are, others fall back to English;
- **translated**: every field with English text has its translation;
- **stale**: translated (wholly or partly), but the English text changed after the
  translation was last saved.

Readers' questions (``is_translated``, ``state_of``, ``translated_languages``) are
answered from the object's own fields, with no query. Staleness needs history: a
``TranslationStatus`` row per object and language keeps a hash of the English text as
it was when that language's text last changed; ``record()`` maintains the rows on every
save of a translated content model (connected in ``IomsiteConfig.ready()``) and
``rebuild()`` fills them for content saved in bulk. See docs/decisions/024-languages.md.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import get_language

from iomsite import content

TRANSLATED, PARTIAL, MISSING, STALE = "translated", "partial", "missing", "stale"
DEFAULT = settings.LANGUAGE_CODE


def other_languages():
    """The languages content is translated into (not the default)."""
    return [code for code, _name in settings.LANGUAGES if code != DEFAULT]


def _suffix(code):
    return code.replace("-", "_")


def translated_fields(model):
    """The editable text fields of ``model`` translated by modeltranslation (``()`` when none).

    Derived copies (``body_text``, stored from ``body`` at save) are left out: they follow
    their source.
    """
    from modeltranslation.translator import NotRegistered, translator

    if not isinstance(model, type):
        model = type(model)
    try:
        names = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(name for name in names if model._meta.get_field(name).editable)


def _value(obj, field, code):
    value = getattr(obj, f"{field}_{_suffix(code)}", None)
    return value.strip() if isinstance(value, str) else value


def _source(obj, fields):
    return {field: _value(obj, field, DEFAULT) for field in fields if _value(obj, field, DEFAULT)}


def source_language(obj):
    """The language of ``obj``'s untranslated text: English, unless the object says otherwise.

    An object written in another language (a publication's French edition) names it in a
    ``text_language`` attribute: its fields hold French text, and French readers have it all.
    """
    code = getattr(obj, "text_language", None)
    return code if code in dict(settings.LANGUAGES) else DEFAULT


def field_language(obj, field, code=None):
    """The language the reader of ``code`` (default: the active one) actually gets ``obj.field`` in."""
    code = code or get_language() or DEFAULT
    source = source_language(obj)
    if code in (DEFAULT, source) or not _value(obj, field, code):
        return source
    return code


def state_of(obj, code=None):
    """``translated``, ``partial`` or ``missing`` for the reader of ``code``, from the fields alone (no query).

    An object with no translated fields, or read in the default language, is ``translated``.
    """
    code = code or get_language() or DEFAULT
    if code in (DEFAULT, source_language(obj)):
        return TRANSLATED
    fields = [field for field in translated_fields(obj) if _value(obj, field, DEFAULT)]
    if not fields:
        return TRANSLATED
    done = sum(1 for field in fields if _value(obj, field, code))
    if done == 0:
        return MISSING
    return TRANSLATED if done == len(fields) else PARTIAL


def is_translated(obj, code=None):
    """True when a reader of ``code`` gets ``obj`` in that language, at least in part.

    What ``hreflang``, the sitemap's alternates and the canonical address list; a
    ``missing`` object is English under the language's address.
    """
    return state_of(obj, code) != MISSING


def translated_languages(obj):
    """The language codes in which ``obj`` really exists (the default always)."""
    return [code for code, _name in settings.LANGUAGES if is_translated(obj, code)]


def _digest(values):
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def tracked(model):
    """Whether ``model`` gets status rows: a declared content model with translated fields."""
    return content.get(model) is not None and bool(translated_fields(model))


def tracked_models():
    return [item.model for item in content.content_models() if translated_fields(item.model)]


def record(obj, now=None):
    """Bring the status rows of ``obj`` up to date after a save (two queries).

    A language's row keeps the hash of the English text as it was when that language's
    text last changed (``source_hash``), and of the language's own text
    (``translation_hash``). When the English text differs from ``source_hash`` the
    translation is stale, until someone saves that language's text again.
    """
    from iomsite.models import TranslationStatus

    now = now or timezone.now()
    fields = translated_fields(obj)
    source = _source(obj, fields)
    source_hash = _digest(source)
    content_type = ContentType.objects.get_for_model(type(obj), for_concrete_model=True)
    rows = {row.language: row for row in TranslationStatus.objects.filter(content_type=content_type, object_id=obj.pk)}
    changed = []
    for code in other_languages():
        text = {field: _value(obj, field, code) for field in fields if _value(obj, field, code)}
        translation_hash = _digest(text)
        row = rows.get(code) or TranslationStatus(content_type=content_type, object_id=obj.pk, language=code)
        before = (row.state, row.source_hash, row.translation_hash, row.translated_at, row.source_changed_at)
        if row.pk is None or row.translation_hash != translation_hash:
            row.translation_hash = translation_hash
            row.source_hash = source_hash
            row.translated_at = now if text else None
        if row.source_hash != source_hash and row.source_changed_at is None:
            row.source_changed_at = now  # the first English change the translation has not followed
        elif row.source_hash == source_hash:
            row.source_changed_at = None
        state = state_of(obj, code)
        if code == source_language(obj):
            row.state, row.source_changed_at = TRANSLATED, None  # written in this language
        else:
            row.state = STALE if state != MISSING and row.source_hash != source_hash else state
        if row.pk is None or before != (
            row.state,
            row.source_hash,
            row.translation_hash,
            row.translated_at,
            row.source_changed_at,
        ):
            row.updated_at = now
            changed.append(row)
    for row in changed:
        if row.pk is not None:  # an update, not save(): status rows are not content (no cache retired)
            TranslationStatus.objects.filter(pk=row.pk).update(
                **{name: getattr(row, name) for name in _ROW_FIELDS}, updated_at=row.updated_at
            )
    new = [row for row in changed if row.pk is None]
    if new:
        TranslationStatus.objects.bulk_create(new)
    return changed


_ROW_FIELDS = ("state", "source_hash", "translation_hash", "translated_at", "source_changed_at")


def statuses(obj):
    """``{language: TranslationStatus}`` of ``obj`` (one query)."""
    from iomsite.models import TranslationStatus

    content_type = ContentType.objects.get_for_model(type(obj), for_concrete_model=True)
    return {row.language: row for row in TranslationStatus.objects.filter(content_type=content_type, object_id=obj.pk)}


def rebuild(stdout=None):
    """Status rows for every object of every tracked model (after bulk loads); returns how many objects."""
    total = 0
    for model in tracked_models():
        count = 0
        for obj in model._default_manager.iterator(chunk_size=500):
            record(obj)
            count += 1
        total += count
        if stdout:
            stdout.write(f"  {model._meta.label}: {count}")
    return total


def on_save(sender, instance, raw=False, **kwargs):
    if raw or not tracked(sender):
        return
    record(instance)


def on_delete(sender, instance, **kwargs):
    if not tracked(sender):
        return
    from iomsite.models import TranslationStatus

    content_type = ContentType.objects.get_for_model(sender, for_concrete_model=True)
    TranslationStatus.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def connect():
    from django.db.models.signals import post_delete

    post_save.connect(on_save, dispatch_uid="translation-status-save")
    post_delete.connect(on_delete, dispatch_uid="translation-status-delete")
