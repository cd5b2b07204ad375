"""Centres, territorial tree, teams, users and the audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.roles import CAPABILITIES, Role
from socius.common.text import fold


class Jurisdiction(models.TextChoices):
    PL = "PL", _("Poland")
    MD = "MD", _("Moldova")
    LT = "LT", _("Lithuania")


class TerritoryLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    MUNICIPALITY = "municipality", _("Municipality")
    COMMUNITY = "community", _("Community")
    ELDERSHIP = "eldership", _("Eldership")
    VILLAGE = "village", _("Village")
    LOCALITY = "locality", _("Locality")


class Territory(models.Model):
    """A node of a country's territorial tree: district > municipality/community > eldership/village."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("level"), max_length=20, choices=TerritoryLevel.choices)
    name = models.CharField(_("name"), max_length=120)
    official_code = models.CharField(_("official code"), max_length=20, blank=True)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "level", "name"], name="territory_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def path(self) -> list[Territory]:
        """From the root down to this node (a few levels: one query per level is fine here)."""
        nodes: list[Territory] = []
        node: Territory | None = self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return list(reversed(nodes))

    @property
    def full_name(self) -> str:
        return ", ".join(t.name for t in reversed(self.path()))


def default_two_factor_roles() -> list[str]:
    """A new centre asks a second factor of those who hold the money and the accounts (decision 0021)."""
    return [Role.DIRECTOR.value, Role.FINANCE_OFFICER.value, Role.ADMINISTRATOR.value]


class Centre(models.Model):
    """A social welfare centre: the tenant. Every record belongs to exactly one centre."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="centres"
    )
    # The letterhead of the documents the centre issues (set by its administrator at /admin-centre/centre/).
    address = models.CharField(_("address"), max_length=300, blank=True)
    locality = models.CharField(_("place of issue"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Staff sign-in (issue 13, decision 0021): the roles that must sign in with a second factor (TOTP).
    two_factor_roles = models.JSONField(_("roles that sign in with two factors"), default=default_two_factor_roles)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProblemGroup(models.TextChoices):
    FOSTER_FAMILIES = "foster_families", _("Foster families")
    FAMILY = "family", _("Family")
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    DISABILITY = "disability", _("Disability")
    ADDICTIONS = "addictions", _("Addictions")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    ELDERLY = "elderly", _("Elderly people")
    COMMUNITY = "community", _("Community work")
    OTHER = "other", _("Other")


class Team(models.Model):
    """A team of staff by problem group, configurable per centre."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="teams")
    problem_group = models.CharField(_("problem group"), max_length=30, choices=ProblemGroup.choices)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="team_unique_name_per_centre")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name to show: a default team name (its pack's, untouched) in the reader's language; a name the
        centre chose, as written."""
        from socius.accounts.teams import team_label

        return team_label(self.name, self.problem_group)


class User(AbstractUser):
    """A member of staff. Belongs to one centre and sees only that centre's data."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.SOCIAL_WORKER)
    language = models.CharField(_("language"), max_length=8, blank=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="members")
    # "Sign out of all sessions" (decision 0021): a session begun before this moment is ended at its next request.
    sessions_valid_after = models.DateTimeField(_("sessions valid after"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def can(self, capability: str) -> bool:
        return bool(self.is_active and self.centre_id and capability in CAPABILITIES.get(self.role, ()))


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")


class AuditEvent(models.Model):
    """Append-only: who did what to which record, when and from where, with before/after values.

    `person_id` names the registry person the event concerns (a plain integer: accounts sits below
    the registry and never imports it), so an auditor can list everything that touched one person.
    """

    # Set by the writer before it hashes the event (socius.accounts.audit_chain), not by the database.
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=40)
    object_id = models.BigIntegerField(_("record"), null=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    # Its place in its centre's hash chain (decision 0020): the sequence number, and sha256 over the event, the
    # persons it names and the previous event's hash.
    chain_seq = models.BigIntegerField(_("chain sequence"), null=True, editable=False)
    chain_hash = models.CharField(_("chain hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["centre", "person_id", "-at"], name="audit_centre_person_at"),
            models.Index(fields=["centre", "actor", "-at"], name="audit_centre_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        # The chain cannot fork: two events of one centre never share a place (it also orders the verification).
        constraints = [models.UniqueConstraint(fields=["centre", "chain_seq"], name="audit_chain_place")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}#{self.object_id}"


class ChangeTrailEntry(models.Model):
    """One row inserted, updated or deleted in an audited table, as the database saw it (PostgreSQL only).

    Written by triggers (socius.common.trail, docs/decisions/0008), not by Django: it records changes that
    bypass the services too (queryset.update(), bulk_create, raw SQL, migrations, the shell). The services'
    AuditEvent stays the main log; this is the proof that nothing changed outside it. Append-only: a trigger
    refuses UPDATE and DELETE on this table.
    """

    class Operation(models.TextChoices):
        INSERT = "INSERT", _("Created")
        UPDATE = "UPDATE", _("Updated")
        DELETE = "DELETE", _("Deleted")

    at = models.DateTimeField(_("when"))
    table_name = models.CharField(max_length=63)
    row_id = models.BigIntegerField()
    operation = models.CharField(_("action"), max_length=6, choices=Operation.choices)
    old_row = models.JSONField(null=True)
    new_row = models.JSONField(null=True)
    centre_id = models.BigIntegerField(null=True)
    # The application user when known (the request's user); NULL for the shell, migrations, commands.
    actor = models.ForeignKey(
        User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("user")
    )
    db_user = models.CharField(max_length=63)
    transaction_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("change trail entry")
        verbose_name_plural = _("change trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["table_name", "row_id", "-at"], name="trail_row_at"),
            # The auditor's page lists a centre's trail newest first (web/views/audit_trail.py).
            models.Index(fields=["centre_id", "-at"], name="trail_centre_at"),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.operation} {self.table_name}#{self.row_id}"


class AuditEventPerson(models.Model):
    """A further person whose data an event showed: a household's members, a case's clients, the
    persons on a page of search results. The event's own `person_id` is not repeated here.

    With the event's `person_id` it answers "everything that touched this person" (decision 0007);
    the index leads with the person, so that question reads only that person's rows.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="further_persons")
    person_id = models.BigIntegerField(_("person"))

    class Meta:
        verbose_name = _("person named by an audit event")
        verbose_name_plural = _("persons named by audit events")
        constraints = [models.UniqueConstraint(fields=["person_id", "event"], name="audit_person_event")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.person_id}"


class AuditChainHead(models.Model):
    """The end of one centre's audit hash chain: the last event's sequence number and hash (decision 0020).

    Its row is what concurrent writers of that centre's events lock (select_for_update), one after the other.
    `chain` is the centre's id, 0 for the events of no centre; a plain integer, so a centre's chain outlives
    nothing it should not.
    """

    chain = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}: {self.seq}"


from socius.accounts.models_signin import ApiToken  # noqa: E402, F401  (its own module, registered with the app)
