"""Two approvals of one report racing on PostgreSQL, each on its own connection: the report's row lock makes them
run one after the other; one approves, the other finds the version approved (409) and nothing is frozen twice."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from socius.reporting import services
from socius.reporting.errors import InvalidVersionTransition
from socius.reporting.models import Report, ReportVersion
from socius.reporting.statuses import ReportKind, VersionStatus
from socius.reporting.tests.engine_helpers import contacts, make_md_area, use_engine_indicators

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps its first reading of pg_stat_activity: read afresh each time.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_approvals_racing_approve_once(monkeypatch, md_centre, md_director):
    use_engine_indicators(monkeypatch)
    area = make_md_area(md_centre)
    contacts(md_centre, area["first"], 3)
    report = services.start_report(md_director, ReportKind.MONTHLY_ACTIVITY, "2026-10")
    version = report.versions.get()
    services.write_narrative(md_director, version.pk, "October.")
    services.sign_narrative(md_director, version.pk)

    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve():
        try:
            barrier.wait()
            services.approve_version(md_director, version.pk)
            outcomes.append("approved")
        except InvalidVersionTransition:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    with transaction.atomic():
        Report.objects.select_for_update().get(pk=report.pk)  # hold the lock until both wait on it
        for thread in threads:
            thread.start()
        for _ in range(600):  # until both approvals wait on the report's row lock (not an assertion on time)
            if _waiting_on_locks() >= 2:
                break
            time.sleep(0.05)
        assert _waiting_on_locks() == 2
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["approved", "conflict"]
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED and version.figures["t_contacts"]["total"] == 3
    assert ReportVersion.objects.filter(report=report, status=VersionStatus.APPROVED).count() == 1
