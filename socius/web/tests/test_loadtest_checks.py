"""The load test's own checks (loadtest/run.py): every acknowledged write is stored exactly once, and the
figures per request type are read from locust's CSV as written."""

import importlib.util
from pathlib import Path

import pytest

from socius.casework.models import Contact
from socius.casework.tests.factories import ContactFactory

ROOT = Path(__file__).resolve().parents[3]


def _run_module():
    spec = importlib.util.spec_from_file_location("loadtest_run", ROOT / "loadtest" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_a_lost_a_duplicated_and_an_unacknowledged_write_are_each_reported():
    run = _run_module()
    for mark in (
        "load test R1 contact 1",
        "load test R1 contact 2",
        "load test R1 contact 2",
        "load test R1 contact 4",
    ):
        ContactFactory(notes=mark)
    ContactFactory(notes="load test R0 contact 3")  # another run's mark: not this run's business
    acknowledged = {"contact": ["load test R1 contact 1", "load test R1 contact 2", "load test R1 contact 3"]}

    lines, good = run.check_writes("R1", acknowledged)

    assert not good
    assert lines == [
        "  contact: 3 acknowledged (201), 4 rows with this run's mark; lost 1, duplicated 1, "
        "stored without acknowledgement 1"
    ]
    assert Contact.objects.count() == 5


@pytest.mark.django_db
def test_writes_stored_once_each_pass():
    run = _run_module()
    ContactFactory(notes="load test R2 contact 1")
    lines, good = run.check_writes("R2", {"contact": ["load test R2 contact 1"], "visit": []})
    assert good
    assert lines[0].endswith("lost 0, duplicated 0, stored without acknowledgement 0")


def test_the_figures_per_request_type_come_from_locusts_csv(tmp_path):
    run = _run_module()
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
        "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
        "99.99%,100%"
    )
    rows = [
        "GET,/desk/,10,0,120,130.5,50.1,400.2,1500,2.5,0.0,120,130,140,150,200,300,350,400,400,400,400",
        "POST,POST /contacts/,4,1,90,95.0,60.0,150.0,200,1.0,0.25,90,95,100,100,150,150,150,150,150,150,150",
        ",Aggregated,14,1,110,120.0,50.1,400.2,1000,3.5,0.25,110,120,130,140,190,300,350,400,400,400,400",
    ]
    path = tmp_path / "x_stats.csv"
    path.write_text("\n".join([header, *rows]) + "\n")

    lines, failures, requests = run.stats_table(path)

    assert (failures, requests) == (1, 14)
    assert lines[2:] == [
        "| /desk/ | 10 | 0 | 120 | 300 | 400 | 400 | 2.5 |",
        "| POST /contacts/ | 4 | 1 | 90 | 150 | 150 | 150 | 1.0 |",
        "| all requests | 14 | 1 | 110 | 300 | 400 | 400 | 3.5 |",
    ]
