import pytest
from django.contrib.auth.models import Group
from django.test import Client

from iomsite.workflow.models import Section
from iomsite.workflow.roles import EDITOR, PUBLISHER, SITE_MANAGER
from tests.regions.helpers import build_americas, make_country, make_office, make_region

PASSWORD = "pw-for-tests-only"


def make_user(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.set(groups)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "edna", Group.objects.get(name=EDITOR))


@pytest.fixture
def publisher(django_user_model):
    return make_user(django_user_model, "paul", Group.objects.get(name=PUBLISHER))


@pytest.fixture
def manager(django_user_model):
    return make_user(django_user_model, "mona", Group.objects.get(name=SITE_MANAGER))


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def publisher_client(publisher):
    return client_for(publisher)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


SECRET = "Kingdom Of Secrets"  # the out-of-section title that must never show


def team_group(name, role=EDITOR, **roots):
    """A group with the role's permissions and one section starting at ``roots`` (``region=node``, ``theme=node``)."""
    group = Group.objects.create(name=name)
    group.permissions.set(Group.objects.get(name=role).permissions.all())
    Section.objects.create(group=group, name=name).set_roots(*roots.values())
    return group


@pytest.fixture
def world():
    americas, central, caribbean, honduras, salvador, haiti = build_americas()
    europe = make_region("europe", title="Europe")
    spain = make_country("ES", europe, slug="spain", title=SECRET, published=False)
    return {
        "americas": americas,
        "central": central,
        "caribbean": caribbean,
        "honduras": honduras,
        "europe": europe,
        "spain": spain,
        "office_in": make_office(honduras, "tegucigalpa"),
        "office_out": make_office(spain, "madrid", name=f"{SECRET} office", published=False),
    }


@pytest.fixture
def amy(django_user_model, world):
    return make_user(django_user_model, "amy", team_group("Americas team", region=world["americas"]))


@pytest.fixture
def amy_client(amy):
    return client_for(amy)
