"""Demo casework on top of the demo registry: contacts, cases, visits, social work, interviews, help plans,
social contracts and referrals for each demo centre, written through the real services (so every row
has its timeline events and audit rows), in the centre's language, with the same seed giving the same
story. The timeline events are dated to the story's days (services stamp them with the clock).

The named demo persons that the browser tests use (`registry.demo.generator` FixedPerson) are left out,
so those tests start from a clean record.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from socius.accounts import demo as accounts_demo
from socius.accounts.models import Centre, User
from socius.assessments import services as assessment_services
from socius.assessments.answers import instrument_in_force
from socius.assessments.models import AssessmentEvent
from socius.casework import services as casework_services
from socius.casework import statutory
from socius.casework.models import CaseEvent
from socius.casework.services import referrals as referral_services
from socius.casework.services.activities import eligible_participants
from socius.plans import services as plan_services
from socius.plans.models import PlanEvent, variants_for
from socius.plans.services.contracts import case_client_ids
from socius.registry.demo.generator import PROFILES
from socius.registry.models import Household, Membership
from socius.registry.selectors import current_memberships

MAX_CASES_PER_CENTRE = 18
PERSONS_PER_CASE = 150  # a small demo (the browser tests load 30 persons a centre) gets one case


@dataclass(frozen=True)
class Phrases:
    partners: tuple[tuple[str, str], ...]  # (kind, name)
    purpose: str
    outcomes: tuple[str, ...]
    needs: str
    diagnosis: str
    conclusions: str
    plan_title: str
    goals: tuple[tuple[str, tuple[str, ...]], ...]  # (goal, actions)
    causes: str
    strengths: str
    obligation_client: str
    obligation_centre: str
    referral_reasons: tuple[str, ...]
    breach: str
    notes: tuple[str, ...]


PHRASES = {
    "PL": Phrases(
        partners=(
            ("school", "Szkoła Podstawowa w Moszczenicy"),
            ("police", "Komisariat Policji w Moszczenicy"),
            ("health_service", "Ośrodek Zdrowia w Moszczenicy"),
            ("labour_office", "Powiatowy Urząd Pracy w Piotrkowie Trybunalskim"),
        ),
        purpose="Rozpoznanie sytuacji rodziny i aktualizacja wywiadu.",
        outcomes=(
            "Rodzina współpracuje, warunki mieszkaniowe bez zmian.",
            "Klient zarejestrował się w urzędzie pracy.",
            "Omówiono budżet domowy; zaległości w opłatach maleją.",
            "Dziecko uczęszcza regularnie do szkoły.",
        ),
        needs="Pomoc w opłaceniu opału na zimę; wsparcie w poszukiwaniu pracy.",
        diagnosis="Ubóstwo i długotrwałe bezrobocie; rodzina wydolna wychowawczo.",
        conclusions="Zasiłek celowy na opał, praca socjalna, kontrakt socjalny z klientem.",
        plan_title="Plan pomocy rodzinie",
        goals=(
            ("Podjęcie zatrudnienia przez klienta.", ("Rejestracja w urzędzie pracy.", "Udział w klubie pracy.")),
            ("Uregulowanie zaległości w opłatach.", ("Ustalenie planu spłaty z administracją budynku.",)),
        ),
        causes="Utrata pracy przez głównego żywiciela rodziny.",
        strengths="Motywacja do zmiany, wsparcie dalszej rodziny.",
        obligation_client="Zarejestrować się w urzędzie pracy i zgłaszać się na wyznaczone terminy.",
        obligation_centre="Udzielić pomocy w formie zasiłku celowego i poradnictwa.",
        referral_reasons=("Opinia szkoły o sytuacji dziecka.", "Konsultacja lekarska.", "Oferty pracy dla klienta."),
        breach="Klient nie zgłosił się w urzędzie pracy w wyznaczonym terminie.",
        notes=("Rozmowa telefoniczna z klientem.", "Informacja o terminie wizyty.", "Pytanie o zasiłek celowy."),
    ),
    "MD": Phrases(
        partners=(
            ("school", "Gimnaziul din Coșnița"),
            ("police", "Inspectoratul de Poliție Dubăsari"),
            ("health_service", "Centrul de Sănătate Coșnița"),
            ("labour_office", "Agenția pentru Ocuparea Forței de Muncă"),
        ),
        purpose="Evaluarea situației familiei la domiciliu.",
        outcomes=(
            "Familia colaborează; condițiile de trai sunt modeste.",
            "Beneficiarul s-a înregistrat la agenția de ocupare.",
            "S-a discutat bugetul familiei și plata facturilor.",
            "Copilul frecventează regulat școala.",
        ),
        needs="Ajutor pentru lemne de foc; sprijin în căutarea unui loc de muncă.",
        diagnosis="Sărăcie și lipsa unui loc de muncă; familia își îngrijește bine copiii.",
        conclusions="Ajutor bănesc din fondul local, consiliere, plan individualizat de asistență.",
        plan_title="Plan individualizat de asistență",
        goals=(
            ("Angajarea beneficiarului.", ("Înregistrare la agenția de ocupare.", "Participare la cursuri.")),
            ("Achitarea datoriilor la servicii comunale.", ("Stabilirea unui grafic de plată.",)),
        ),
        causes="Pierderea locului de muncă de către capul familiei.",
        strengths="Dorința de schimbare, sprijinul rudelor.",
        obligation_client="Să se înregistreze la agenția de ocupare și să se prezinte la termenele stabilite.",
        obligation_centre="Să acorde ajutor bănesc unic și consiliere.",
        referral_reasons=("Informații de la școală despre copil.", "Consultație medicală.", "Oferte de muncă."),
        breach="Beneficiarul nu s-a prezentat la agenția de ocupare la termen.",
        notes=("Discuție telefonică cu beneficiarul.", "Informare despre vizită.", "Întrebare despre ajutorul social."),
    ),
    "LT": Phrases(
        partners=(
            ("school", "Šalčininkų gimnazija"),
            ("police", "Šalčininkų rajono policijos komisariatas"),
            ("health_service", "Šalčininkų pirminės sveikatos priežiūros centras"),
            ("labour_office", "Užimtumo tarnybos Vilniaus klientų aptarnavimo departamentas"),
        ),
        purpose="Šeimos buities ir gyvenimo sąlygų patikrinimas.",
        outcomes=(
            "Šeima bendradarbiauja, gyvenimo sąlygos nepasikeitė.",
            "Asmuo užsiregistravo Užimtumo tarnyboje.",
            "Aptartas šeimos biudžetas ir mokesčių skolos.",
            "Vaikas reguliariai lanko mokyklą.",
        ),
        needs="Pagalba apmokant kurą žiemai; pagalba ieškant darbo.",
        diagnosis="Nepakankamos pajamos ir ilgalaikis nedarbas; šeima rūpinasi vaikais.",
        conclusions="Vienkartinė pašalpa, socialinis darbas, socialinė sutartis su asmeniu.",
        plan_title="Individualus pagalbos planas",
        goals=(
            ("Asmens įsidarbinimas.", ("Registracija Užimtumo tarnyboje.", "Dalyvavimas mokymuose.")),
            ("Mokesčių skolų sureguliavimas.", ("Skolos grąžinimo grafiko sudarymas.",)),
        ),
        causes="Pagrindinio šeimos maitintojo darbo netekimas.",
        strengths="Motyvacija keistis, artimųjų parama.",
        obligation_client="Užsiregistruoti Užimtumo tarnyboje ir atvykti nustatytu laiku.",
        obligation_centre="Suteikti vienkartinę pašalpą ir konsultacijas.",
        referral_reasons=("Mokyklos informacija apie vaiką.", "Gydytojo konsultacija.", "Darbo pasiūlymai."),
        breach="Asmuo neatvyko į Užimtumo tarnybą nustatytu laiku.",
        notes=("Pokalbis telefonu su asmeniu.", "Informacija apie apsilankymą.", "Klausimas dėl pašalpos."),
    ),
}


# Employment statuses and disability degrees that make "unemployment" and "disability" plausible reasons.
UNEMPLOYED = {"unemployed_registered", "unemployed_unregistered"}
DISABLED = {"mild", "moderate", "severe", "child"}


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _when(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Story:
    """Writes one centre's casework through the services and dates each new timeline event."""

    def __init__(self, centre: Centre, rng: random.Random, today: dt.date):
        self.centre, self.rng, self.today = centre, rng, today
        self.jurisdiction = centre.jurisdiction
        self.text = PHRASES[self.jurisdiction]
        prefix = accounts_demo.USERNAME_PREFIXES[self.jurisdiction]
        users = {u.username: u for u in User.objects.filter(centre=centre)}
        self.worker, self.teamlead = users[f"{prefix}worker"], users[f"{prefix}teamlead"]
        self.assistant = users[f"{prefix}assistant"]
        self.partners = [
            referral_services.create_partner(self.teamlead, {"name": name, "kind": kind})
            for kind, name in self.text.partners
        ]
        self.topics = [item.code for item in statutory.contact_topics(self.jurisdiction)]

    # --- dating the timeline ---------------------------------------------------------------------

    def _marks(self) -> tuple[int, int, int]:
        return tuple(m.objects.aggregate(n=Max("id"))["n"] or 0 for m in (CaseEvent, AssessmentEvent, PlanEvent))

    def dated(self, when: dt.datetime, call, *args, **kwargs):
        """Call a service, then date the timeline events it wrote to `when` (the story's moment)."""
        marks = self._marks()
        result = call(*args, **kwargs)
        for model, mark in zip((CaseEvent, AssessmentEvent, PlanEvent), marks, strict=True):
            model.objects.filter(id__gt=mark).update(at=when)
        return result

    def day_after(self, day: dt.date, low: int, high: int) -> dt.date:
        return min(self.today, day + dt.timedelta(days=self.rng.randint(low, high)))

    # --- one case ----------------------------------------------------------------------------------

    def case(self, household: Household, members: list, holder: User, index: int) -> None:
        rng, today, text = self.rng, self.today, self.text
        # The first cases are the oldest, so that even a small demo has a full story (plan, contract, breach).
        opened_on = today - dt.timedelta(days=max(12, 320 - 17 * index - rng.randint(0, 10)))
        head = members[0]
        circumstances = self.circumstances(members, opened_on)
        casework_services.record_contact(
            holder,
            {
                "occurred_at": _when(opened_on, 9, rng.randint(0, 59)),
                "channel": rng.choice(("office", "phone")),
                "persons": [head.pk],
                "household": household.pk,
                "topics": rng.sample(self.topics, k=2),
                "outcomes": ["information_given", "case_opened"],
                "notes": rng.choice(text.notes),
            },
        )
        case = self.dated(
            _when(opened_on, 10),
            casework_services.open_case,
            holder,
            {"household": household.pk, "circumstances": circumstances, "opened_on": opened_on},
        )
        active_on = self.day_after(opened_on, 0, 3)
        self.dated(_when(active_on, 11), casework_services.change_case_status, holder, case.pk, "active", on=active_on)

        # Home visits: done ones, then one planned (this week, or overdue for a few cases). Their time of day
        # follows the case's index, not the random generator, so the rest of the demo stays as it was.
        day = active_on
        visit_time = dt.time(9 + index % 6, 30 if index % 2 else 0)
        for _ in range(rng.randint(1, 4)):
            day = day + dt.timedelta(days=rng.randint(7, 40))
            if day > today - dt.timedelta(days=2):
                break
            visit = self.dated(
                _when(day - dt.timedelta(days=3), 12),
                casework_services.plan_visit,
                holder,
                case.pk,
                {"planned_on": day, "planned_time": visit_time, "purpose": text.purpose},
            )
            self.dated(
                _when(day, 15),
                casework_services.record_visit_done,
                holder,
                visit.pk,
                {"done_on": day, "done_time": visit_time, "outcome": rng.choice(text.outcomes)},
            )
        planned = today + dt.timedelta(days=rng.randint(0, 6)) if index % 4 else today - dt.timedelta(days=3)
        if planned >= case.opened_on:
            self.dated(
                _when(min(today, planned), 8),
                casework_services.plan_visit,
                holder,
                case.pk,
                {"planned_on": planned, "planned_time": visit_time, "purpose": text.purpose},
            )
        for _ in range(rng.randint(1, 3)):
            done = self.day_after(active_on, 1, 200)
            self.dated(
                _when(done, 13),
                casework_services.record_activity,
                holder,
                case.pk,
                {
                    "type": rng.choice(("information", "guidance", "counselling", "supportive_conversation")),
                    "performed_on": done,
                    "duration_minutes": rng.choice((15, 30, 45, 60)),
                    "participants": eligible_participants(case, done)[:2],  # members on that day
                    "notes": rng.choice(text.outcomes),
                },
            )

        # The interview: completed and signed when the case is old enough, else a draft (some overdue).
        need_on = self.day_after(opened_on, 0, 2)
        assessment = self.dated(
            _when(need_on, 9),
            assessment_services.start_assessment,
            holder,
            case.pk,
            kind="initial",
            need_identified_on=need_on,
        )
        answers = self.answers(assessment, household, members, need_on)
        self.dated(
            _when(need_on, 14),
            assessment_services.save_draft,
            holder,
            assessment.pk,
            answers,
            diagnosis=text.diagnosis,
            conclusions=text.conclusions,
        )
        if (today - opened_on).days < 30:
            return
        completed_on = self.day_after(need_on, 3, 10)
        self.dated(
            _when(completed_on, 16), assessment_services.complete_assessment, holder, assessment.pk, on=completed_on
        )
        self.dated(
            _when(completed_on, 16, 30), assessment_services.sign_assessment, holder, assessment.pk, completed_on
        )

        # The help plan, built on the interview, with goals and actions (some due, some late).
        plan_on = self.day_after(completed_on, 1, 5)
        plan = self.dated(
            _when(plan_on, 10),
            plan_services.create_plan,
            holder,
            case.pk,
            {"title": text.plan_title, "valid_from": plan_on, "review_on": plan_on + dt.timedelta(days=180)},
        )
        for goal_text, actions in text.goals:
            goal = self.dated(_when(plan_on, 10, 10), plan_services.add_goal, holder, plan.pk, description=goal_text)
            for action in actions:
                due = today + dt.timedelta(days=rng.randint(-10, 40))
                self.dated(
                    _when(plan_on, 10, 20),
                    plan_services.add_action,
                    holder,
                    goal.pk,
                    {"kind": "social_work", "description": action, "responsible": "client", "due_on": due},
                )
        self.dated(_when(plan_on, 11), plan_services.change_plan_status, holder, plan.pk, "active")

        if index % 3 == 0:
            self.contract(case, head, holder, plan_on, breach=index == 0)
        if index % 4 == 1:
            sent_on = self.day_after(plan_on, 1, 20)
            self.dated(
                _when(sent_on, 9),
                referral_services.create_referral,
                holder,
                case.pk,
                {
                    "direction": "outgoing",
                    "partner": rng.choice(self.partners).pk,
                    "reason": rng.choice(text.referral_reasons),
                    "sent_on": sent_on,
                },
            )
        if index % 7 == 2 and (today - plan_on).days > 60:
            closed_on = self.day_after(plan_on, 40, 60)
            self.dated(
                _when(closed_on, 15),
                casework_services.change_case_status,
                holder,
                case.pk,
                "closed",
                reason="goals_achieved",
                on=closed_on,
            )

    def circumstances(self, members: list, on: dt.date) -> list[str]:
        """The reasons for help the household's own facts support: poverty, and what its members' employment,
        disability, age and children show (never a reason the family's story contradicts, such as orphanhood
        for a working mother). The sensitive ones (violence, addiction) are left to the worker."""
        items = statutory.circumstances(self.jurisdiction, on=on)
        offered = {i.code for i in items} - set(statutory.sensitive_codes(items))
        adults = [p for p in members if p.birth_date is None or _age(p.birth_date, on) >= 18]
        children = [p for p in members if p.birth_date is not None and _age(p.birth_date, on) < 18]
        wanted = ["poverty"]
        if any(p.employment_status in UNEMPLOYED for p in adults):
            wanted += ["unemployment", "labour_market_inactivity"]
        if any(p.disability_degree in DISABLED for p in members):
            wanted.append("disability")
        if adults and all(p.birth_date is not None and _age(p.birth_date, on) >= 70 for p in adults):
            wanted.append("old_age")
        if len(children) >= 3:
            wanted += ["maternity_large_family", "large_family"]
        elif children and len(adults) == 1:
            wanted.append("single_parent_family")
        chosen = [code for code in dict.fromkeys(wanted) if code in offered]
        return chosen[:2] or sorted(offered)[:1]

    def contract(self, case, head, holder: User, day: dt.date, *, breach: bool) -> None:
        text, today = self.text, self.today
        # A contract runs for 120 days: one signed long ago would have ended, so the story's contracts are recent
        # (the breached one ended by its breach a few days ago, its unmet obligation due two weeks before).
        day = max(day, today - dt.timedelta(days=45 if breach else 90))
        clients = case_client_ids(case, day)  # the household's members on that day
        if not clients:
            return
        client = head.pk if head.pk in clients else min(clients)
        contract = self.dated(
            _when(day, 12),
            plan_services.draft_contract,
            holder,
            case.pk,
            {
                "variant": variants_for(self.jurisdiction)[0],
                "clients": [client],
                "causes": text.causes,
                "strengths": text.strengths,
                "limitations": "",
                "goals": text.goals[0][0],
                "valid_from": day,
                "valid_until": day + dt.timedelta(days=120),
            },
        )
        due = day + dt.timedelta(days=30)
        if breach:
            due = max(day + dt.timedelta(days=5), min(today - dt.timedelta(days=14), day + dt.timedelta(days=20)))
        obligation = self.dated(
            _when(day, 12, 10),
            plan_services.add_obligation,
            holder,
            contract.pk,
            party="client",
            description=text.obligation_client,
            due_on=due,
        )
        self.dated(
            _when(day, 12, 20),
            plan_services.add_obligation,
            holder,
            contract.pk,
            party="centre",
            description=text.obligation_centre,
        )
        self.dated(_when(day, 13), plan_services.sign_contract, holder, contract.pk, day)
        self.dated(_when(day, 13, 5), plan_services.start_contract, holder, contract.pk, on=day)
        if due < today and not breach:  # an obligation already due was met: nothing left stale on the desk
            self.dated(_when(due, 15), plan_services.mark_obligation, holder, obligation.pk, is_done=True)
        if breach:
            breached_on = self.day_after(due, 7, 10)
            self.dated(
                _when(breached_on, 14),
                plan_services.record_breach,
                holder,
                contract.pk,
                reasons=text.breach,
                consequence="suspend_cash_aid",
                on=breached_on,
            )

    def answers(self, assessment, household: Household, members: list, day: dt.date) -> dict:
        """Every required field of the instrument's mandatory sections, filled in plausibly."""
        instrument = instrument_in_force(self.jurisdiction, assessment.need_identified_on, assessment.instrument_code)
        text = self.text
        by_code = {"needs": text.needs, "needs_expectations": text.needs, "diagnosis": text.diagnosis}
        by_code |= {"conclusions": text.conclusions, "worker_conclusions": text.conclusions}
        by_code |= {"help_plan": text.conclusions}
        answers: dict[str, dict] = {}
        for section in instrument.sections:
            if not section.is_mandatory(assessment.kind):
                continue
            values = {}
            for field in section.fields:
                if not field.required:
                    continue
                if field.type == "date":
                    values[field.code] = day.isoformat()
                elif field.type == "integer":
                    values[field.code] = str(len(members))
                elif field.type in ("choice", "multi_choice"):
                    first = field.option_codes()[0]
                    values[field.code] = first if field.type == "choice" else [first]
                elif field.type == "boolean":
                    values[field.code] = False
                elif field.type == "decimal":
                    values[field.code] = "0"
                elif "name" in field.code:
                    values[field.code] = members[0].full_name
                elif "address" in field.code:
                    values[field.code] = household.street_address or members[0].street_address or "—"
                elif field.code == "family_members":
                    values[field.code] = "\n".join(f"{m.full_name}, {m.birth_date or '—'}" for m in members)
                else:
                    values[field.code] = by_code.get(field.code, text.needs)
            answers[section.code] = values
        return answers


def load_casework_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> int:
    """Write the demo casework of one demo centre; returns the number of cases opened."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{centre.jurisdiction}-casework")
    story = _Story(centre, rng, today)
    fixed = {(p.first_name, p.last_name) for group in PROFILES[centre.jurisdiction].fixed for p in group}
    members: dict[int, list] = {}
    current = (
        current_memberships()
        .filter(household__centre=centre)
        .select_related("person", "household")
        .order_by("household_id", "pk")
    )
    for membership in current:  # the head first in each household
        group = members.setdefault(membership.household_id, [])
        group.insert(0 if membership.relationship == "head" else len(group), membership)
    chosen = [
        (group[0].household, [m.person for m in group])
        for group in members.values()
        if len(group) >= 2 and not any((m.person.first_name, m.person.last_name) in fixed for m in group)
    ]
    rng.shuffle(chosen)
    persons = Membership.objects.filter(household__centre=centre).count()
    chosen = chosen[: min(MAX_CASES_PER_CENTRE, max(1, persons // PERSONS_PER_CASE), len(chosen))]
    holders = [story.worker] * 6 + [story.teamlead, story.assistant]
    for index, (household, members) in enumerate(chosen):
        story.case(household, members, holders[index % len(holders)], index)
    # The front desk also hears people who never get a case, some of them anonymously.
    others = [m.person for m in Membership.objects.filter(household__centre=centre).select_related("person")[:40]]
    for n in range(min(12, len(others) + 4)):
        person = rng.choice(others) if others and n % 3 else None
        if person is not None and (person.first_name, person.last_name) in fixed:
            person = None
        casework_services.record_contact(
            story.worker,
            {
                "occurred_at": _when(today - dt.timedelta(days=rng.randint(1, 30)), rng.randint(8, 15)),
                "channel": rng.choice(("office", "phone", "email", "letter")),
                "persons": [person.pk] if person else [],
                "topics": rng.sample(story.topics, k=1),
                "outcomes": ["information_given"],
                "notes": rng.choice(story.text.notes),
            },
        )
    return len(chosen)
