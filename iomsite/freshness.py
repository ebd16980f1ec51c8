"""How long what the site keeps in its shared cache stays right: one content version, one clock.

Two things can make a cached page or value wrong, and this module answers both:

- **An edit.** Any save, delete or many-to-many change of a content model (a model of a
  content app, ``iomsite.content.is_content``) bumps one version number kept in the
  shared cache (``bump_version``): now, and again when the change commits. Every page
  key and every remembered value holds the version, so one edit retires them all, in
  every process.
- **The clock.** Published content may be scheduled to appear or leave. A cached copy
  lives no longer than the next ``publish_at``/``unpublish_at`` that could change it
  (``next_change``, ``next_scheduled_change``, ``timeout_until``); under a second away,
  nothing is stored.

``remember(name, compute)`` keeps small derived data (menus, counts, filter options)
under both. The page cache middleware (``iomsite.pagecache``) uses the same pieces.
Decision 003 and docs/decisions/011-page-cache-freshness.md say why it is this simple.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from iomsite import content
from iomsite.models.base import Status

VERSION_KEY = "pagecache:version"
SCHEDULE_KEY = "pagecache:next-change:{version}"


# The version ------------------------------------------------------------------------------


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version(**kwargs):
    """Retire every cached page and derived value: now, and again when the change commits.

    Now, so this process never serves what it just changed; at the commit, because a
    request in another process between the two still read the old rows and may have
    cached them under the new version. Called by the signals below (``sender`` given:
    only content models count) and directly after bulk work.
    """
    sender = kwargs.get("sender")
    if sender is not None and not content.is_content(sender):
        return
    _increment()
    using = kwargs.get("using")
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_increment, using=using)


def _increment():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


def connect():
    post_save.connect(bump_version, dispatch_uid="pagecache-save")
    post_delete.connect(bump_version, dispatch_uid="pagecache-delete")
    m2m_changed.connect(bump_version, dispatch_uid="pagecache-m2m")
    post_save.connect(site_settings_changed, dispatch_uid="site-settings-save")
    post_delete.connect(site_settings_changed, dispatch_uid="site-settings-delete")


def site_settings_changed(sender, **kwargs):
    """The site settings have their own cached copy per language (``SiteSettings.load``)."""
    from iomsite.models import SiteSettings

    if sender is SiteSettings:
        SiteSettings.forget()


# The clock --------------------------------------------------------------------------------


def next_change(queryset, now=None):
    """The earliest future ``publish_at`` or ``unpublish_at`` of the published rows of ``queryset``.

    One aggregate query; None when nothing is scheduled.
    """
    now = now or timezone.now()
    row = queryset.filter(status=Status.PUBLISHED).aggregate(
        p=Min("publish_at", filter=Q(publish_at__gt=now)), u=Min("unpublish_at", filter=Q(unpublish_at__gt=now))
    )
    return min((moment for moment in row.values() if moment), default=None)


def next_publishing_change(publishable_models, now=None):
    """The earliest future ``publish_at`` or ``unpublish_at`` of published rows of these models.

    One aggregate query per model; None when nothing is scheduled. The page cache and the
    search index both bound their freshness by it.
    """
    now = now or timezone.now()
    moments = [next_change(model._default_manager.all(), now) for model in publishable_models]
    return min((moment for moment in moments if moment), default=None)


def next_scheduled_change(version):
    """The earliest future publish or unpublish time of any content (cached per version)."""
    key = SCHEDULE_KEY.format(version=version)
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None and (cached == "none" or cached > now):
        return None if cached == "none" else cached
    upcoming = next_publishing_change([item.model for item in content.publishable_models()], now)
    from iomsite.workflow.schedule import next_draft_change  # scheduled drafts of live items (decision 016)

    drafted = next_draft_change()
    if drafted is not None and drafted > now:
        upcoming = min(upcoming or drafted, drafted)
    cache.set(key, upcoming or "none", settings.IOMSITE_PAGE_CACHE_SECONDS)
    return upcoming


def timeout_until(next_change):
    """The page cache's lifetime, shortened to end at ``next_change`` (a scheduled publishing change) if any."""
    timeout = settings.IOMSITE_PAGE_CACHE_SECONDS
    if next_change is not None:
        # 0 (under a second to go) stores nothing: a value must not outlive the moment.
        timeout = max(0, min(timeout, int((next_change - timezone.now()).total_seconds())))
    return timeout


# Both -------------------------------------------------------------------------------------


def remember(name, compute):
    """Small data derived from published content, shared by every process until it may change.

    ``compute()`` returns ``(value, next change)``, the next scheduled publishing moment
    that could alter the value (None: none). The value is kept under the content version,
    so any edit retires it, and for no longer than that moment.
    """
    key = f"pagecache:data:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value, moment = compute()
        cache.set(key, value, timeout_until(moment))
    return value
