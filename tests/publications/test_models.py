from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from mptt.exceptions import InvalidMove

from iomsite.models import Status
from publications.models import Publication, TocEntry
from tests.iomsite.factories import make_document
from tests.publications.factories import CHAPTER, FRONT, PART, build_report, make_entry, make_publication

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0, 0))


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def reading(publication):
    return [e.slug for e in TocEntry.objects.filter(publication=publication).order_by("tree_id", "lft")]


# Publishing


def test_publication_form_validation_reports_a_bad_isbn():
    publication = Publication(title="X", slug="x", year=2018, isbn="978-92-9068-742-0")
    with pytest.raises(ValidationError) as error:
        publication.full_clean()
    assert "isbn" in error.value.message_dict


def test_two_publications_cannot_share_an_isbn_but_many_can_have_none():
    make_publication("a", isbn="0306406152")
    make_publication("b")
    make_publication("c")
    with pytest.raises(ValidationError):
        Publication(title="D", slug="d", year=2018, isbn="0306406152").full_clean()


def test_reserved_slug_and_edition_without_series_are_refused():
    with pytest.raises(ValidationError) as error:
        Publication(title="Feed", slug="feed", year=2018, edition=2).full_clean()
    assert {"slug", "edition"} <= set(error.value.message_dict)


# Table of contents


def test_table_of_contents_keeps_reading_order_across_parts():
    publication = make_publication()
    build_report(publication, (3, 6))
    assert reading(publication) == [
        "foreword",
        "chapter-1",
        "part-1",
        "chapter-2",
        "chapter-3",
        "chapter-4",
        "part-2",
        *[f"chapter-{n}" for n in range(5, 11)],
    ]


def test_a_reordered_entry_takes_its_new_place():
    publication = make_publication()
    entries = build_report(publication, (2,))
    TocEntry.objects.get(pk=entries["chapter-3"].pk).move_to(entries["chapter-2"], "left")
    assert reading(publication) == ["foreword", "chapter-1", "part-1", "chapter-3", "chapter-2"]


def test_two_publications_keep_separate_contents():
    first, second = make_publication(), make_publication()
    build_report(first, (2,))
    make_entry(second, "Only chapter", slug="only")
    make_entry(first, "Late chapter", slug="late")  # added after the other publication's entries
    assert reading(second) == ["only"]
    assert reading(first) == ["foreword", "chapter-1", "part-1", "chapter-2", "chapter-3", "late"]


def neighbours(entries, slug):
    entry = TocEntry.objects.get(pk=entries[slug].pk)
    previous, following = entry.previous_entry(), entry.next_entry()
    return (previous.slug if previous else None, following.slug if following else None)


def test_previous_and_next_at_the_edges_and_across_parts():
    publication = make_publication()
    entries = build_report(publication, (3, 6))
    assert neighbours(entries, "foreword") == (None, "chapter-1")  # front matter opens the report
    assert neighbours(entries, "chapter-1") == ("foreword", "chapter-2")  # steps into Part I, not onto it
    assert neighbours(entries, "chapter-4") == ("chapter-3", "chapter-5")  # across the part boundary
    assert neighbours(entries, "chapter-5") == ("chapter-4", "chapter-6")
    assert neighbours(entries, "chapter-10") == ("chapter-9", None)  # last chapter
    assert neighbours(entries, "part-2") == ("chapter-4", "chapter-5")  # a part page points at its ends


def test_previous_and_next_ignore_other_publications():
    first, second = make_publication(), make_publication()
    make_entry(first, "A", slug="a")
    only = make_entry(second, "B", slug="b")
    make_entry(first, "C", slug="c")
    assert only.previous_entry() is None and only.next_entry() is None


def test_previous_and_next_cost_one_query_each(django_assert_num_queries):
    publication = make_publication()
    entries = build_report(publication, (3, 30))
    entry = TocEntry.objects.get(pk=entries["chapter-20"].pk)
    with django_assert_num_queries(1):
        entry.previous_entry()
    with django_assert_num_queries(1):
        entry.next_entry()
    with django_assert_num_queries(1):
        assert entry.reading_position() == 21  # foreword, chapters 1..19, then this one


# Validation rules


def clean_errors(entry):
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    return error.value.message_dict


def test_a_part_can_contain_chapters():
    publication = make_publication()
    part = make_entry(publication, "Part", PART)
    TocEntry(publication=publication, parent=part, kind=CHAPTER, title="Ch", slug="ch").full_clean()


def test_a_chapter_cannot_contain_anything():
    publication = make_publication()
    chapter = make_entry(publication, "Chapter")
    for kind in (PART, CHAPTER, FRONT):
        errors = clean_errors(TocEntry(publication=publication, parent=chapter, kind=kind, title="X", slug="x"))
        assert "parent" in errors


def test_parts_and_front_matter_sit_at_the_top_level():
    publication = make_publication()
    part = make_entry(publication, "Part", PART)
    for kind in (PART, FRONT):
        assert "parent" in clean_errors(TocEntry(publication=publication, parent=part, kind=kind, title="X", slug="x"))


def test_an_entry_cannot_join_another_publications_tree():
    mine, other = make_publication(), make_publication()
    foreign_part = make_entry(other, "Their part", PART)
    errors = clean_errors(TocEntry(publication=mine, parent=foreign_part, kind=CHAPTER, title="X", slug="x"))
    assert "another publication" in " ".join(errors["parent"])


def test_a_part_with_chapters_cannot_become_a_chapter():
    publication = make_publication()
    part = make_entry(publication, "Part", PART)
    make_entry(publication, "Child", parent=part)
    part.refresh_from_db()
    part.kind = CHAPTER
    assert "kind" in clean_errors(part)


def test_a_chapter_document_must_be_a_pdf_by_content():
    publication = make_publication()
    text = make_document("Notes", content=b"plain words, not a PDF", name="notes.txt")
    assert text.kind == "txt"
    errors = clean_errors(TocEntry(publication=publication, kind=CHAPTER, title="X", slug="x", document=text))
    assert "document" in errors
    pdf = make_document("Real PDF")
    TocEntry(publication=publication, kind=CHAPTER, title="X", slug="x", document=pdf).full_clean()


def test_a_file_named_pdf_that_is_not_a_pdf_never_becomes_one():
    with pytest.raises(ValidationError):
        make_document("Fake", content=b"<html>not a pdf</html>", name="chapter.pdf")


def test_entry_slugs_are_unique_within_a_publication_only():
    first, second = make_publication(), make_publication()
    make_entry(first, "Intro", slug="intro")
    make_entry(second, "Intro", slug="intro")
    assert "__all__" in clean_errors(TocEntry(publication=first, kind=CHAPTER, title="Intro", slug="intro"))


def test_moves_that_break_the_rules_are_refused():
    publication, other = make_publication(), make_publication()
    entries = build_report(publication, (2, 2))
    foreign = make_entry(other, "Foreign chapter")
    chapter = TocEntry.objects.get(pk=entries["chapter-2"].pk)
    with pytest.raises(InvalidMove):
        chapter.move_to(TocEntry.objects.get(pk=entries["chapter-3"].pk), "last-child")  # into a chapter
    with pytest.raises(InvalidMove):
        TocEntry.objects.get(pk=entries["part-2"].pk).move_to(
            TocEntry.objects.get(pk=entries["part-1"].pk), "last-child"
        )  # a part into a part
    with pytest.raises(InvalidMove):
        TocEntry.objects.get(pk=entries["foreword"].pk).move_to(chapter, "right")  # front matter into a part
    with pytest.raises(InvalidMove):
        foreign.move_to(TocEntry.objects.get(pk=entries["part-1"].pk), "last-child")  # another publication
    chapter.move_to(TocEntry.objects.get(pk=entries["part-2"].pk), "last-child")  # allowed
    assert reading(publication)[-1] == "chapter-2"


def test_a_part_moved_to_another_publication_takes_its_chapters():
    first, second = make_publication(), make_publication()
    part = make_entry(first, "Part", PART)
    child = make_entry(first, "Child", parent=part)
    part.refresh_from_db()
    part.publication = second
    part.save()
    child.refresh_from_db()
    assert child.publication == second


# Translations


def test_translations_are_linked_both_ways_and_unlinked_both_ways():
    english = make_publication("english", language="en")
    french = make_publication("french", language="fr")
    english.translations.add(french)
    assert list(french.translations.all()) == [english]
    french.translations.remove(english)
    assert not english.translations.exists()


# Search


def test_search_data_in_the_active_language():
    from django.utils import translation

    publication = make_publication(
        "wmr", title="World Migration Report 2018", title_fr="État de la migration dans le monde 2018"
    )
    publication.body = "<p>Two <b>parts</b>.</p>"
    publication.save()
    chapter = make_entry(publication, "Overview", number="Chapter 1", summary="What is inside.")
    with translation.override("fr"):
        assert publication.search_data()["title"] == "État de la migration dans le monde 2018"
    with translation.override("en"):
        data = publication.search_data()
        assert data["body"] == "Two parts."
        assert data["date"].year == 2018
        assert chapter.search_data()["title"] == "Chapter 1 – Overview"


def test_only_chapters_of_live_publications_are_searchable():
    from iomsite import content

    spec = next(spec for spec in content.search_specs() if spec.kind == "chapter")
    live_chapter = make_entry(make_publication(), "Live chapter")
    make_entry(make_publication(published=False), "Draft chapter")
    make_entry(make_publication(), "A part", PART)
    assert list(spec.live_queryset()) == [live_chapter]
    assert next(s for s in content.search_specs() if s.kind == "publication").live_queryset().count() == 2


def test_draft_status_hides_a_publication_whatever_the_dates():
    publication = make_publication(published=False, publish_at=NOW - timedelta(days=3))
    assert publication.status == Status.DRAFT
    assert not Publication.objects.published(NOW).exists()


def test_chapters_enter_and_leave_the_search_index_with_their_publication(django_capture_on_commit_callbacks):
    from iomsite.search.index import rebuild
    from iomsite.search.models import SearchEntry

    publication = make_publication("report", published=False)
    make_entry(publication, "Secret chapter", slug="secret", number="Chapter 1")
    make_entry(publication, "A part", PART, slug="a-part")
    rebuild()
    assert not SearchEntry.objects.filter(kind__in=["chapter", "publication"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        publication.status = Status.PUBLISHED
        publication.publish_at = timezone.now() - timedelta(hours=1)
        publication.save()
    chapters = SearchEntry.objects.filter(kind="chapter")
    assert sorted(chapters.values_list("language", "url")) == [
        ("en", "/en/publications/report/secret/"),
        ("es", "/es/publications/report/secret/"),
        ("fr", "/fr/publications/report/secret/"),
    ]
    assert chapters.get(language="en").title == "Chapter 1 – Secret chapter"
    with django_capture_on_commit_callbacks(execute=True):
        publication.status = Status.DRAFT
        publication.save()
    assert not SearchEntry.objects.filter(kind__in=["chapter", "publication"]).exists()
