"""Subject-access requests (GDPR art. 15): recorded, approved by the director (four eyes) which produces the export,
refused with a reason, downloaded and delivered; every step audited under the person; wrong moves refused with
nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone

from socius.accounts.models import AuditAction, AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.privacy import services
from socius.privacy.errors import ExportNotReady, InvalidSarTransition, SelfApproval
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.selectors import list_requests_for
from socius.privacy.statuses import ExportState, SarStatus
from socius.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


@pytest.fixture
def pl_dpo(pl_centre):
    return UserFactory(username="pl_dpo", centre=pl_centre, role=Role.DATA_PROTECTION_OFFICER)


def _record(actor, person, **kwargs):
    values = {"received_on": timezone.localdate(), "requester": "person", "channel": "letter", **kwargs}
    return services.record_subject_access_request(actor, person.pk, **values)


def _approved(director, sar, capture):
    with capture(execute=True):
        services.approve_subject_access_request(director, sar.pk)
    sar.refresh_from_db()
    return sar


def _events(sar):
    return list(
        AuditEvent.objects.filter(object_type="subject_access_request", object_id=sar.pk)
        .order_by("id")
        .values_list("action", "person_id", "actor_username")
    )


def test_a_worker_records_a_request_in_the_centres_language_and_it_is_audited_under_the_person(pl_worker, person):
    sar = _record(pl_worker, person)
    assert (sar.status, sar.received_by, sar.language, sar.export_state) == (SarStatus.REQUESTED, pl_worker, "pl", "")
    assert _events(sar) == [(AuditAction.CREATE, person.pk, "pl_worker")]


def test_a_request_with_a_future_date_or_a_nameless_representative_is_refused_on_its_fields(pl_worker, person):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        _record(pl_worker, person, received_on=tomorrow, requester="representative", language="xx")
    assert set(refused.value.errors) == {"received_on", "representative_name", "language"}
    assert SubjectAccessRequest.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="subject_access_request").count() == 0


def test_a_person_of_another_centre_is_not_found(md_worker, person):
    with pytest.raises(NotFound):
        _record(md_worker, person)
    assert SubjectAccessRequest.objects.count() == 0


def test_the_director_approves_and_the_export_is_stored_with_its_checksum(
    pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    sar = _approved(pl_director, _record(pl_worker, person), django_capture_on_commit_callbacks)
    assert (sar.status, sar.approved_by, sar.export_state) == (SarStatus.APPROVED, pl_director, ExportState.READY)
    content = sar.export_file.read()
    assert hashlib.sha256(content).hexdigest() == sar.export_sha256
    assert sar.export_size == len(content)
    assert not sar.export_file.name.count("Nowak")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert "data/registry/registry.Person.json" in names
        assert "Nowak-Anna-subject-access.pdf" in names
        manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["person"], manifest["language"]) == (person.pk, "pl")
    assert _events(sar) == [
        (AuditAction.CREATE, person.pk, "pl_worker"),
        (AuditAction.UPDATE, person.pk, "pl_director"),
        (AuditAction.EXPORT, person.pk, "pl_director"),
    ]


def test_the_director_does_not_approve_a_request_they_recorded(pl_director, person):
    sar = _record(pl_director, person)
    with pytest.raises(SelfApproval):
        services.approve_subject_access_request(pl_director, sar.pk)
    sar.refresh_from_db()
    assert (sar.status, sar.approved_by, sar.export_state) == (SarStatus.REQUESTED, None, "")
    assert len(_events(sar)) == 1


def test_a_worker_may_not_approve(pl_worker, pl_worker2, person):
    sar = _record(pl_worker2, person)
    with pytest.raises(Forbidden):
        services.approve_subject_access_request(pl_worker, sar.pk)
    sar.refresh_from_db()
    assert sar.status == SarStatus.REQUESTED


def test_an_approved_request_is_neither_approved_again_nor_refused(
    pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    sar = _approved(pl_director, _record(pl_worker, person), django_capture_on_commit_callbacks)
    with pytest.raises(InvalidSarTransition):
        services.approve_subject_access_request(pl_director, sar.pk)
    with pytest.raises(InvalidSarTransition):
        services.refuse_subject_access_request(pl_director, sar.pk, "Too late")
    sar.refresh_from_db()
    assert (sar.status, sar.refusal_reason) == (SarStatus.APPROVED, "")
    assert len(_events(sar)) == 3


def test_a_refusal_needs_a_reason_and_is_final(pl_worker, pl_director, person):
    sar = _record(pl_worker, person)
    with pytest.raises(ValidationFailed) as refused:
        services.refuse_subject_access_request(pl_director, sar.pk, "  ")
    assert set(refused.value.errors) == {"reason"}
    sar.refresh_from_db()
    assert sar.status == SarStatus.REQUESTED
    services.refuse_subject_access_request(pl_director, sar.pk, "Manifestly unfounded: the fifth copy this month")
    sar.refresh_from_db()
    assert (sar.status, sar.refused_by, sar.refusal_reason) == (
        SarStatus.REFUSED,
        pl_director,
        "Manifestly unfounded: the fifth copy this month",
    )
    with pytest.raises(InvalidSarTransition):
        services.approve_subject_access_request(pl_director, sar.pk)
    with pytest.raises(ExportNotReady):
        services.open_export(pl_director, sar.pk)


def test_the_recorder_and_the_director_download_others_do_not(
    pl_worker, pl_worker2, pl_director, pl_dpo, person, django_capture_on_commit_callbacks
):
    sar = _approved(pl_director, _record(pl_worker, person), django_capture_on_commit_callbacks)
    for actor in (pl_worker, pl_director):
        _, handle = services.open_export(actor, sar.pk)
        assert hashlib.sha256(handle.read()).hexdigest() == sar.export_sha256
        handle.close()
    with pytest.raises(NotFound):  # another worker does not see the request at all
        services.open_export(pl_worker2, sar.pk)
    with pytest.raises(Forbidden):  # the DPO sees it exists, not its content
        services.open_export(pl_dpo, sar.pk)
    downloads = AuditEvent.objects.filter(object_type="subject_access_request", action=AuditAction.EXPORT)
    assert sorted(downloads.values_list("actor_username", flat=True)) == ["pl_director", "pl_director", "pl_worker"]
    assert set(downloads.values_list("person_id", flat=True)) == {person.pk}


def test_delivery_is_recorded_once(pl_worker, pl_director, person, django_capture_on_commit_callbacks):
    sar = _record(pl_worker, person)
    with pytest.raises(InvalidSarTransition):
        services.deliver_subject_access_request(pl_worker, sar.pk)
    sar = _approved(pl_director, sar, django_capture_on_commit_callbacks)
    services.deliver_subject_access_request(pl_worker, sar.pk)
    sar.refresh_from_db()
    assert (sar.status, sar.delivered_by) == (SarStatus.DELIVERED, pl_worker)
    with pytest.raises(InvalidSarTransition):
        services.deliver_subject_access_request(pl_director, sar.pk)
    sar.refresh_from_db()
    assert sar.delivered_by == pl_worker


def test_who_sees_which_requests(pl_worker, pl_worker2, pl_director, pl_dpo, pl_finance, md_director, person):
    mine = _record(pl_worker, person)
    theirs = _record(pl_worker2, person)
    assert list(list_requests_for(pl_worker)) == [mine]
    assert set(list_requests_for(pl_director)) == {mine, theirs}
    assert set(list_requests_for(pl_dpo)) == {mine, theirs}
    assert list(list_requests_for(pl_finance)) == []
    assert list(list_requests_for(md_director)) == []
    with pytest.raises(NotFound):
        services.approve_subject_access_request(md_director, mine.pk)


def test_a_failed_export_is_recorded_and_produced_again_on_retry(
    pl_worker, pl_director, person, django_capture_on_commit_callbacks, monkeypatch
):
    from socius.privacy import archive

    real = archive.build_export

    def broken(sar):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive, "build_export", broken)
    sar = _approved(pl_director, _record(pl_worker, person), django_capture_on_commit_callbacks)
    assert (sar.status, sar.export_state, sar.export_file.name) == (SarStatus.APPROVED, ExportState.FAILED, "")
    with pytest.raises(ExportNotReady):
        services.open_export(pl_director, sar.pk)
    monkeypatch.setattr(archive, "build_export", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_export(pl_director, sar.pk)
    sar.refresh_from_db()
    assert sar.export_state == ExportState.READY
    with pytest.raises(InvalidSarTransition):
        services.retry_export(pl_director, sar.pk)
