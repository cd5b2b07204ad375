"""Roles and what each may do. One table, read by the permission predicates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FAMILY_ASSISTANT = "family_assistant", _("Family assistant")
    TEAM_LEADER = "team_leader", _("Team leader")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    DIRECTOR = "director", _("Director")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    # A home-help carer or driver of the centre (decision 0016): sees only the day's visits on the roster
    # and records what was delivered, from a phone.
    CARER = "carer", _("Carer")
    # The centre's data protection officer (RODO art. 37-39; decision 0024): keeps the register of processing
    # activities and the breach log, handles data-subject requests, reads the audit; no casework.
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


# Capabilities by role. Reading the registry is open to every role of the centre (finance needs it
# for payments, auditors for checks); writing is for those who do casework.
VIEW_REGISTRY = "view_registry"
EDIT_REGISTRY = "edit_registry"
IMPORT_REGISTRY = "import_registry"
VIEW_AUDIT = "view_audit"
# Centre administration: the administrator manages the centre's staff, roles and teams; the director
# sees them read-only.
VIEW_STAFF = "view_staff"
MANAGE_STAFF = "manage_staff"

# Casework: every role of the centre sees that a case exists and who holds it (content is guarded by
# the predicates in casework/permissions.py); those who do casework record contacts and hold cases;
# team leaders and directors (re)assign them and see caseloads.
VIEW_CASES = "view_cases"
RECORD_CONTACTS = "record_contacts"
WORK_CASES = "work_cases"
ASSIGN_CASES = "assign_cases"

# Benefits (decision 0013): those who do casework file applications and propose decisions on the cases
# they work; team leaders and the director approve (four eyes), as does staff the director authorised
# (benefits.ApproverAuthorisation); finance, auditors and the director read every decision of the centre.
PROPOSE_DECISIONS = "propose_decisions"
APPROVE_DECISIONS = "approve_decisions"
AUTHORISE_APPROVERS = "authorise_approvers"
VIEW_DECISIONS = "view_decisions"

# Payments (decision 0014): finance keeps the funds, prepares, checks and exports the runs, imports the
# statements and handles returns; the director (or staff the director authorised, payments.PaymentApprover)
# approves runs and transfers (four eyes); finance and auditors read IBANs in full, everyone else masked;
# social workers see the payment statuses of the clients whose cases they read.
VIEW_PAYMENTS = "view_payments"
PREPARE_PAYMENTS = "prepare_payments"
APPROVE_PAYMENTS = "approve_payments"
MANAGE_FUNDS = "manage_funds"
VIEW_FULL_IBAN = "view_full_iban"

# Family assistance and child protection (decision 0015): those who do casework request a family assistant,
# record children in difficulty, put cases to meetings and record their decisions; family assistants work
# the families assigned to them; the head of the centre (director) approves requests and assigns the
# assistant; team leaders and the director see each assistant's load. A Blue Card may be started by anyone
# doing casework (the card is then seen only by its group and the director).
WORK_FAMILY_SUPPORT = "work_family_support"
APPROVE_ENROLMENTS = "approve_enrolments"
VIEW_ASSISTANT_LOADS = "view_assistant_loads"
WORK_CHILD_PROTECTION = "work_child_protection"
START_BLUE_CARD = "start_blue_card"

# Community work and social services (decision 0016): those who do casework plan and record outreach and turn
# the potential recipients found into contacts; team leaders, the director and the administrator keep the
# centre's calendar (trainings, office closures). Social workers draft service decisions and waiting-list
# entries on the cases they read; decisions are issued by those who approve decisions (four eyes). Team
# leaders and the director keep the offer (prices, capacity, providers, carers) and plan the rosters; carers
# (and the caseworkers) record deliveries; finance and the director issue the monthly statements; finance,
# auditors, team leaders and the director read every service record of the centre.
WORK_COMMUNITY = "work_community"
MANAGE_CALENDAR = "manage_calendar"
ORDER_SERVICES = "order_services"
MANAGE_SERVICES = "manage_services"
RECORD_DELIVERIES = "record_deliveries"
VIEW_SERVICES = "view_services"
ISSUE_STATEMENTS = "issue_statements"

# Reporting (decision 0017): the director, team leaders, finance and auditors read the reports, the statutory
# statistics and the drill-down lists (each list narrowed to what the reader may see); the head of service (team
# leader) and the director write and sign off a report's narrative; the director approves (freezes) a report.
# The director's and team leaders' home page is their dashboard.
VIEW_REPORTS = "view_reports"
WRITE_REPORT_NARRATIVE = "write_report_narrative"
APPROVE_REPORTS = "approve_reports"
VIEW_DASHBOARD = "view_dashboard"

# Production and privacy (issue 13, decisions 0022-0024): a subject-access request (GDPR art. 15) is recorded by
# whoever received it among casework staff, the DPO or the director, and released only on the director's approval;
# the director approves the retention job's list of expired records before they are anonymised; the DPO, the
# director and the administrator keep the register of processing activities and the breach log, which auditors
# read too. Staff sign-in rules (two-factor roles, sessions, tokens) are the administrator's (MANAGE_STAFF).
REQUEST_SUBJECT_ACCESS = "request_subject_access"
APPROVE_SUBJECT_ACCESS = "approve_subject_access"
APPROVE_RETENTION = "approve_retention"
VIEW_PRIVACY_REGISTERS = "view_privacy_registers"
KEEP_PRIVACY_REGISTERS = "keep_privacy_registers"

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SOCIAL_WORKER: frozenset(
        {
            VIEW_REGISTRY,
            EDIT_REGISTRY,
            VIEW_CASES,
            RECORD_CONTACTS,
            WORK_CASES,
            PROPOSE_DECISIONS,
            WORK_FAMILY_SUPPORT,
            WORK_CHILD_PROTECTION,
            START_BLUE_CARD,
            WORK_COMMUNITY,
            ORDER_SERVICES,
            RECORD_DELIVERIES,
            REQUEST_SUBJECT_ACCESS,
        }
    ),
    Role.FAMILY_ASSISTANT: frozenset(
        {
            VIEW_REGISTRY,
            EDIT_REGISTRY,
            VIEW_CASES,
            RECORD_CONTACTS,
            WORK_CASES,
            WORK_FAMILY_SUPPORT,
            WORK_CHILD_PROTECTION,
            START_BLUE_CARD,
            WORK_COMMUNITY,
            REQUEST_SUBJECT_ACCESS,
        }
    ),
    Role.TEAM_LEADER: frozenset(
        {
            VIEW_REGISTRY,
            EDIT_REGISTRY,
            IMPORT_REGISTRY,
            VIEW_CASES,
            RECORD_CONTACTS,
            WORK_CASES,
            ASSIGN_CASES,
            PROPOSE_DECISIONS,
            APPROVE_DECISIONS,
            WORK_FAMILY_SUPPORT,
            VIEW_ASSISTANT_LOADS,
            WORK_CHILD_PROTECTION,
            START_BLUE_CARD,
            WORK_COMMUNITY,
            MANAGE_CALENDAR,
            ORDER_SERVICES,
            MANAGE_SERVICES,
            RECORD_DELIVERIES,
            VIEW_SERVICES,
            VIEW_REPORTS,
            WRITE_REPORT_NARRATIVE,
            VIEW_DASHBOARD,
            REQUEST_SUBJECT_ACCESS,
        }
    ),
    Role.FINANCE_OFFICER: frozenset(
        {
            VIEW_REPORTS,
            VIEW_REGISTRY,
            VIEW_CASES,
            VIEW_DECISIONS,
            VIEW_PAYMENTS,
            PREPARE_PAYMENTS,
            MANAGE_FUNDS,
            VIEW_FULL_IBAN,
            VIEW_SERVICES,
            ISSUE_STATEMENTS,
        }
    ),
    Role.DIRECTOR: frozenset(
        {
            VIEW_REGISTRY,
            EDIT_REGISTRY,
            IMPORT_REGISTRY,
            VIEW_AUDIT,
            VIEW_STAFF,
            VIEW_CASES,
            RECORD_CONTACTS,
            WORK_CASES,
            ASSIGN_CASES,
            PROPOSE_DECISIONS,
            APPROVE_DECISIONS,
            AUTHORISE_APPROVERS,
            VIEW_DECISIONS,
            VIEW_PAYMENTS,
            APPROVE_PAYMENTS,
            MANAGE_FUNDS,
            WORK_FAMILY_SUPPORT,
            APPROVE_ENROLMENTS,
            VIEW_ASSISTANT_LOADS,
            WORK_CHILD_PROTECTION,
            START_BLUE_CARD,
            WORK_COMMUNITY,
            MANAGE_CALENDAR,
            ORDER_SERVICES,
            MANAGE_SERVICES,
            RECORD_DELIVERIES,
            VIEW_SERVICES,
            ISSUE_STATEMENTS,
            VIEW_REPORTS,
            WRITE_REPORT_NARRATIVE,
            APPROVE_REPORTS,
            VIEW_DASHBOARD,
            REQUEST_SUBJECT_ACCESS,
            APPROVE_SUBJECT_ACCESS,
            APPROVE_RETENTION,
            VIEW_PRIVACY_REGISTERS,
            KEEP_PRIVACY_REGISTERS,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            VIEW_REGISTRY,
            VIEW_AUDIT,
            VIEW_CASES,
            VIEW_DECISIONS,
            VIEW_PAYMENTS,
            VIEW_FULL_IBAN,
            VIEW_SERVICES,
            VIEW_REPORTS,
            VIEW_PRIVACY_REGISTERS,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            VIEW_REGISTRY,
            EDIT_REGISTRY,
            IMPORT_REGISTRY,
            VIEW_STAFF,
            MANAGE_STAFF,
            VIEW_CASES,
            MANAGE_CALENDAR,
            VIEW_PRIVACY_REGISTERS,
            KEEP_PRIVACY_REGISTERS,
        }
    ),
    Role.CARER: frozenset({RECORD_DELIVERIES}),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {VIEW_REGISTRY, VIEW_AUDIT, REQUEST_SUBJECT_ACCESS, VIEW_PRIVACY_REGISTERS, KEEP_PRIVACY_REGISTERS}
    ),
}
