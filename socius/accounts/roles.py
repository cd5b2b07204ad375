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


# Capabilities by role. Reading the registry is open to every role of the centre (finance needs it
# for payments, auditors for checks); writing is for those who do casework.
VIEW_REGISTRY = "view_registry"
EDIT_REGISTRY = "edit_registry"
IMPORT_REGISTRY = "import_registry"
VIEW_AUDIT = "view_audit"

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SOCIAL_WORKER: frozenset({VIEW_REGISTRY, EDIT_REGISTRY}),
    Role.FAMILY_ASSISTANT: frozenset({VIEW_REGISTRY, EDIT_REGISTRY}),
    Role.TEAM_LEADER: frozenset({VIEW_REGISTRY, EDIT_REGISTRY, IMPORT_REGISTRY}),
    Role.FINANCE_OFFICER: frozenset({VIEW_REGISTRY}),
    Role.DIRECTOR: frozenset({VIEW_REGISTRY, EDIT_REGISTRY, IMPORT_REGISTRY, VIEW_AUDIT}),
    Role.AUDITOR: frozenset({VIEW_REGISTRY, VIEW_AUDIT}),
    Role.ADMINISTRATOR: frozenset({VIEW_REGISTRY, EDIT_REGISTRY, IMPORT_REGISTRY}),
}
