"""Forms for casework: the front-desk contact, the contact and case filters, opening, status moves, sharing,
reassigning. Codes and their labels come from the centre's jurisdiction pack (casework.statutory); the
services have the last word on every value (their messages are put back on these fields)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Team, User
from socius.accounts.roles import CAPABILITIES, RECORD_CONTACTS, VIEW_CASES, WORK_CASES
from socius.casework import statutory
from socius.casework.models import ContactChannel
from socius.casework.permissions import team_ids_of
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.common.limits import NOTES_MAX_LENGTH
from socius.web.widgets import IsoDateInput, LocalDateTimeInput


def roles_with(capability: str) -> list[str]:
    return [role for role, caps in CAPABILITIES.items() if capability in caps]


def staff_with(actor: User, capability: str):
    """Active staff of the actor's centre whose role has the capability, by name."""
    return User.objects.filter(centre_id=actor.centre_id, is_active=True, role__in=roles_with(capability)).order_by(
        "last_name", "first_name", "username"
    )


# Above this many staff, a case page's pickers list the colleagues near the case (its team, the reader's
# teams, its worker): a select of a thousand names is slow to draw and useless to scroll.
STAFF_LIST_LIMIT = 60


def staff_near(actor: User, capability: str, case=None):
    """`staff_with`, narrowed in a large centre to the case's team, the actor's teams, the actor and the
    case's worker. Returns (queryset, narrowed?)."""
    everyone = staff_with(actor, capability)
    # Counted once per request: a case page builds three such pickers.
    counts = actor.__dict__.setdefault("_staff_counts", {})
    if capability not in counts:
        counts[capability] = everyone.count()
    if counts[capability] <= STAFF_LIST_LIMIT:
        return everyone, False
    near = Q(teams__id__in=set(team_ids_of(actor)) | ({case.team_id} if case is not None else set()))
    near |= Q(pk=actor.pk) | (Q(pk=case.assigned_worker_id) if case is not None else Q(pk__in=[]))
    return everyone.filter(pk__in=User.objects.filter(near).values("pk")), True


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def code_choices(items) -> list[tuple[str, str]]:
    return [(item.code, item.label) for item in items]


class PersonIdsField(forms.Field):
    """The persons picked with the search (hidden inputs or checkboxes named like the field): their ids."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return list(dict.fromkeys(int(v) for v in value))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose persons registered in your centre."), code="invalid") from None


def _now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    """One citizen heard. Sensible defaults (now, at the office, handled by me) so that it takes seconds."""

    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=LocalDateTimeInput,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices, initial=ContactChannel.OFFICE)
    persons = PersonIdsField(label=_("Persons"), required=False)
    household = forms.IntegerField(label=_("Household"), required=False, min_value=1, widget=forms.HiddenInput)
    topics = forms.MultipleChoiceField(label=_("Topics"), widget=forms.CheckboxSelectMultiple)
    outcomes = forms.MultipleChoiceField(label=_("What was done"), required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH
    )
    handled_by = StaffChoiceField(label=_("Handled by"), queryset=User.objects.none(), empty_label=None, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdiction = actor.centre.jurisdiction
        self.fields["topics"].choices = code_choices(statutory.contact_topics(jurisdiction))
        self.fields["outcomes"].choices = code_choices(statutory.contact_outcomes(jurisdiction))
        self.fields["handled_by"].queryset, _narrowed = staff_near(actor, RECORD_CONTACTS)
        self.fields["handled_by"].initial = actor.pk
        self.fields["occurred_at"].initial = _now_local
        self.fields["topics"].error_messages["invalid_choice"] = _("Unknown code: %(value)s.")
        self.fields["outcomes"].error_messages["invalid_choice"] = _("Unknown code: %(value)s.")
        self.fields["topics"].error_messages["required"] = _("Choose at least one topic.")

    def contact_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["handled_by"] = data["handled_by"].pk if data["handled_by"] else None  # None: the actor
        return data


class ContactFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=IsoDateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=IsoDateInput())
    person_name = forms.CharField(label=_("Person's name"), required=False, max_length=100)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


MINE = "me"
OPEN = "open"


class CaseFilterForm(forms.Form):
    """Status (open cases by default), worker ("my cases" by default for workers), team."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    worker = forms.ChoiceField(label=_("Worker"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, actor: User, **kwargs):
        super().__init__(data, **kwargs)
        workers = staff_with(actor, WORK_CASES)
        self.fields["status"].choices = [(OPEN, _("Open cases")), ("", _("All statuses")), *CaseStatus.choices]
        self.fields["worker"].choices = [
            (MINE, _("My cases")),
            ("", _("All workers")),
            *[(str(w.pk), w.get_full_name() or w.username) for w in workers],
        ]
        teams = Team.objects.filter(centre_id=actor.centre_id, is_active=True).order_by("name")
        self.fields["team"].choices = [("", _("All teams")), *[(t.pk, t.label) for t in teams]]


class OpenCaseForm(forms.Form):
    circumstances = forms.MultipleChoiceField(label=_("Qualifying circumstances"), widget=forms.CheckboxSelectMultiple)
    assigned_worker = StaffChoiceField(label=_("Assigned worker"), queryset=User.objects.none(), empty_label=None)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose…"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX_LENGTH
    )
    status = forms.ChoiceField(
        label=_("Start as"),
        choices=[
            (CaseStatus.OPENED.value, _("Opened: work begins later")),
            (CaseStatus.ACTIVE.value, _("Active: work begins now")),
        ],
        initial=CaseStatus.OPENED.value,
        required=False,  # "opened" when not sent
        widget=forms.RadioSelect,
        help_text=_("An active case needs no separate “Activate” afterwards; the timeline shows both steps."),
    )

    def __init__(self, *args, actor: User, may_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        items = statutory.circumstances(actor.centre.jurisdiction, on=timezone.localdate())
        self.sensitive = statutory.sensitive_codes(items)
        # A legal term: the reader's language with the statutory wording beside it.
        self.fields["circumstances"].choices = [(item.code, item.with_statutory) for item in items]
        self.fields["circumstances"].error_messages["required"] = _("Choose at least one qualifying circumstance.")
        self.fields["circumstances"].error_messages["invalid_choice"] = _("Unknown code: %(value)s.")
        workers = staff_with(actor, WORK_CASES) if may_assign else User.objects.filter(pk=actor.pk)
        self.fields["assigned_worker"].queryset = workers
        self.fields["assigned_worker"].initial = actor.pk
        if not may_assign:
            self.fields["assigned_worker"].disabled = True
            self.fields["assigned_worker"].help_text = _("A team leader or the director may assign it to someone else.")
        self.fields["team"].queryset = Team.objects.filter(centre_id=actor.centre_id, is_active=True).order_by("name")
        my_teams = [t.pk for t in actor.teams.filter(is_active=True)[:2]]
        if len(my_teams) == 1:
            self.fields["team"].initial = my_teams[0]

    def case_data(self) -> dict:
        data = self.cleaned_data
        return {
            "circumstances": data["circumstances"],
            "assigned_worker": data["assigned_worker"].pk,
            "team": data["team"].pk,
            "notes": data["notes"],
            "status": data["status"] or CaseStatus.OPENED.value,
        }


def _status_day_field() -> forms.DateField:
    return forms.DateField(
        label=_("On"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Today when left empty."),
    )


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Closure reason"), choices=[("", _("Choose…")), *ClosureReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH
    )
    on = _status_day_field()


class ReasonForm(forms.Form):
    """A status move with an optional (or, for reopening, required) reason and its day."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    on = _status_day_field()


class UnshareForm(forms.Form):
    """The colleague whose share is withdrawn (a button beside each share on the case page)."""

    user = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a colleague the case is shared with."),
            "invalid_choice": _("Choose a colleague the case is shared with."),
        },
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(centre_id=actor.centre_id)


class ShareForm(forms.Form):
    """A colleague to share with: from the list, or (in a large centre, whose list holds only the colleagues
    near the case) by login."""

    user = StaffChoiceField(
        label=_("Colleague"), queryset=User.objects.none(), empty_label=_("Choose…"), required=False
    )
    username = forms.CharField(
        label=_("Or a colleague's login"), max_length=150, required=False, help_text=_("For staff of other teams.")
    )

    def __init__(self, *args, actor: User, exclude: list[int] = (), case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._staff = staff_with(actor, VIEW_CASES).exclude(pk__in=list(exclude))
        queryset, narrowed = staff_near(actor, VIEW_CASES, case)
        self.fields["user"].queryset = queryset.exclude(pk__in=list(exclude))
        if not narrowed:
            del self.fields["username"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user") is None and cleaned.get("username"):
            cleaned["user"] = self._staff.filter(username=cleaned["username"].strip()).first()
            if cleaned["user"] is None:
                self.add_error("username", _("No colleague of your centre who may read cases has this login."))
        elif cleaned.get("user") is None and not self.errors:
            self.add_error("user", _("Choose a colleague."))
        return cleaned


class ReassignForm(forms.Form):
    worker = StaffChoiceField(label=_("New worker"), queryset=User.objects.none(), empty_label=_("Choose…"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = staff_with(actor, WORK_CASES)
        self.fields["reason"].error_messages["required"] = _("Say why the cases are reassigned.")


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware datetimes where a local day starts and the next one starts."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
