"""A cache backend that counts its round trips: the local-memory cache, with each call to the shared cache counted.

Each public call of Django's cache API (``get``, ``get_many``, ``set``, ``add``, ``incr``, …) is
one round trip to Redis with the built-in backend (``get_many`` is one ``MGET``).
``tests/iomsite/test_cache_round_trips.py`` uses it to assert what a page-cache hit costs.
"""

from django.core.cache.backends.locmem import LocMemCache

COUNTED = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete", "delete_many", "touch", "has_key")


class CountingCache(LocMemCache):
    calls = []

    def __getattribute__(self, name):
        if name in COUNTED:
            calls = object.__getattribute__(self, "calls")
            method = object.__getattribute__(self, name)
            depth = object.__getattribute__(self, "_depth")

            def counted(*args, **kwargs):
                if depth[0] == 0:
                    calls.append(name)  # an outer call only: get_many() of LocMemCache calls get()
                depth[0] += 1
                try:
                    return method(*args, **kwargs)
                finally:
                    depth[0] -= 1

            return counted
        return object.__getattribute__(self, name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._depth = [0]
