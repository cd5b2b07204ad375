"""Fixtures shared by the whole suite: centres of the three countries and named personas."""

import os

import pytest

from socius.accounts.roles import Role
from socius.testing.factories import CentreFactory, TerritoryFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; ORM calls in browser tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def pl_centre(db):
    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Moszczenica")
    return CentreFactory(code="pl-test", name="GOPS Moszczenica", jurisdiction="PL", territory=root)


@pytest.fixture
def md_centre(db):
    root = TerritoryFactory(jurisdiction="MD", level="district", name="Dubăsari")
    return CentreFactory(code="md-test", name="DAS Dubăsari", jurisdiction="MD", territory=root)


@pytest.fixture
def lt_centre(db):
    root = TerritoryFactory(jurisdiction="LT", level="district", name="Šalčininkų r. sav.")
    return CentreFactory(code="lt-test", name="Šalčininkų SPC", jurisdiction="LT", territory=root)


def _persona(centre, role, username):
    return UserFactory(username=username, centre=centre, role=role)


@pytest.fixture
def pl_worker(pl_centre):
    return _persona(pl_centre, Role.SOCIAL_WORKER, "pl_worker")


@pytest.fixture
def pl_worker2(pl_centre):
    return _persona(pl_centre, Role.SOCIAL_WORKER, "pl_worker2")


@pytest.fixture
def pl_assistant(pl_centre):
    return _persona(pl_centre, Role.FAMILY_ASSISTANT, "pl_assistant")


@pytest.fixture
def pl_teamlead(pl_centre):
    return _persona(pl_centre, Role.TEAM_LEADER, "pl_teamlead")


@pytest.fixture
def pl_finance(pl_centre):
    return _persona(pl_centre, Role.FINANCE_OFFICER, "pl_finance")


@pytest.fixture
def pl_director(pl_centre):
    return _persona(pl_centre, Role.DIRECTOR, "pl_director")


@pytest.fixture
def pl_auditor(pl_centre):
    return _persona(pl_centre, Role.AUDITOR, "pl_auditor")


@pytest.fixture
def pl_admin(pl_centre):
    return _persona(pl_centre, Role.ADMINISTRATOR, "pl_admin")


@pytest.fixture
def md_worker(md_centre):
    return _persona(md_centre, Role.SOCIAL_WORKER, "md_worker")


@pytest.fixture
def md_director(md_centre):
    return _persona(md_centre, Role.DIRECTOR, "md_director")


@pytest.fixture
def lt_worker(lt_centre):
    return _persona(lt_centre, Role.SOCIAL_WORKER, "lt_worker")


@pytest.fixture
def persona(request):
    """Indirect fixture: parametrize with a persona fixture name."""
    return request.getfixturevalue(request.param)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say plainly when the browser tests did not run (no Chromium on this machine)."""
    skipped = terminalreporter.stats.get("skipped", [])
    browser_skips = [r for r in skipped if "/browser/" in str(getattr(r, "nodeid", ""))]
    if browser_skips:
        terminalreporter.write_line(
            f"NOTE: {len(browser_skips)} browser tests were NOT run: Chromium is not installed "
            "(apt-get install chromium, or set CHROMIUM_PATH).",
            yellow=True,
            bold=True,
        )


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (trigram search, row locks) run only in the PostgreSQL pass."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only feature; runs in the PostgreSQL pass of make test")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
