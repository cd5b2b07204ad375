"""A person's payment details page: finance records how the person is paid (validated IBAN, audited, the
history kept); a bad IBAN is refused beside its field with nothing written; only finance may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.payments.models import PaymentDetailsChange
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

PL_IBAN = "PL61109010140000071219812874"


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def anna(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Kowalska")
    MembershipFactory(person=person, household=HouseholdFactory(centre=pl_centre), relationship="head")
    return person


@pytest.mark.django_db
def test_finance_changes_how_a_person_is_paid_and_the_change_is_kept_in_the_history(client, pl_finance, anna, english):
    client.force_login(pl_finance)
    url = reverse("web:person_payment_details", args=[anna.pk])
    response = client.post(
        url, {"channel": "bank_transfer", "iban": "pl61 1090 1014 0000 0712 1981 2874", "reason": "New account"}
    )
    assert response.status_code == 302
    change = PaymentDetailsChange.objects.get(person=anna)
    assert (change.channel, change.iban, change.reason, change.changed_by) == (
        "bank_transfer",
        PL_IBAN,
        "New account",
        pl_finance,
    )
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert PL_IBAN in html  # finance reads IBANs in full
    assert "New account" in html
    views = AuditEvent.objects.filter(action="view", object_type="payment_details", object_id=anna.pk)
    assert views.count() == 1
    assert set(next(iter(persons_of_events(views).values()))) == {anna.pk}


@pytest.mark.django_db
def test_a_bad_iban_is_refused_beside_its_field_and_nothing_is_written(client, pl_finance, anna, english):
    client.force_login(pl_finance)
    response = client.post(
        reverse("web:person_payment_details", args=[anna.pk]),
        {"channel": "bank_transfer", "iban": "PL00109010140000071219812874"},
    )
    assert response.status_code == 400
    assert "This IBAN is not valid" in response.content.decode()
    assert not PaymentDetailsChange.objects.filter(person=anna).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["pl_worker", "pl_director", "pl_auditor"])
def test_only_finance_opens_the_payment_details_page(client, request, persona, anna):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("web:person_payment_details", args=[anna.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(object_type="payment_details", object_id=anna.pk).exists()


@pytest.mark.django_db
def test_the_household_payments_section_links_finance_to_each_members_payment_details(client, pl_finance, anna):
    client.force_login(pl_finance)
    household = anna.memberships.first().household
    html = client.get(reverse("web:household_payments", args=[household.pk])).content.decode()
    assert reverse("web:person_payment_details", args=[anna.pk]) in html
