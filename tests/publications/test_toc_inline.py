"""The table of contents on the publication's form: reorder, add and remove parts and chapters in one save."""

import pytest

from publications.models import TocEntry
from tests.publications.factories import CHAPTER, FRONT, build_report, make_publication
from tests.workflow.helpers import form_data

pytestmark = pytest.mark.django_db

CHANGE = "/admin/publications/publication/{}/change/"


def reading_order(publication):
    return [
        (entry.parent.slug if entry.parent_id else None, entry.slug)
        for entry in publication.toc_entries.select_related("parent").order_by("tree_id", "lft")
    ]


def rows(response):
    """{slug: form index} of the table of contents' lines."""
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is TocEntry)
    return formset, {form.instance.slug: index for index, form in enumerate(formset.forms) if form.instance.pk}


def assert_tree_is_sound():
    """The nested-set columns agree with the parents (what mptt's rebuild would compute)."""
    for entry in TocEntry.objects.all():
        children = list(entry.get_children())
        assert all(child.parent_id == entry.pk and child.tree_id == entry.tree_id for child in children)
        assert entry.rght - entry.lft == 2 * len(entry.get_descendants()) + 1


@pytest.fixture
def report():
    # A draft publication: its table of contents is written at once (a live one's goes to its draft, decision 016).
    publication = make_publication("atlas", title="Atlas", published=False)
    return publication, build_report(publication, chapters_per_part=(3, 2))


def test_the_form_lists_the_entries_in_reading_order(staff_client, report):
    publication, entries = report
    response = staff_client.get(CHANGE.format(publication.pk))
    formset, index = rows(response)
    assert list(index) == [slug for _part, slug in reading_order(publication)]
    assert [form.initial["order"] for form in formset.forms] == list(range(len(entries)))
    assert "publications/toc.js" in response.content.decode()
    parent_choices = {str(choice[1]) for choice in formset.forms[0].fields["parent"].choices}
    assert parent_choices == {"---------", "Part 1 – Part 1", "Part 2 – Part 2"}  # this publication's parts only


def test_reorder_chapters_within_a_part_and_entries_at_the_top(staff_client, report):
    publication, entries = report
    url = CHANGE.format(publication.pk)
    response = staff_client.get(url)
    _formset, index = rows(response)
    order = [slug for _part, slug in reading_order(publication)]
    # Chapter 4 before chapter 2 in part 1; part 2 before part 1 at the top level.
    order.remove("chapter-4")
    order.insert(order.index("chapter-2"), "chapter-4")
    order.remove("part-2")
    order.insert(order.index("part-1"), "part-2")
    changes = {f"toc_entries-{index[slug]}-order": str(position) for position, slug in enumerate(order)}
    response = staff_client.post(url, form_data(response, **changes, _continue="1"))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert reading_order(publication) == [
        (None, "foreword"),
        (None, "chapter-1"),
        (None, "part-2"),
        ("part-2", "chapter-5"),
        ("part-2", "chapter-6"),
        (None, "part-1"),
        ("part-1", "chapter-4"),
        ("part-1", "chapter-2"),
        ("part-1", "chapter-3"),
    ]
    assert_tree_is_sound()
    # The public reading order follows: previous/next on the chapter pages.
    assert staff_client.get(entries["chapter-4"].get_absolute_url()).status_code == 200


def test_add_and_remove_entries(staff_client, report):
    publication, entries = report
    other = make_publication("other")
    build_report(other, chapters_per_part=(1,))
    url = CHANGE.format(publication.pk)
    response = staff_client.get(url)
    formset, index = rows(response)
    new = len(formset.forms)
    changes = {
        f"toc_entries-{index['chapter-3']}-DELETE": "on",
        "toc_entries-TOTAL_FORMS": str(new + 1),
        f"toc_entries-{new}-kind": CHAPTER,
        f"toc_entries-{new}-number_en": "Chapter 7",
        f"toc_entries-{new}-title_en": "A new chapter",
        f"toc_entries-{new}-slug": "a-new-chapter",
        f"toc_entries-{new}-parent": str(entries["part-2"].pk),
        f"toc_entries-{new}-order": "0",  # first among part 2's chapters
        f"toc_entries-{new}-document": "",
        f"toc_entries-{new}-publication": str(publication.pk),
    }
    response = staff_client.post(url, form_data(response, **changes, _continue="1"))
    assert response.status_code == 302
    order = reading_order(publication)
    assert ("part-1", "chapter-3") not in order
    assert order.index(("part-2", "a-new-chapter")) == order.index((None, "part-2")) + 1
    assert reading_order(other)[0] == (None, "foreword")  # the other publication is untouched
    assert_tree_is_sound()


def test_a_new_entry_needs_a_title(staff_client, report):
    publication, _entries = report
    url = CHANGE.format(publication.pk)
    response = staff_client.get(url)
    formset, _index = rows(response)
    new = len(formset.forms)
    changes = {
        "toc_entries-TOTAL_FORMS": str(new + 1),
        f"toc_entries-{new}-kind": CHAPTER,
        f"toc_entries-{new}-title_en": "",
        f"toc_entries-{new}-slug": "untitled",
    }
    response = staff_client.post(url, form_data(response, **changes))
    assert response.status_code == 200
    assert not TocEntry.objects.filter(publication=publication, slug="untitled").exists()


def test_a_misplaced_entry_is_a_form_error(staff_client, report):
    publication, entries = report
    url = CHANGE.format(publication.pk)
    response = staff_client.get(url)
    _formset, index = rows(response)
    changes = {f"toc_entries-{index['foreword']}-parent": str(entries["part-1"].pk)}  # front matter into a part
    response = staff_client.post(url, form_data(response, **changes))
    assert response.status_code == 200
    assert "Front matter sits at the top level" in response.content.decode()
    assert TocEntry.objects.get(pk=entries["foreword"].pk).parent_id is None
    assert TocEntry.objects.get(pk=entries["foreword"].pk).kind == FRONT
