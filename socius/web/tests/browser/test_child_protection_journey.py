"""Browser: child protection (issue 10) — `md-worker` records a child in difficulty on a case, schedules a
commission meeting, puts the child's case on the agenda, records the attendance and a decision of form of care
with a follow-up task, holds the meeting and prints the minutes; then sees the follow-up on the tasks page and
the new form of care, current, on the child's page. Screenshots in Romanian (the centre's language) and English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.demo import CENTRE_CODES
from socius.accounts.models import Centre, User
from socius.family.models import ChildInDifficulty, FollowUpTask, Meeting, MeetingDecision, Placement
from socius.registry.models import Household, Membership, Person
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo


def _family_case(worker: User):
    """A case of the worker's for a mother and her 10-year-old son (made here, so the test does not depend on
    which children the demo holds)."""
    from socius.casework.models import Case, CaseStatus
    from socius.casework.tests.factories import CaseFactory

    centre = Centre.objects.get(code=CENTRE_CODES["MD"])
    household = Household.objects.create(centre=centre, street_address="str. Păcii 12")
    mother = Person.objects.create(
        centre=centre, first_name="Natalia", last_name="Vrabie", birth_date=dt.date(1987, 2, 3), sex="F"
    )
    son = Person.objects.create(
        centre=centre,
        first_name="Mihai",
        last_name="Vrabie",
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 10, day=1),
        sex="M",
    )
    Membership.objects.create(household=household, person=mother, relationship="head", valid_from=dt.date(2020, 1, 1))
    Membership.objects.create(household=household, person=son, relationship="child", valid_from=dt.date(2020, 1, 1))
    team = worker.teams.first()
    number = (
        Case.objects.filter(centre=centre, year=2026).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    case = CaseFactory(
        centre=centre, household=household, assigned_worker=worker, status=CaseStatus.ACTIVE, year=2026, number=number,
        reference=f"2026/{number:04d}", **({"team": team} if team else {}),
    )  # fmt: skip
    return case, son


@pytest.mark.parametrize("language", ["ro", "en"])
def test_md_worker_takes_a_child_to_the_commission_and_sees_the_follow_up(page: Page, demo, language):
    from socius.web.tests.test_pdf_views import pdf_text

    User.objects.filter(username="md-worker").update(language=language)
    worker = User.objects.get(username="md-worker")
    case, son = _family_case(worker)
    today = timezone.localdate()
    meeting_day = today + dt.timedelta(days=2)
    log_in(page, "md-worker")

    # 1. The child in difficulty, recorded from the case.
    page.goto(f"/cases/{case.pk}/children/new/")
    page.locator("#id_child").select_option(str(son.pk))
    page.locator("input[name=risks][value=parents_abroad]").check()
    page.locator("input[name=risks][value=neglect]").check()
    page.locator("#id_form_of_care").select_option("extended_family")
    page.locator("#id_carer").fill("Bunica, Ana Vrabie")
    shot(page, f"child-protection-record-{language}")
    page.locator("#child-save").click()
    record = ChildInDifficulty.objects.get(child=son)
    expect(page).to_have_url(re.compile(rf"/children/{record.pk}/$"))
    expect(page.locator("#child-current-care")).to_be_visible()

    # 2. The calendar, and a meeting of the commission scheduled from it.
    page.goto("/meetings/")
    expect(page.locator("#month-grid")).to_be_visible()
    page.locator("#meeting-new").click()
    page.locator("#meeting_body").select_option("md_commission")
    page.locator("#meeting_on").fill(meeting_day.isoformat())
    page.locator("#meeting_at").fill("10:00")
    page.locator("#meeting_place").fill("Primăria Dubăsari, sala 2")
    director = User.objects.get(username="md-director")
    page.locator(f"input[name=staff][value='{director.pk}']").check()
    page.locator(f"input[name=staff][value='{worker.pk}']").check()
    page.locator("#id_external-0-name").fill("Elena Popa")
    page.locator("#id_external-0-role").fill("medic de familie")
    page.locator("#meeting-save").click()
    meeting = Meeting.objects.get(centre=case.centre, place="Primăria Dubăsari, sala 2")
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))

    # The calendar shows it on its day, reachable with the keyboard.
    page.goto(f"/meetings/?month={meeting_day:%Y-%m}")
    day_link = page.locator(f"td[data-day='{meeting_day.isoformat()}'] a[href='/meetings/{meeting.pk}/']")
    expect(day_link).to_be_visible()
    page.locator("#month-grid td[tabindex='0']").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#month-grid td[tabindex='0']")).to_be_focused()
    shot(page, f"child-protection-calendar-{language}")
    day_link.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    page.wait_for_load_state()

    # 3. The child's case put forward: searched by the family's name, the child chosen.
    page.locator("#agenda-add > summary").click()
    page.locator("#agenda_case_q").fill("Vrabie")
    with page.expect_response(re.compile(r"/agenda/\?case_q=Vrabie")):
        page.locator("#agenda-add form[role=search] button").click()
    # htmx swapped the section in: the picker lists the family's case alone (after "Choose…").
    expect(page.locator("#agenda_case option")).to_have_count(2)
    expect(page.locator(f"#agenda_case option[value='{case.pk}']")).to_have_count(1)
    page.locator("#agenda_case").select_option(str(case.pk))
    page.locator("#agenda_child").select_option(str(record.pk))
    page.locator("#agenda_summary").fill("Mama lucrează peste hotare; propunem tutelă la bunică și sprijin.")
    with page.expect_response(f"**/meetings/{meeting.pk}/agenda/"):
        page.locator("#agenda-save").click()
    expect(page.locator("#meeting-notice")).to_be_visible()
    item = meeting.agenda.get()

    # 4. Attendance: everyone present; the quorum line says so.
    for box in page.locator("#attendance-form input[name=present]").all():
        box.check()
    with page.expect_response(f"**/meetings/{meeting.pk}/attendance/"):
        page.locator("#attendance-save").click()
    expect(page.locator("#meeting-notice")).to_be_visible()
    expect(page.locator("#quorum-line")).to_contain_text("3")

    # 5. The decision: a foster family from the day after the meeting, and a follow-up task for the worker.
    prefix = f"d{item.pk}"
    page.locator(f"#item-{item.pk} details > summary").click()
    page.locator(f"#id_{prefix}-text").fill("Plasament temporar în familie de asistență parentală profesionistă.")
    page.locator(f"#id_{prefix}-form_of_care").select_option("foster_family")
    page.locator(f"#id_{prefix}-care_from").fill((meeting_day + dt.timedelta(days=1)).isoformat())
    page.locator(f"#id_{prefix}-support_measures").fill("Consiliere psihologică; legătura cu mama")
    page.locator(f"#id_{prefix}-responsible").select_option(str(worker.pk))
    page.locator(f"#id_{prefix}-review_on").fill((meeting_day + dt.timedelta(days=90)).isoformat())
    page.locator(f"#id_{prefix}-tasks-0-description").fill("Vizită la familia de asistență parentală")
    page.locator(f"#id_{prefix}-tasks-0-assigned_to").select_option(str(worker.pk))
    page.locator(f"#id_{prefix}-tasks-0-due_on").fill((meeting_day + dt.timedelta(days=14)).isoformat())
    shot(page, f"child-protection-decision-form-{language}")
    with page.expect_response(f"**/agenda-items/{item.pk}/decision/"):
        page.locator(f"#decision-save-{item.pk}").click()
    expect(page.locator(f"#item-{item.pk} .decision")).to_be_visible()
    decision = MeetingDecision.objects.get(item=item)
    assert decision.form_of_care == "foster_family"

    # 6. Held, with its minutes; the minutes print in the centre's language (Romanian).
    page.locator("#hold_minutes").fill("Ședința a examinat cazul copilului Mihai Vrabie și a decis plasamentul.")
    with page.expect_response(f"**/meetings/{meeting.pk}/hold/"):
        page.locator("#hold-save").click()
    expect(page.locator("#minutes")).to_be_visible()
    shot(page, f"child-protection-meeting-{language}")
    with page.expect_download() as download:
        page.locator(".pdf-form button").click()
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    (journeys.SCREENSHOTS / f"child-protection-minutes-{language}.pdf").write_bytes(content)
    text = " ".join(pdf_text(content).split())
    assert "Mihai Vrabie" in text and "Elena Popa" in text
    assert "Vizită la familia de asistență parentală" in text

    # 7. The follow-up: on the tasks page, and the new form of care current on the child's page.
    task = FollowUpTask.objects.get(decision=decision)
    page.goto("/tasks/")
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("Vizită la familia de asistență parentală")
    shot(page, f"child-protection-tasks-{language}")
    page.goto(f"/children/{record.pk}/")
    current = Placement.objects.get(record=record, valid_until__isnull=True)
    assert current.form == "foster_family" and current.decision_id == decision.pk
    expect(page.locator(f"#placement-{current.pk}")).to_have_class(re.compile("current"))
    expect(page.locator(".care-timeline li")).to_have_count(2)
    shot(page, f"child-protection-child-{language}")

    # 8. And on the case page (its "Family and children" section, helper familydesk): the decision, the child's
    # new form of care and the open follow-up task.
    page.goto(f"/cases/{case.pk}/?open=family#family")
    section = page.locator("#family")
    expect(section.locator(f"#task-{task.pk}")).to_contain_text("Vizită la familia de asistență parentală")
    expect(section.locator(f"#agenda-{item.pk}")).to_contain_text("Plasament temporar")
    expect(section.locator(f"#child-{record.pk}")).to_be_visible()
    shot(page, f"child-protection-case-{language}")
