import pytest
from django.contrib.auth.models import Group
from django.test import Client

from iomsite.workflow.roles import EDITOR, PUBLISHER, SITE_MANAGER

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
