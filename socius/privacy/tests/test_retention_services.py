"""Retention (decision 0023): the review lists only what expired, approval anonymises it and keeps every report
figure, erasure is refused where a statute keeps the record, and a person with an open case is never anonymised."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, Contact
from socius.casework.models_documents import CaseDocument
from socius.common.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from socius.privacy import services_retention as services
from socius.privacy import tasks
from socius.privacy.anonymise import ANONYMISED_NAME
from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionItem, RetentionReview
from socius.privacy.statuses_retention import ErasureStatus, ReviewStatus
from socius.privacy.tests.retention_support import OLD, ON, RECENT, aged, approved, close, contact
from socius.registry.models import Household, Person
from socius.reporting.indicators import build_scope, indicators_for
from socius.reporting.periods import parse_period
from socius.reporting.tests.statutory_support import World

pytestmark = pytest.mark.django_db

OLD_MONTH = OLD.replace(day=1)


@pytest.fixture
def world(pl_centre):
    return World(pl_centre)


def old_family(world, *, national_id="90010112345"):
    """A household whose case closed in 2012, with a decision of 2012 and its payment: all expired by ON."""
    household, people = world.household(adults=1, children=1, on=OLD)
    Person.objects.filter(pk=people[0].pk).update(national_id=national_id, street_address="ul. Lipowa 3", phone="601")
    case = world.case(household=household, circumstances=["poverty"], opened_on=dt.date(2011, 5, 1))
    case.notes = "Father drinks; mother afraid to speak"
    case.save(update_fields=["notes"])
    decision = approved(world, case, "pl.periodic_allowance", members=people, start=OLD_MONTH, end=OLD_MONTH)
    world.pay(decision, OLD_MONTH)
    from socius.payments.models import Payment

    Payment.objects.filter(decision=decision).update(paid_on=OLD)
    close(case, dt.date(2012, 6, 30))
    for person in people:
        aged(person)
    contact(world, people[0], OLD)
    return household, people, case


def figures(centre, period="2012") -> dict:
    """Every statutory and monthly indicator of the period, total and per column, as plain values."""
    p = parse_period(period)
    scope = build_scope(centre, p.start, p.end)
    out = {}
    for kind in ("mrpips_03", "ozps"):
        for indicator in indicators_for(kind):
            figure = indicator.compute(scope)
            out[indicator.code] = (figure.total, dict(figure.by_group), [(x.code, x.total) for x in figure.parts])
    return out


def test_the_review_lists_only_persons_whose_every_record_has_expired(world, pl_director):
    _, old_people, _ = old_family(world)
    recent_household, recent_people = world.household(adults=1, on=RECENT)
    close(world.case(household=recent_household, opened_on=dt.date(2021, 1, 4)), RECENT)
    aged(recent_people[0])
    open_person = aged(world.household(adults=1, on=OLD)[1][0])
    world.case(person=open_person, opened_on=dt.date(2010, 1, 4))  # never closed
    paid_lately = aged(world.household(adults=1, on=OLD)[1][0])
    old_case = close(world.case(person=paid_lately, opened_on=dt.date(2011, 1, 3)), OLD)
    recent_decision = approved(
        world, old_case, "pl.purpose_allowance", start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 1), one_off=True
    )
    world.pay(recent_decision, dt.date(2024, 3, 1))

    review = services.review_retention(world.centre, on=ON, actor=pl_director)

    listed = set(review.items.values_list("person_id", flat=True))
    assert listed == {p.pk for p in old_people}
    head = review.items.get(person=old_people[0])
    assert head.expired_on == dt.date(2023, 1, 1)  # the case file: closed in 2012, 10 years from 1 January 2013
    kinds = {b["record_type"] for b in head.basis}
    assert kinds == {"registry_entry", "contact", "case_file", "benefit_decision", "payment"}
    case_basis = next(b for b in head.basis if b["record_type"] == "case_file")
    assert case_basis["years"] == 10
    assert case_basis["statutory_keep"] is True
    assert case_basis["confirmed"] is False  # the JRWA category is not confirmed in a primary source
    assert Anonymisation.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="retention_review", object_id=review.pk, action="create").count() == 1


def test_approval_anonymises_the_listed_persons_and_every_report_figure_stays_the_same(
    world, pl_director, django_capture_on_commit_callbacks
):
    household, people, case = old_family(world)
    document = CaseDocument(
        case=case, kind="other", title="Medical certificate of Anna", original_name="anna-zaswiadczenie.pdf",
        content_type="application/pdf", size=4, sha256="0" * 64, uploaded_by=world.worker,
    )  # fmt: skip
    document.file.save("x.pdf", ContentFile(b"%PDF"), save=True)
    event = CaseEvent.objects.create(
        case=case, kind="status_changed", data={"from": "active", "to": "closed", "note": "She left him in May"}
    )
    stored = document.file.name
    storage = document.file.storage
    assert storage.exists(stored)
    kept = aged(world.household(adults=1, on=OLD)[1][0])
    world.case(person=kept, opened_on=dt.date(2010, 1, 4))  # open
    kept_before = Person.objects.filter(pk=kept.pk).values().get()
    before = figures(world.centre)
    assert before["mrpips03_own_benefits"][0] == 1

    review = services.review_retention(world.centre, on=ON)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_review(pl_director, review.pk, on=ON)

    assert figures(world.centre) == before
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.anonymised_count) == (ReviewStatus.APPROVED, pl_director, 2)
    head = Person.objects.get(pk=people[0].pk)
    assert (head.first_name, head.last_name, head.national_id, head.street_address, head.phone) == (
        "",
        ANONYMISED_NAME,
        "",
        "",
        "",
    )
    assert (head.birth_date, head.sex, head.territory_id) == (
        people[0].birth_date,
        people[0].sex,
        people[0].territory_id,
    )
    assert head.search_name == ""
    assert Household.objects.get(pk=household.pk).street_address == ""
    case.refresh_from_db()
    assert (case.notes, case.circumstances, case.closed_on) == ("", ["poverty"], dt.date(2012, 6, 30))
    assert Contact.objects.get(persons=people[0]).notes == ""
    event.refresh_from_db()
    assert event.data == {"from": "active", "to": "closed", "note": ""}
    document.refresh_from_db()
    assert (document.title, document.original_name, document.file.name) == ("", "", "")
    assert not storage.exists(stored)
    from socius.payments.models import Payment

    payment = Payment.objects.get(person=people[0])
    assert (payment.payee_name, payment.iban, str(payment.amount)) == ("", "", "500.00")
    assert set(Anonymisation.objects.values_list("person_id", flat=True)) == {p.pk for p in people}
    assert Person.objects.filter(pk=kept.pk).values().get() == kept_before
    event = AuditEvent.objects.get(object_type="retention_review", action="update")
    assert event.changes["anonymised"] == [None, 2]


def test_running_the_review_twice_leaves_one_pending_review_with_the_same_list(world):
    old_family(world)
    first = services.review_retention(world.centre, on=ON)
    items = sorted(first.items.values_list("person_id", "expired_on"))
    second = services.review_retention(world.centre, on=ON)
    assert second.pk == first.pk
    assert RetentionReview.objects.filter(centre=world.centre).count() == 1
    assert sorted(second.items.values_list("person_id", "expired_on")) == items


def test_the_scheduled_task_reviews_each_centre_and_anonymises_nothing(world, md_centre):
    old_family(world)
    assert tasks.review_retention_task() == {world.centre.code: 2, md_centre.code: 0}
    assert tasks.review_retention_task(centre_code=world.centre.code) == {world.centre.code: 2}
    assert RetentionReview.objects.filter(centre=world.centre, status=ReviewStatus.PENDING).count() == 1
    assert Anonymisation.objects.count() == 0


def test_a_person_who_gets_a_new_record_after_the_review_is_left_out_on_approval(world, pl_director):
    _, people, _ = old_family(world)
    review = services.review_retention(world.centre, on=ON)
    assert review.items.count() == 2
    world.case(person=people[0], opened_on=dt.date(2026, 12, 1))  # came back: an open case

    services.approve_review(pl_director, review.pk, on=ON)

    assert set(Anonymisation.objects.values_list("person_id", flat=True)) == {people[1].pk}
    assert Person.objects.get(pk=people[0].pk).last_name == people[0].last_name
    review.refresh_from_db()
    assert review.anonymised_count == 1


def test_only_the_director_approves_and_a_decided_review_cannot_move_again(world, pl_worker, pl_director):
    old_family(world)
    review = services.review_retention(world.centre, on=ON)
    with pytest.raises(Forbidden):
        services.approve_review(pl_worker, review.pk, on=ON)
    with pytest.raises(Forbidden):
        services.review_retention(world.centre, on=ON, actor=pl_worker)
    assert Anonymisation.objects.count() == 0
    with pytest.raises(ValidationFailed) as refused:
        services.reject_review(pl_director, review.pk, "  ")
    assert "reason" in refused.value.errors
    services.reject_review(pl_director, review.pk, "The archive has not agreed yet")
    with pytest.raises(InvalidTransition):
        services.approve_review(pl_director, review.pk, on=ON)
    review.refresh_from_db()
    assert (review.status, review.anonymised_count) == (ReviewStatus.REJECTED, 0)
    assert Anonymisation.objects.count() == 0


def test_erasure_is_refused_with_the_statute_where_the_case_file_is_still_kept(world, pl_worker):
    household, people = world.household(adults=1, on=RECENT)
    close(world.case(household=household, opened_on=dt.date(2021, 1, 4)), RECENT)
    before = Person.objects.filter(pk=people[0].pk).values().get()

    request = services.request_erasure(pl_worker, people[0], received_on=dt.date(2026, 12, 1))

    assert request.status == ErasureStatus.REFUSED
    assert "narodowym zasobie archiwalnym" in request.refusal_reason
    assert [k["record_type"] for k in request.kept_by_law] == ["case_file"]
    assert request.kept_by_law[0]["expires_on"] == "2033-01-01"
    assert Person.objects.filter(pk=people[0].pk).values().get() == before
    assert Anonymisation.objects.count() == 0


def test_erasure_of_a_person_with_an_open_case_is_refused_and_approval_is_refused_too(world, pl_worker, pl_director):
    person = aged(world.household(adults=1, on=OLD)[1][0])
    request = services.request_erasure(pl_worker, person, received_on=dt.date(2026, 12, 1))
    assert request.status == ErasureStatus.REQUESTED  # only the registry record, expired and kept by no statute
    world.case(person=person, opened_on=dt.date(2026, 12, 2))  # opened after the request
    with pytest.raises(Conflict) as refused:
        services.approve_erasure(pl_director, request.pk)
    assert refused.value.code == "kept_by_law"
    assert Anonymisation.objects.count() == 0
    request.refresh_from_db()
    assert request.status == ErasureStatus.REQUESTED


def test_erasure_of_a_person_no_statute_keeps_is_anonymised_on_the_directors_approval(world, pl_worker, pl_director):
    person = aged(world.household(adults=1, on=OLD)[1][0], dt.date(2025, 5, 1))  # recent, but no statute keeps it
    contact(world, person, dt.date(2025, 5, 1))
    request = services.request_erasure(pl_worker, person, received_on=dt.date(2026, 12, 1), note="By letter")
    assert (request.status, request.kept_by_law) == (ErasureStatus.REQUESTED, [])
    with pytest.raises(Forbidden):
        services.approve_erasure(pl_worker, request.pk)

    services.approve_erasure(pl_director, request.pk)

    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ErasureStatus.ANONYMISED, pl_director)
    assert Person.objects.get(pk=person.pk).last_name == ANONYMISED_NAME
    assert Anonymisation.objects.get(person=person).erasure == request
    with pytest.raises(Conflict):
        services.request_erasure(pl_worker, person, received_on=dt.date(2026, 12, 1))
    assert ErasureRequest.objects.count() == 1


def test_the_director_may_refuse_an_erasure_request_with_a_reason(world, pl_worker, pl_director):
    person = aged(world.household(adults=1, on=OLD)[1][0])
    request = services.request_erasure(pl_worker, person, received_on=dt.date(2026, 12, 1))
    with pytest.raises(ValidationFailed):
        services.refuse_erasure(pl_director, request.pk, "")
    services.refuse_erasure(pl_director, request.pk, "Art. 17 ust. 3 lit. e: a claim is pending")
    request.refresh_from_db()
    assert (request.status, request.refusal_reason) == (
        ErasureStatus.REFUSED, "Art. 17 ust. 3 lit. e: a claim is pending"
    )  # fmt: skip
    with pytest.raises(InvalidTransition):
        services.approve_erasure(pl_director, request.pk)
    assert Anonymisation.objects.count() == 0
    assert RetentionItem.objects.count() == 0


def test_a_review_or_request_of_another_centre_is_not_found(world, md_director):
    old_family(world)
    review = services.review_retention(world.centre, on=ON)
    with pytest.raises(NotFound):
        services.approve_review(md_director, review.pk, on=ON)
    with pytest.raises(NotFound):
        services.reject_review(md_director, review.pk, "No")
    assert RetentionReview.objects.get().status == ReviewStatus.PENDING
    assert Anonymisation.objects.count() == 0
