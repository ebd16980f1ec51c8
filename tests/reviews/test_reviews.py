"""Content that stays current: the "needs review" report, "Mark reviewed" and the owners' digest."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from iomsite.models import Page
from iomsite.reviews.due import due_items, mark_reviewed
from iomsite.reviews.models import ContentReview, ReviewRecord
from tests.helpers import run_tasks
from tests.iomsite.factories import make_page
from tests.publications.factories import make_publication
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db

REPORT = "/admin/reviews/contentreview/needs-review/"
LONG_AGO = timezone.now() - timedelta(days=400)


def old(factory, *args, **kwargs):
    """An item last changed over a year ago."""
    with time_machine.travel(LONG_AGO, tick=False):
        return factory(*args, **kwargs)


def own(obj, owner=None, team=None, review_by=None):
    return ContentReview.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        owner=owner,
        team=team,
        review_by=review_by,
    )


def titles(rows):
    return [row.title for row in rows]


def test_due_by_age_or_by_date_and_never_drafts():
    stale = old(make_page, "stale", title="Stale page")
    make_page("fresh", title="Fresh page")
    old(make_page, "old-draft", title="Old draft", published=False)
    dated = make_page("dated", title="Dated page")
    own(dated, review_by=timezone.localdate() - timedelta(days=1))
    later = old(make_page, "later", title="Reviewed later")
    own(later, review_by=timezone.localdate() + timedelta(days=30))  # a date set by the owner wins over age
    assert titles(due_items(model=Page)) == ["Stale page", "Dated page"]
    assert due_items(model=Page)[0].due < due_items(model=Page)[1].due  # the longest overdue first
    assert stale.pk in [row.obj.pk for row in due_items()]


def test_mark_reviewed_records_the_review_and_sets_the_next_date(staff_client, staff_user):
    page = old(make_page, "stale", title="Stale page")
    report = staff_client.get(REPORT)
    assert report.status_code == 200
    assert "Stale page" in report.content.decode()
    type_pk = ContentType.objects.get_for_model(Page).pk
    response = staff_client.post(f"/admin/reviews/contentreview/mark/{type_pk}/{page.pk}/", {"next": REPORT})
    assert response.status_code == 302
    review = ContentReview.objects.get()
    assert review.review_by == timezone.localdate() + timedelta(days=365)
    assert review.last_reviewed_by == staff_user
    (record,) = ReviewRecord.objects.all()
    assert record.reviewed_by == staff_user
    assert "Stale page</a>" not in staff_client.get(REPORT).content.decode()
    page.refresh_from_db()
    assert page.updated_at < timezone.now() - timedelta(days=300)  # reviewed without changes


def test_report_filters_by_owner_team_type_and_section(staff_client, django_user_model):
    ana = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    team = Group.objects.create(name="Regional team")
    labour = make_theme("labour-migration")
    climate = make_theme("climate")
    mine = old(make_page, "mine", title="Ana page")
    own(mine, owner=ana)
    teams = old(make_page, "teams", title="Team page")
    own(teams, team=team)
    on_labour = old(make_publication, "on-labour", title="Labour report")
    on_labour.themes.add(labour)
    on_climate = old(make_publication, "on-climate", title="Climate report")
    on_climate.themes.add(climate)

    def shown(query):
        page = staff_client.get(REPORT + query)
        assert page.status_code == 200, query
        body = page.content.decode()
        return {title for title in ("Ana page", "Team page", "Labour report", "Climate report") if title in body}

    everything = {"Ana page", "Team page", "Labour report", "Climate report"}
    assert shown("") >= everything
    assert shown(f"?owner={ana.pk}") == {"Ana page"}
    assert shown(f"?team={team.pk}") == {"Team page"}
    publication_type = ContentType.objects.get_for_model(on_labour).pk
    assert shown(f"?type={publication_type}") == {"Labour report", "Climate report"}
    assert shown(f"?section=theme:{labour.pk}") == {"Labour report"}
    for bad in ("?owner=abc", "?type=999999", "?section=nope:1", "?section=theme:x", "?team=99999999999999"):
        assert shown(bad) == set(), bad


def test_weekly_digest_to_owners_and_team_members(django_user_model, mailoutbox):
    ana = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    ben = django_user_model.objects.create_user("ben", "ben@example.org", "pw")
    django_user_model.objects.create_user("cy", "cy@example.org", "pw")  # owns nothing
    team = Group.objects.create(name="Regional team")
    ben.groups.add(team)
    own(old(make_page, "ana-page", title="Ana page"), owner=ana)
    own(old(make_page, "team-page", title="Team page"), team=team)
    own(make_page("not-due", title="Not due"), owner=ana)
    call_command("send_review_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_tasks()
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"ana@example.org", "ben@example.org"}
    assert "Ana page" in by_address["ana@example.org"].body
    assert "Not due" not in by_address["ana@example.org"].body
    assert "Team page" in by_address["ben@example.org"].body
    assert by_address["ben@example.org"].subject == "1 item of yours needs a review"


@pytest.mark.parametrize("size", [3, 40])
def test_report_query_count_is_fixed(staff_client, django_assert_max_num_queries, size, django_user_model):
    ana = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    for n in range(size):
        own(old(make_page, f"p-{n}"), owner=ana)
    with django_assert_max_num_queries(25):
        response = staff_client.get(REPORT)
    assert response.content.decode().count("Mark reviewed") >= size


def test_editors_without_change_rights_cannot_mark(client, django_user_model):
    page = old(make_page, "stale")
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_contentreview"))
    client.force_login(viewer)
    assert client.get(REPORT).status_code == 200
    type_pk = ContentType.objects.get_for_model(Page).pk
    assert client.post(f"/admin/reviews/contentreview/mark/{type_pk}/{page.pk}/").status_code == 403
    assert ReviewRecord.objects.count() == 0
    mark_reviewed(page, viewer)  # the function itself does not check: the views do
    assert ReviewRecord.objects.count() == 1
