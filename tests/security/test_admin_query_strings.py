"""Hostile admin query strings and forms, for every admin of the site, on SQLite and PostgreSQL.

"Never a 500" holds for staff too: lookups outside the declared list filters (a regex that
holds a worker for seconds, or one the database refuses), NUL bytes in list filters and
autocomplete terms, and non-numeric values posted in autocomplete fields.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import make_document, make_image, make_page

pytestmark = pytest.mark.django_db

PLAIN_ADMINS = [
    "iomsite.image", "iomsite.document", "consultations.partner", "newsletter.subscriber",
    "iomsite.redirect", "publications.publicationseries", "auth.user", "auth.group",
]  # fmt: skip


@pytest.fixture
def staff(staff_user):
    client = Client(raise_request_exception=True)
    client.force_login(staff_user)
    return client


def changelists():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        try:
            yield model, model_admin, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue


def text_field(model):
    return next(
        (f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))), None
    )


def test_the_plain_admins_are_on_the_hardened_site():
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert set(PLAIN_ADMINS) <= labels
    from iomsite.adminsite import HardenedAdminMixin

    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, HardenedAdminMixin), model


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(", "[", "(?P<x", "\\"])
def test_regex_lookups_are_refused_on_every_admin(staff, pattern):
    make_image(title="a" * 24 + "!")
    make_document(title="a" * 24 + "!")
    checked = 0
    for model, _model_admin, url in changelists():
        field = text_field(model)
        if field is None:
            continue
        for lookup in ("regex", "iregex"):
            response = staff.get(f"{url}?{field}__{lookup}={quote(pattern)}")
            assert response.status_code == 400, (url, field, response.status_code)
            assert "Bad request" in response.content.decode()
        checked += 1
    assert checked >= 15


def test_lookups_on_undeclared_fields_are_refused(staff):
    for url, query in [
        ("/admin/iomsite/image/", "title__startswith=a"),
        ("/admin/iomsite/document/", "title=Report"),
        ("/admin/auth/user/", "password__startswith=md5"),
        ("/admin/auth/user/", "email__contains=@"),
        ("/admin/newsletter/subscriber/", "email__endswith=example.org"),
        ("/admin/iomsite/document/", "kind__regex=("),  # a declared filter, an undeclared lookup
        ("/admin/iomsite/document/", "kind__contains=p"),
        ("/admin/iomsite/document/", "kind__lower__exact=pdf"),
        ("/admin/auth/user/", "groups__name__regex=("),
    ]:
        response = staff.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query)


def test_declared_filters_still_work(staff):
    make_document(title="Report")
    for url, query in [
        ("/admin/iomsite/document/", "kind__exact=pdf"),
        ("/admin/iomsite/document/", "kind=pdf&language__exact=en"),
        ("/admin/auth/user/", "is_staff__exact=1"),
        ("/admin/auth/user/", "groups__id__exact=1"),
        ("/admin/newsletter/subscriber/", "status__exact=confirmed&created_at__year=2026"),
        ("/admin/iomsite/page/", "state=live"),
        ("/admin/workflow/brokenlink/", "content_type__id__exact=1"),
    ]:
        response = staff.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query, response.status_code)


def test_bad_values_in_declared_filters_are_a_clear_answer(staff):
    for url, query in [
        ("/admin/auth/user/", "groups__id__exact=abc"),
        ("/admin/newsletter/subscriber/", "created_at__year=abc"),
        ("/admin/iomsite/document/", "kind__in=" + "x," * 50),
        ("/admin/publications/publication/", "year__exact=99999999999999999999999"),
    ]:
        response = staff.get(f"{url}?{query}")
        assert response.status_code in (200, 302, 400), (url, query, response.status_code)


def test_a_nul_byte_in_any_list_filter_or_search_is_a_400(staff):
    make_page(slug="contact-us")
    for _model, model_admin, url in changelists():
        for query in ("q=a%00b", "o=1%00", "p=%00", "e=%00", "x%00=1", "state=%00"):
            response = staff.get(f"{url}?{query}")
            assert response.status_code == 400, (url, query, response.status_code)
        for item in model_admin.list_filter:
            name = item[0] if isinstance(item, (list, tuple)) else getattr(item, "parameter_name", item)
            response = staff.get(f"{url}?{name}=a%00b")
            assert response.status_code == 400, (url, name)


def test_a_nul_byte_in_an_autocomplete_term_is_a_400(staff):
    query = "term=a%00b&app_label=iomsite&model_name=menuitem&field_name=page"
    assert staff.get(f"/admin/autocomplete/?{query}").status_code == 400
    good = staff.get("/admin/autocomplete/?term=contact&app_label=iomsite&model_name=menuitem&field_name=page")
    assert good.status_code == 200


@pytest.mark.parametrize("bad", ["abc", "1.5", "0x10", "1; DROP TABLE x", "%00", "99999999999999999999999"])
def test_non_numeric_values_posted_in_autocomplete_fields_are_form_errors(staff, bad):
    make_image()
    make_document()
    seen = 0
    for model, model_admin, _url in changelists():
        opts = model._meta
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        page = staff.get(add)
        if page.status_code != 200:
            continue
        form = page.context["adminform"].form
        data = {"_save": "Save"}
        names = [name for name in form.fields if name in model_admin.get_autocomplete_fields(page.wsgi_request)]
        for formset in page.context["inline_admin_formsets"]:
            management = formset.formset.management_form
            for key, field in management.fields.items():
                data[management.add_prefix(key)] = field.initial if field.initial is not None else 0
            data[management.add_prefix("TOTAL_FORMS")] = 1
            inline_names = formset.opts.get_autocomplete_fields(page.wsgi_request)
            names += [formset.formset.empty_form.add_prefix(n).replace("__prefix__", "0") for n in inline_names]
        if not names:
            continue
        for name in names:
            data[name] = bad.replace("%00", "\x00")
        response = staff.post(add, data)
        assert response.status_code == 200, (add, names, response.status_code)
        seen += len(names)
    assert seen >= 8
