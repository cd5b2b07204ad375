# ruff: noqa: F811 (the fixtures imported from plans are the tests' arguments)
"""The case page's section "Family and children" (decision 0015): the family's enrolment, the children in
difficulty with their current form of care, the meetings' decisions, the open follow-up tasks, and the buttons
to request an assistant and record a child; only for readers of the case's content, and never the Blue Card."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.family.models import BlueCard, BlueCardMember, BlueCardParty
from socius.family.statuses import EnrolmentStatus
from socius.family.tests.timeline_data import family_rows
from socius.family.timeline import optional_url
from socius.plans.tests.conftest import (  # noqa: F401 (fixtures)
    DAY,
    case,
    english,
    family_team,
    household,
    mother,
    son,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def section(client, actor, case):
    client.force_login(actor)
    return client.get(reverse("web:case_section", args=[case.pk, "family"]), **HTMX)


@pytest.fixture
def rows(case, pl_worker, pl_assistant, son):
    return family_rows(case, pl_worker, day=DAY, child_person=son, assistant=pl_assistant)


def test_the_section_shows_the_enrolment_children_decisions_and_open_tasks(
    client, case, rows, pl_worker, pl_assistant, son
):
    response = section(client, pl_worker, case)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card page-section" id="family"')
    enrolment = html.split(f'id="enrolment-{rows.enrolment.pk}"')[1].split("</li>")[0]
    assert "Active" in enrolment and (pl_assistant.get_full_name() or pl_assistant.username) in enrolment
    child = html.split(f'id="child-{rows.child.pk}"')[1].split("</tr>")[0]
    assert "Jan Nowak" in child and "Foster family" in child and "Kowalscy" in child and "Own family" not in child
    agenda = html.split(f'id="agenda-{rows.agenda.pk}"')[1].split("</li>")[0]
    assert "Interdisciplinary team" in agenda and "Foster care for six months" in agenda
    task = html.split(f'id="task-{rows.task.pk}"')[1].split("</li>")[0]
    assert "Visit the foster family" in task and "overdue" in task
    # The family's page, the child's, the meeting's and the task's button, where the web layer has them.
    for name, pk in (("web:family_enrolment", rows.enrolment.pk), ("web:child_detail", rows.child.pk)):
        url = optional_url(name, pk)
        assert (f'href="{url}"' in html) if url else True
    done = optional_url("web:task_done", rows.task.pk)
    assert (f'action="{done}"' in task) == bool(done)
    assert AuditEvent.objects.filter(actor=pl_worker, action="view", object_type="case", object_id=case.pk).exists()


def test_the_buttons_show_when_there_is_something_to_do(client, case, pl_worker, rows):
    request_url = optional_url("web:family_enrolment_request", case.pk)
    child_url = optional_url("web:child_new", case.pk)
    html = section(client, pl_worker, case).content.decode()
    assert "Request a family assistant" not in html  # the family already has an open enrolment
    assert ("Record a child in difficulty" in html) == bool(child_url)
    type(rows.enrolment).objects.filter(pk=rows.enrolment.pk).update(
        status=EnrolmentStatus.CLOSED, closed_on=DAY, outcome="goals_achieved"
    )
    html = section(client, pl_worker, case).content.decode()
    assert ("Request a family assistant" in html) == bool(request_url)


def test_a_closed_case_offers_no_action(client, case, pl_worker, rows):
    type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=DAY, closure_reason="goals_achieved")
    html = section(client, pl_worker, case).content.decode()
    assert "Request a family assistant" not in html and "Record a child" not in html and "Mark done" not in html


def test_an_empty_case_says_so(client, case, pl_worker):
    html = section(client, pl_worker, case).content.decode()
    assert "No family assistant for this case." in html
    assert "No child in difficulty recorded on this case." in html
    assert "No open follow-up tasks." in html


def test_a_reader_without_the_case_content_gets_no_family_section(client, case, rows, pl_worker2, md_worker):
    assert section(client, pl_worker2, case).status_code == 403
    html = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert 'id="family"' not in html and "Foster family" not in html and "Visit the foster family" not in html
    assert section(client, md_worker, case).status_code == 404


def test_the_blue_card_is_not_on_the_case_page_even_for_its_group(client, case, rows, pl_worker, mother, son):
    card = BlueCard.objects.create(
        centre=case.centre, year=2025, number=3, reference="NK/3/2025", initiator="police", started_on=DAY,
        received_on=DAY, household=case.household, recorded_by=pl_worker,
    )  # fmt: skip
    BlueCardParty.objects.create(card=card, person=mother, role="victim")
    BlueCardMember.objects.create(card=card, user=pl_worker, role="social worker", added_on=DAY)
    client.force_login(pl_worker)
    page = client.get(reverse("web:case_detail", args=[case.pk]), {"open": "family"}).content.decode()
    family = section(client, pl_worker, case).content.decode()
    # The menu's "Blue Cards" link (the procedure exists in the centre) is the only mention: nothing of the card.
    page = page.replace(">Blue Cards</a>", "></a>")
    for html in (page, family):
        assert "NK/3/2025" not in html and "Blue Card" not in html
