"""Demo family work on top of the demo casework (decision 0015), written through the real services:

- PL: families with the family assistant pl-assistant, near the caseload cap (14 active of 15): requested by
  their workers and approved by the director with the family's consent, one ordered by a court, one enrolled
  by law; an activity log over the months, agreed work plans (one with an action due this week), an
  assessment due within the fortnight and one made; a request waiting for the director; a family monitored
  after its work closed. And a Blue Card with pl-worker in its group (only its group and the director see it).
- MD: children in difficulty with their forms of care, a meeting of the commission for the protection of
  children in difficulty that decided a change of care, with follow-up tasks for md-worker and a review due,
  and the next meeting scheduled.
- LT: one of each: a family with lt-assistant, a child in difficulty, a child-rights meeting with its decision.

The demo cases are the casework demo's open household cases; a small demo (few cases) gets fewer families.
The same seed gives the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from socius.accounts.models import Centre, User
from socius.casework.models import Case
from socius.casework.statuses import OPEN_STATUSES
from socius.family import protection, support
from socius.family.bluecards import add_group_member, record_meeting, start_blue_card
from socius.family.models import FamilyEnrolment
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus
from socius.registry.models import Membership

PL_ACTIVE_FAMILIES = 14  # the cap is 15: the assistant is one family short of it


@dataclass
class FamilySummary:
    families: int = 0
    activities: int = 0
    children: int = 0
    meetings: int = 0
    blue_cards: int = 0

    def __str__(self) -> str:
        return (
            f"{self.families} families with an assistant, {self.activities} assistant activities, "
            f"{self.children} children in difficulty, {self.meetings} meetings, {self.blue_cards} Blue Cards"
        )


TEXT = {
    "PL": {
        "reason": "Rodzina ma trudności w prowadzeniu gospodarstwa domowego i w opiece nad dziećmi (wywiad).",
        "court": "Sąd Rejonowy w Piotrkowie Trybunalskim, III Wydział Rodzinny i Nieletnich",
        "statutory": "art. 11 ust. 1a ustawy o wspieraniu rodziny i systemie pieczy zastępczej",
        "items": (
            ("budgeting", "Miesięczny budżet domowy", "Wspólne sporządzenie budżetu i rozliczenie wydatków", "Matka"),
            ("school", "Regularne uczęszczanie dzieci do szkoły", "Kontakt z wychowawcą co dwa tygodnie", "Asystent"),
            ("health", "Szczepienia i bilanse dzieci", "Umówienie wizyt w przychodni", "Matka"),
        ),
        "situation": "Rodzina współpracuje z asystentem; poprawiła się organizacja dnia i gospodarowanie budżetem.",
        "recommendation": "Kontynuować pracę z rodziną; skupić się na obowiązku szkolnym.",
        "notes": "Spotkanie w domu rodziny.",
        "police": ("asp. Marek Nowicki", "Komisariat Policji w Moszczenicy", "dzielnicowy"),
    },
    "MD": {
        "reason": "Familia are dificultăți în îngrijirea copiilor; părinții lucrează peste hotare.",
        "summary": "Evaluarea situației copilului și alegerea formei de protecție.",
        "decision": "Plasament temporar la bunica maternă; sprijin familial și monitorizare lunară.",
        "measures": "Consiliere psihologică; ajutor material pentru rechizite.",
        "task": "Vizită la domiciliul bunicii și raport către comisie",
        "minutes": "Ședința comisiei pentru protecția copilului aflat în dificultate; cvorum întrunit.",
        "carer": "Bunica maternă",
        "member": ("Ana Popa", "Direcția Asistență Socială și Protecție a Familiei", "specialist protecția copilului"),
    },
    "LT": {
        "reason": "Šeimai reikia pagalbos prižiūrint vaikus ir tvarkant buitį.",
        "summary": "Vaiko situacijos aptarimas ir pagalbos priemonės.",
        "decision": "Vaikas lieka šeimoje; šeimai teikiamos socialinės paslaugos ir atvejo vadyba.",
        "measures": "Pozityvios tėvystės mokymai.",
        "task": "Aptarti pagalbos planą su šeima",
        "minutes": "Vaiko teisių apsaugos posėdis.",
        "carer": "",
        "member": ("Rūta Kazlauskienė", "Vaiko teisių apsaugos skyrius", "vaiko teisių specialistė"),
        "items": (("housekeeping", "Buities tvarkymas", "Kartu sudaryti savaitės darbų planą", "Mama"),),
        "situation": "Šeima bendradarbiauja su šeimos asistente.",
        "recommendation": "Tęsti darbą su šeima.",
        "notes": "Susitikimas šeimos namuose.",
    },
}


def _users(centre: Centre) -> dict[str, User]:
    prefix = {"PL": "pl-", "MD": "md-", "LT": "lt-"}[centre.jurisdiction]
    return {u.username.removeprefix(prefix): u for u in User.objects.filter(centre=centre, username__startswith=prefix)}


def _open_cases(centre: Centre) -> list[Case]:
    """The demo's open household cases without a family assistant, oldest first."""
    return list(
        Case.objects.filter(centre=centre, household__isnull=False, status__in=OPEN_STATUSES)
        .exclude(household__family_enrolments__status__in=(EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE))
        .select_related("household", "assigned_worker")
        .order_by("opened_on", "pk")
    )


def _members(household_id: int) -> list[Membership]:
    return list(
        Membership.objects.filter(household_id=household_id, valid_until__isnull=True)
        .select_related("person")
        .order_by("valid_from", "pk")
    )


def _adult(members: list[Membership], on: dt.date):
    """The member who consents: the head, or the eldest member, who lived there on `on`."""
    living = [m for m in members if m.valid_from <= on]
    heads = [m for m in living if m.relationship == "head"]
    chosen = heads or sorted(living, key=lambda m: m.person.birth_date or dt.date.max)
    return chosen[0].person if chosen else None


def _minors(members: list[Membership], on: dt.date) -> list:
    """The household's children on `on`: under 18 and living there that day."""
    adult_born = on.replace(year=on.year - 18) if not (on.month == 2 and on.day == 29) else dt.date(on.year - 18, 3, 1)
    return [
        m.person for m in members if m.valid_from <= on and m.person.birth_date and m.person.birth_date > adult_born
    ]


class _Families:
    """The family assistant programme of one demo centre."""

    def __init__(self, centre: Centre, users: dict[str, User], rng: random.Random, today: dt.date, summary):
        self.centre, self.users, self.rng, self.today, self.summary = centre, users, rng, today, summary
        self.text = TEXT[centre.jurisdiction]

    def enrol(self, case: Case, *, started: dt.date, route: str = EnrolmentRoute.REQUEST) -> FamilyEnrolment | None:
        director, assistant = self.users["director"], self.users["assistant"]
        members = _members(case.household_id)
        # Not before the case, nor before anyone lived in the household (the consent is a member's).
        started = max(started, case.opened_on, min((m.valid_from for m in members), default=started))
        if started > self.today:
            return None
        adult = _adult(members, started)
        if adult is None:
            return None
        consent = support.ConsentInput(person=adult.pk, given_on=started, method="written")
        if route == EnrolmentRoute.REQUEST:
            requested = support.request_enrolment(
                case.assigned_worker,
                case=case,
                reason=self.text["reason"],
                requested_on=max(case.opened_on, started - dt.timedelta(days=7)),
            )
            enrolment = support.approve_enrolment(
                director, requested, assistant=assistant, decided_on=started, consent=consent
            )
        elif route == EnrolmentRoute.COURT_ORDER:
            enrolment = support.enrol_family(
                director, case=case, route=route, assistant=assistant, started_on=started,
                court_name=self.text["court"], court_reference="III Nsm 123/25",
                court_order_on=started - dt.timedelta(days=14), reason=self.text["reason"],
            )  # fmt: skip
        else:
            enrolment = support.enrol_family(
                director, case=case, route=route, assistant=assistant, started_on=started, consent=consent,
                legal_basis=self.text["statutory"], reason=self.text["reason"],
            )  # fmt: skip
        self.summary.families += 1
        return enrolment

    def log(self, enrolment: FamilyEnrolment, count: int) -> None:
        """`count` visits between the start of the work and today, at the family's home mostly."""
        assistant = self.users["assistant"]
        start = enrolment.started_on
        span = max(1, (self.today - start).days)
        days = sorted({start + dt.timedelta(days=span * (k + 1) // (count + 1)) for k in range(count)})
        areas = ["housekeeping", "budgeting", "health", "child_development", "school", "leisure"]
        adult = _adult(_members(enrolment.household_id), start)
        for day in days:
            support.log_activity(
                assistant, enrolment, on=day, minutes=self.rng.choice((60, 90, 120, 150)),
                place=self.rng.choice(("family_home", "family_home", "family_home", "school", "office")),
                areas=self.rng.sample(areas, k=2), family_members=[adult.pk] if adult else [],
                notes=self.text["notes"],
            )  # fmt: skip
            self.summary.activities += 1

    def plan(self, enrolment: FamilyEnrolment, *, first_due: dt.date) -> None:
        """A work plan agreed with the family and the social worker, its first action due on `first_due`."""
        assistant = self.users["assistant"]
        plan = support.draft_work_plan(assistant, enrolment)
        for n, (area, goal, action, who) in enumerate(self.text["items"]):
            support.add_plan_item(
                assistant, plan, area=area, goal=goal, action=action, responsible=who,
                due_on=first_due + dt.timedelta(days=30 * n),
            )  # fmt: skip
        agreed_on = min(enrolment.started_on + dt.timedelta(days=7), self.today)
        adult = _adult(_members(enrolment.household_id), agreed_on)
        support.agree_work_plan(
            assistant, plan, agreed_on=agreed_on, agreed_with=[adult.pk] if adult else [],
            social_worker=enrolment.case.assigned_worker, review_on=agreed_on + dt.timedelta(days=180),
        )  # fmt: skip

    def assess(self, enrolment: FamilyEnrolment, on: dt.date) -> None:
        support.record_assessment(
            self.users["assistant"], enrolment, assessed_on=on, period_from=enrolment.started_on, period_until=on,
            situation=self.text["situation"], recommendation=self.text["recommendation"],
        )  # fmt: skip


def _pl_families(story: _Families, cases: list[Case]) -> list[Case]:
    """14 active families for pl-assistant (one by a court's order, one by law), a request waiting for the
    director and a family in monitoring; returns the cases left."""
    today = story.today
    active = cases[:PL_ACTIVE_FAMILIES]
    for index, case in enumerate(active):
        # The first family's assessment is due within the fortnight (six months less ten days ago, never assessed).
        started = today - dt.timedelta(days=173 if index == 0 else 30 + 9 * index)
        route = {3: EnrolmentRoute.COURT_ORDER, 5: EnrolmentRoute.STATUTORY}.get(index, EnrolmentRoute.REQUEST)
        enrolment = story.enrol(case, started=started, route=route)
        if enrolment is None:
            continue
        story.log(enrolment, 6 if index < 2 else 2)
        if index in (0, 1, 2):
            story.plan(enrolment, first_due=today + dt.timedelta(days=3 + index * 10))
        if index == 1 and (today - enrolment.started_on).days > 40:
            story.assess(enrolment, today - dt.timedelta(days=10))
    rest = cases[PL_ACTIVE_FAMILIES:]
    if rest:  # a request waiting for the director
        case = rest.pop(0)
        support.request_enrolment(
            case.assigned_worker, case=case, reason=story.text["reason"], requested_on=today - dt.timedelta(days=2)
        )
    if rest:  # a family whose work closed three weeks ago, its goals achieved: monitored for the period the law gives
        case = rest.pop(0)
        enrolment = story.enrol(case, started=today - dt.timedelta(days=240))
        if enrolment is not None:
            story.log(enrolment, 3)
            support.close_work(
                story.users["assistant"], enrolment, closed_on=today - dt.timedelta(days=21), outcome="goals_achieved"
            )
    return rest


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _children_and_meeting(story: _Families, cases: list[Case], *, body: str, count: int, change: bool) -> None:
    """Up to `count` children in difficulty (md-/lt-worker responsible), put to a meeting held a week ago that
    decided on each (one change of care when `change`), with a follow-up task and a review due for the worker;
    and the next meeting scheduled."""
    users, today, text = story.users, story.today, story.text
    worker, director, teamlead = users["worker"], users["director"], users.get("teamlead")
    children = []
    for case in cases:
        if len(children) >= count:
            break
        identified = max(case.opened_on, today - dt.timedelta(days=60))
        minors = _minors(_members(case.household_id), identified)
        if not minors:
            continue
        record = protection.record_child(
            case.assigned_worker, case=case, child=minors[-1].pk, responsible_worker=worker,
            risks=story.rng.sample(["neglect", "parents_abroad", "abandonment"], k=1 + len(children) % 2),
            identified_on=identified, form_of_care="own_family", care_from=identified,
        )  # fmt: skip
        children.append(record)
        story.summary.children += 1
    if not children:
        return
    held = today - dt.timedelta(days=7)
    name, institution, role = text["member"]
    members = [protection.MemberInput(user=director, role="chair"), protection.MemberInput(user=worker)]
    if teamlead is not None:
        members.append(protection.MemberInput(user=teamlead))
    members.append(protection.MemberInput(name=name, role=f"{role}, {institution}"))
    meeting = protection.schedule_meeting(
        director, body=body, scheduled_at=_aware(held, 10), place=story.centre.name, chair=director, members=members
    )
    items = [
        protection.put_on_agenda(record.case.assigned_worker, meeting, case=record.case, summary=text["summary"],
                                 child=record.pk)
        for record in children
    ]  # fmt: skip
    protection.record_attendance(director, meeting, present_member_ids=meeting.members.values_list("pk", flat=True))
    for n, item in enumerate(items):
        changes = change and n == 0
        task = protection.TaskInput(
            assigned_to=worker, description=text["task"], due_on=today + dt.timedelta(days=4 + 7 * n)
        )
        protection.record_decision(
            director, item, text=text["decision"], support_measures=text["measures"],
            form_of_care="extended_family" if changes else "",
            care_from=held + dt.timedelta(days=1) if changes else None,
            review_on=today + dt.timedelta(days=10 + 20 * n), tasks=[task],
        )  # fmt: skip
    protection.hold_meeting(director, meeting, held_on=held, minutes=text["minutes"])
    protection.schedule_meeting(
        director, body=body, scheduled_at=_aware(today + dt.timedelta(days=21), 10), place=story.centre.name,
        chair=director, members=members,
    )  # fmt: skip
    story.summary.meetings += 2


def _blue_card(story: _Families, cases: list[Case]) -> None:
    """A Blue Card started by the police for one family, pl-worker in its group with a police officer."""
    worker, today = story.users["worker"], story.today
    for case in cases:
        members = _members(case.household_id)
        adults = [m.person for m in members if m.person not in _minors(members, today)]
        if len(adults) < 2:
            continue
        card = start_blue_card(
            worker, initiator="police", started_on=today - dt.timedelta(days=12),
            received_on=today - dt.timedelta(days=11), victims=[adults[1].pk], suspects=[adults[0].pk],
            household=case.household_id, initiator_institution=story.text["police"][1],
        )  # fmt: skip
        name, institution, role = story.text["police"]
        officer = add_group_member(
            worker, card, on=today - dt.timedelta(days=10), name=name, institution=institution, role=role
        )
        record_meeting(
            worker, card, held_on=today - dt.timedelta(days=5), notes="Pierwsze posiedzenie grupy.",
            present=[card.members.get(user=worker).pk, officer.pk], next_meeting_on=today + dt.timedelta(days=25),
        )  # fmt: skip
        story.summary.blue_cards += 1
        return


def load_family_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> FamilySummary:
    """Write the demo family work of one demo centre (see the module's docstring)."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{centre.jurisdiction}-family")
    summary = FamilySummary()
    users = _users(centre)
    if not {"worker", "assistant", "director"} <= set(users):
        return summary
    story = _Families(centre, users, rng, today, summary)
    cases = _open_cases(centre)
    if centre.jurisdiction == "PL":
        rest = _pl_families(story, cases)
        _blue_card(story, rest or cases)
    elif centre.jurisdiction == "MD":
        _children_and_meeting(story, cases, body="md_commission", count=3, change=True)
    elif centre.jurisdiction == "LT" and cases:
        enrolment = story.enrol(cases[0], started=today - dt.timedelta(days=60))
        if enrolment is not None:
            story.log(enrolment, 3)
            story.plan(enrolment, first_due=today + dt.timedelta(days=5))
        _children_and_meeting(story, cases, body="lt_child_rights", count=1, change=False)
    return summary
