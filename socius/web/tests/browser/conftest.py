"""Browser tests: Playwright driving Debian's Chromium (a browser download does not work here).

Without /usr/bin/chromium (or CHROMIUM_PATH) the tests are skipped and the run says so plainly.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


# On SQLite the test database lives in memory, one connection that the live server's request threads
# share. The case page loads its sections in parallel (htmx), and two requests in one connection at once
# break each other's transactions. Serve one request at a time there; PostgreSQL gives each thread its own.
class SerialWSGIServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The live server thread itself installs the shared connection before it serves.
        super().__init__(*args, **kwargs)


if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HAVE_CHROMIUM = os.path.exists(CHROMIUM)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def stray_sessions_closed(django_db_setup, django_db_blocker):
    """After the browser tests, end any PostgreSQL session the live server's request threads left open.

    A request the browser abandons (the page is closed while it is in flight) ends its server thread
    without the request_finished signal, so that thread's connection stays open and the test database
    could not be dropped at the end of the run ("is being accessed by other users"). Set up after the
    test database and before the live server, so torn down after the server and before the database."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def page(stray_sessions_closed, browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
