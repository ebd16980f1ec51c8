"""The session engine: Django's database sessions, stored in ``accounts.Session`` with their user.

The user, the sign-in time and the browser are written into the row whenever the session is
saved; ``created``, ``device`` and ``seen`` travel in the session data itself, so a save
never needs to read the row first.
"""

import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

CREATED = "_iomsite_created"
DEVICE = "_iomsite_device"
SEEN = "_iomsite_seen"
HAS_FACTOR = "_iomsite_has_second_factor"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from iomsite.accounts.models import Session

        return Session

    def create_model_instance(self, data):
        now = timezone.now()
        data.setdefault(CREATED, int(now.timestamp()))
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        instance.user_id = int(user_id) if user_id and str(user_id).isdigit() else None
        instance.created_at = datetime.datetime.fromtimestamp(data[CREATED], datetime.UTC)
        instance.last_seen = now
        instance.device = str(data.get(DEVICE, ""))[:100]
        return instance
