import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "last: runs after every other test of the session (it stops the database)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Move ``last`` tests to the end: they stop and restart the PostgreSQL cluster."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
