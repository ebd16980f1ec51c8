"""Review of drafts: who is told, by a mail the task worker sends (``iomsite.mail.queue_mail``)."""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils.translation import gettext as _

from iomsite.mail import queue_mail
from iomsite.workflow.publishing import PUBLISH_PERMISSION
from iomsite.workflow.sections import get_scope


def publishers_for(obj):
    """Active publishers who may change ``obj`` and whose sections hold it (superusers only when no one else)."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    opts = obj._meta
    granted = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    candidates = get_user_model()._default_manager.filter(granted, is_active=True, is_staff=True).distinct()
    found = []
    for user in candidates.order_by("username"):
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}") or not user.has_perm(PUBLISH_PERMISSION):
            continue
        if in_scope(user, obj):
            found.append(user)
    return found


def in_scope(user, obj):
    from iomsite import content

    scope = get_scope(user)
    paths = content.section_paths(obj)
    if scope is None or not paths:
        return True
    return type(obj)._default_manager.filter(scope.object_q(type(obj), paths), pk=obj.pk).exists()


def _link(request, obj):
    from iomsite.workflow.drafting import admin_url

    url = admin_url(obj, "change")
    return request.build_absolute_uri(url) if request is not None else url


def _send(user, subject, body):
    if user.email:
        queue_mail(EmailMessage(subject, body, to=[user.email]))
        return True
    return False


def notify_publishers(request, obj, draft):
    """Mail the section's publishers that a draft waits for them; returns how many were told."""
    author = request.user
    subject = _("Changes to review: %(item)s") % {"item": obj}
    body = _(
        "%(who)s submitted changes to “%(item)s” for review.\n\n"
        "Preview, compare and publish, schedule or send them back here:\n%(link)s\n"
    ) % {"who": author.get_full_name() or author.get_username(), "item": obj, "link": _link(request, obj)}
    return sum(_send(user, subject, body) for user in publishers_for(obj) if user != author)


def notify_editor(request, obj, editor, action, comment="", when=None):
    """Tell the editor who submitted a draft what became of it."""
    who = request.user.get_full_name() or request.user.get_username() if request is not None else _("The site")
    if action == "published":
        subject = _("Your changes are live: %(item)s") % {"item": obj}
        body = _("%(who)s published your changes to “%(item)s”.\n\n%(link)s\n")
    elif action == "scheduled":
        subject = _("Your changes are scheduled: %(item)s") % {"item": obj}
        body = _("%(who)s scheduled your changes to “%(item)s”; visitors see them from %(when)s.\n\n%(link)s\n")
    else:
        subject = _("Your changes were sent back: %(item)s") % {"item": obj}
        body = _("%(who)s sent your changes to “%(item)s” back with this comment:\n\n%(comment)s\n\n%(link)s\n")
    values = {"who": who, "item": obj, "link": _link(request, obj), "comment": comment, "when": when or ""}
    return _send(editor, subject, body % values)
