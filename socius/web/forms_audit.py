"""The audit log's search form: person, user, action, record type and date range."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import AuditAction, User
from socius.accounts.trail import TRAIL_RECORD_TYPES
from socius.common.errors import NotFound
from socius.common.limits import ID_MAX
from socius.registry.selectors import get_person_for
from socius.web.widgets import LocalDateInput

# Record types written by the services (object_type of AuditEvent), with their labels.
RECORD_TYPES = {
    "person": _("Person"),
    "household": _("Household"),
    "membership": _("Household membership"),
    "audit_log": _("Audit log"),
    "demo_data": _("Demo data"),
    "user": _("Staff member"),
    "team": _("Team"),
    "centre": _("Centre settings"),
    "import": _("Import"),
    "contact": _("Contact"),
    "case": _("Case"),
    "home_visit": _("Home visit"),
    "social_work_activity": _("Social work"),
    "partner": _("Partner institution"),
    "referral": _("Referral"),
    "case_document": _("Case document"),
    "assessment": _("Interview"),
    "help_plan": _("Help plan"),
    "social_contract": _("Social contract"),
    "case_flag": _("Case flag"),
    "change_trail": _("Change trail"),
    # Rows of the change trail that are parts of a record (read through the API's trail of one record).
    "contact_person": _("Person of a contact"),
    "activity_participant": _("Participant of social work"),
    "goal": _("Goal of a help plan"),
    "plan_action": _("Action of a help plan"),
    "contract_client": _("Client of a social contract"),
    "obligation": _("Obligation of a social contract"),
    "benefit_application": _("Benefit application"),
    "benefit_decision": _("Benefit decision"),
    "approver_authorisation": _("Authorisation to approve decisions"),
    "benefit_recalculation": _("Benefit recalculation"),
    "fund": _("Fund"),
    "fund_allocation": _("Fund allocation"),
    "benefit_fund": _("Benefit's fund"),
    "transfer": _("Transfer"),
    "payment_approver": _("Authorisation to approve payments"),
    "payment_run": _("Payment run"),
    "payment": _("Payment"),
    "payment_details": _("Payment details"),
    "bank_statement": _("Bank statement"),
    # Family support (issue 10): the programme, its consents, work plans, activities and assessments,
    # the assistants' desk and timesheets (lists), and the API's reads of a family's records.
    "family_enrolment": _("Family assistant enrolment"),
    "enrolment_consent": _("Consent to the family assistant"),
    "family_consent": _("Consents to the family assistant, read through the API"),
    "work_plan": _("Family work plan"),
    "family_work_plan": _("Family work plans, read through the API"),
    "work_plan_item": _("Item of a family work plan"),
    "assistant_activity": _("Family assistant activity"),
    "family_activity": _("Family assistant activities, read through the API"),
    "family_assessment": _("Assessment of a family"),
    "family_desk": _("Family assistant's desk"),
    "family_timesheet": _("Family assistant timesheet"),
    # Child protection.
    "child_in_difficulty": _("Child in difficulty"),
    "placement": _("Form of care of a child"),
    "meeting": _("Meeting on children's cases"),
    "agenda_item": _("Agenda item of a meeting"),
    "meeting_decision": _("Decision of a meeting"),
    "follow_up_task": _("Follow-up task"),
    # The Blue Card procedure and its parts.
    "blue_card": _("Blue Card"),
    "blue_card_form": _("Blue Card form"),
    "blue_card_meeting": _("Blue Card group meeting"),
    "blue_card_plan": _("Blue Card help plan measure"),
    "blue_card_monitoring": _("Blue Card monitoring note"),
    # Social services (issue 11): the centre's offer, providers and carers, decisions and their co-payment,
    # waiting lists, weekly rosters and their visits, deliveries (a carer's day, a canteen's day) and the
    # monthly statements (one client's, or a month's at once).
    "service_offer": _("Price and capacity of a service"),
    "service_provider": _("Service provider"),
    "service_worker": _("Carer or driver"),
    "service_decision": _("Service decision"),
    "service_copayment": _("Co-payment for a service"),
    "service_waiting_entry": _("Waiting list for a service"),
    "service_roster": _("Weekly roster of services"),
    "service_visit": _("Planned visit of a service"),
    "service_delivery": _("Service delivered or missed"),
    "carer_day": _("Carer's day"),
    "canteen_day": _("Canteen day"),
    "service_statement": _("Monthly statement for services"),
    "service_statements": _("Monthly statements of a month"),
    # Community work (issue 11): outreach and the potential recipients it finds, staff supervision and its
    # follow-ups, the centre's calendar and the private calendar feeds.
    "outreach_event": _("Outreach event"),
    "potential_recipient": _("Potential recipient"),
    "supervision": _("Supervision"),
    "supervision_follow_up": _("Follow-up of a supervision"),
    "calendar_entry": _("Calendar entry"),
    "calendar_feed": _("Private calendar feed"),
    # Reporting (issue 12): a report opened, its versions (narrative, sign-off, approval, a new version), its
    # downloads; a statutory report's form downloaded.
    "report": _("Report"),
    "report_version": _("Version of a report"),
    "statutory_report": _("Statutory report"),
    # Privacy registers (issue 13, decision 0024): a person's consents, the register of processing activities and
    # the breach log.
    "consent": _("Consent"),
    "processing_activity": _("Processing activity"),
    "data_breach": _("Personal data breach"),
    # Retention (issue 13, decision 0023): a retention review listed, approved (persons anonymised) or rejected;
    # an erasure request recorded, approved or refused.
    "retention_review": _("Retention review"),
    "erasure_request": _("Erasure request"),
    # Subject access (issue 13, decision 0022): a request recorded, approved or refused, its export produced,
    # downloaded and delivered.
    "subject_access_request": _("Subject access request"),
}

# Where an event came from (AuditEvent.channel, set by the request middleware or the caller).
CHANNELS = {
    "web": _("Web"),
    "api": _("API"),
    "import": _("Import"),
    "command": _("Command"),
    "system": _("System"),
}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class AuditFilterForm(forms.Form):
    person = forms.IntegerField(label=_("Person"), required=False, min_value=1, widget=forms.HiddenInput)
    user = UserChoiceField(label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("All users"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=LocalDateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=LocalDateInput)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.person_obj = None
        # The centre's staff, former staff included (their events stay in the log).
        self.fields["user"].queryset = User.objects.filter(centre_id=actor.centre_id).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]
        self.fields["record_type"].choices = [("", _("All record types")), *RECORD_TYPES.items()]

    def clean_person(self):
        person_id = self.cleaned_data.get("person")
        if person_id:
            try:
                self.person_obj = get_person_for(self.actor, person_id)
            except NotFound:
                raise forms.ValidationError(_("No such person."), code="not_found") from None
        return person_id

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def selector_filters(self) -> dict:
        """Keyword arguments for accounts.selectors.list_audit_events_for."""
        data = self.cleaned_data
        return {
            "person_id": data.get("person") or None,
            "user_id": data["user"].pk if data.get("user") else None,
            "action": data.get("action") or None,
            "object_type": data.get("record_type") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


# The audited tables of the change trail (socius.accounts.trail), by record type, with their labels.
TRAIL_LABELS = {k: RECORD_TYPES[k] for k in TRAIL_RECORD_TYPES}


class TrailFilterForm(forms.Form):
    """The change trail's filters: a person, a kind of record, one record (its kind and number)."""

    person = forms.IntegerField(label=_("Person"), required=False, min_value=1, widget=forms.HiddenInput)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    record_id = forms.IntegerField(label=_("Record number"), required=False, min_value=1, max_value=ID_MAX)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.person_obj = None
        self.fields["record_type"].choices = [
            ("", _("All record types")),
            *sorted(((k, TRAIL_LABELS[k]) for k in TRAIL_RECORD_TYPES), key=lambda c: str(c[1])),
        ]

    clean_person = AuditFilterForm.clean_person

    def clean(self):
        data = super().clean()
        if data.get("record_id") and not data.get("record_type"):
            self.add_error("record_type", forms.ValidationError(_("Choose the kind of record."), code="required"))
        return data

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        return {
            "person_id": data.get("person"),
            "record_type": data.get("record_type") or None,
            "record_id": data.get("record_id"),
        }
