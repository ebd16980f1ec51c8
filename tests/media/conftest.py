import pytest
from django.contrib.auth.models import Group

from iomsite.workflow.roles import EDITOR, PUBLISHER
from tests.workflow.conftest import client_for, make_user


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "edna", Group.objects.get(name=EDITOR))


@pytest.fixture
def publisher(django_user_model):
    return make_user(django_user_model, "paul", Group.objects.get(name=PUBLISHER))


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def publisher_client(publisher):
    return client_for(publisher)
