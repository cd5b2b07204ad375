"""Writes for centre administration: staff members, their roles and teams. Each service is atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, Centre, ProblemGroup, Team, User
from socius.accounts.permissions import can_manage_staff, require
from socius.accounts.roles import Role
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.common.text import name_problem

# What the audit log keeps of a staff member (never the password) and of a team.
STAFF_AUDITED_FIELDS = ("username", "first_name", "last_name", "email", "role", "language", "is_active")
STAFF_EDITABLE_FIELDS = ("first_name", "last_name", "email", "role", "language", "is_active", "teams")
TEAM_AUDITED_FIELDS = ("name", "problem_group", "is_active")

# Generated passwords: no look-alike characters (0/O, 1/l/I), so they can be read out or copied by hand.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GENERATED_PASSWORD_LENGTH = 14


def generate_password() -> str:
    return get_random_string(GENERATED_PASSWORD_LENGTH, _PASSWORD_ALPHABET)


# --- checks ----------------------------------------------------------------------------------------


def _text(data: dict, name: str) -> str:
    return (data.get(name) or "").strip()


def _check_names(data: dict, errors: dict, names: Iterable[str] = ("first_name", "last_name")) -> None:
    """Names are required; `names` limits the check to those being set (older accounts may have none)."""
    if "first_name" in names and not _text(data, "first_name"):
        errors.setdefault("first_name", []).append(_("Enter the given names."))
    elif "first_name" in names and (problem := name_problem(_text(data, "first_name"))):
        errors.setdefault("first_name", []).append(problem)
    if "last_name" in names and not _text(data, "last_name"):
        errors.setdefault("last_name", []).append(_("Enter the family name."))
    elif "last_name" in names and (problem := name_problem(_text(data, "last_name"))):
        errors.setdefault("last_name", []).append(problem)
    for name in names:
        if len(_text(data, name)) > User._meta.get_field(name).max_length:
            errors.setdefault(name, []).append(_("This name is too long."))


def _check_email(data: dict, errors: dict) -> None:
    email = _text(data, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address."))


def _check_role(data: dict, errors: dict) -> None:
    if data.get("role") not in Role.values:
        errors.setdefault("role", []).append(_("Choose a role."))


def _check_language(data: dict, errors: dict) -> None:
    language = data.get("language") or ""
    if language and language not in dict(settings.LANGUAGES):
        errors.setdefault("language", []).append(_("Choose one of the languages offered."))


def _resolve_teams(actor: User, team_ids: Iterable, errors: dict, *, current: set[int] = frozenset()) -> list[Team]:
    """The chosen teams, all of the actor's centre. An inactive team may be kept, not newly joined."""
    try:
        ids = {int(getattr(t, "pk", t)) for t in team_ids or ()}
    except (TypeError, ValueError):
        errors.setdefault("teams", []).append(_("Choose teams of your centre."))
        return []
    teams = list(Team.objects.filter(centre_id=actor.centre_id, pk__in=ids).order_by("name", "id"))
    if len(teams) != len(ids):
        errors.setdefault("teams", []).append(_("Choose teams of your centre."))
    elif any(not t.is_active and t.pk not in current for t in teams):
        errors.setdefault("teams", []).append(_("An inactive team cannot take new members."))
    return teams


def _check_password(password: str, user: User, errors: dict, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def _staff_snapshot(user: User, team_ids: Iterable[int]) -> dict:
    return {**snapshot(user, STAFF_AUDITED_FIELDS), "teams": sorted(team_ids)}


def _get_manageable(actor: User, user_id) -> User:
    """A staff member of the actor's centre the actor may change, locked for the transaction."""
    try:
        user = User.objects.select_for_update().get(pk=int(user_id), centre_id=actor.centre_id)
    except (User.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    # Accounts of the deployment's operators (Django admin) are theirs to manage, not the centre's.
    if (user.is_superuser or user.is_staff) and not actor.is_superuser:
        raise Forbidden()
    return user


def _lock_centre(actor: User) -> None:
    """Serialise staff changes within one centre, so two edits cannot both remove 'the other' administrator."""
    Centre.objects.select_for_update().filter(pk=actor.centre_id).first()


# --- staff -----------------------------------------------------------------------------------------


def create_staff_member(actor: User, data: dict) -> tuple[User, str | None]:
    """Add a member of staff to the actor's centre.

    `data`: username, first_name, last_name, email, role, teams (ids), language, password. Without a
    password one is generated; it is returned (the second value) to be shown once, never stored in clear.
    """
    require(actor, can_manage_staff)
    errors: dict[str, list] = {}
    username = _text(data, "username")
    if not username:
        errors["username"] = [_("Enter a username.")]
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = [_("Use letters, digits and @ . + - _ only.")]
        if len(username) > User._meta.get_field("username").max_length:
            errors.setdefault("username", []).append(_("This username is too long."))
        elif User.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(_("This username is already taken."))
    _check_names(data, errors)
    _check_email(data, errors)
    _check_role(data, errors)
    _check_language(data, errors)
    teams = _resolve_teams(actor, data.get("teams"), errors)
    user = User(
        username=username,
        first_name=_text(data, "first_name"),
        last_name=_text(data, "last_name"),
        email=_text(data, "email"),
        role=data.get("role") or "",
        language=data.get("language") or "",
        centre_id=actor.centre_id,
        is_active=True,
    )
    password = data.get("password") or ""
    generated = None
    if not password:
        generated = password = generate_password()
    _check_password(password, user, errors)
    if errors:
        raise ValidationFailed(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            user.teams.set(teams)
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="user",
                object_id=user.pk,
                centre_id=actor.centre_id,
                changes={
                    k: [None, v]
                    for k, v in _staff_snapshot(user, [t.pk for t in teams]).items()
                    if v not in ("", None, [])
                },
            )
    except IntegrityError:
        # The same username registered at the same moment: the unique constraint lets one through.
        raise ValidationFailed({"username": [_("This username is already taken.")]}) from None
    return user, generated


def _other_active_administrators(user: User) -> bool:
    return (
        User.objects.filter(centre_id=user.centre_id, role=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def update_staff_member(actor: User, user_id, data: dict) -> User:
    """Change a staff member's names, e-mail, role, teams, language or active flag (only the keys given).

    The centre keeps at least one active administrator: the last one can be neither demoted nor deactivated.
    """
    require(actor, can_manage_staff)
    with transaction.atomic():
        _lock_centre(actor)
        user = _get_manageable(actor, user_id)
        current_teams = set(user.teams.values_list("pk", flat=True))
        data = {k: v for k, v in data.items() if k in STAFF_EDITABLE_FIELDS}
        merged = {**{f: getattr(user, f) for f in STAFF_EDITABLE_FIELDS if f != "teams"}, **data}
        errors: dict[str, list] = {}
        _check_names(merged, errors, [n for n in ("first_name", "last_name") if n in data])
        _check_email(merged, errors)
        _check_role(merged, errors)
        _check_language(merged, errors)
        teams = (
            _resolve_teams(actor, data["teams"], errors, current=current_teams)
            if "teams" in data
            else list(user.teams.all())
        )
        is_active = bool(merged["is_active"])
        was_admin = user.is_active and user.role == Role.ADMINISTRATOR
        stays_admin = is_active and merged["role"] == Role.ADMINISTRATOR
        if was_admin and not stays_admin and not _other_active_administrators(user):
            if not is_active:
                errors.setdefault("is_active", []).append(
                    _("The centre's last active administrator cannot be deactivated.")
                )
            else:
                errors.setdefault("role", []).append(
                    _("The centre's last active administrator must keep the administrator role.")
                )
        if errors:
            raise ValidationFailed(errors)
        before = _staff_snapshot(user, current_teams)
        user.first_name = _text(merged, "first_name")
        user.last_name = _text(merged, "last_name")
        user.email = _text(merged, "email")
        user.role = merged["role"]
        user.language = merged["language"] or ""
        user.is_active = is_active
        after = _staff_snapshot(user, [t.pk for t in teams])
        changes = diff(before, after)
        if not changes:
            return user
        user.save()
        if "teams" in changes:
            user.teams.set(teams)
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            centre_id=actor.centre_id,
            changes=changes,
        )
    return user


def reset_password(actor: User, user_id, new_password: str | None = None) -> str:
    """Set a staff member's password (validated), or generate one when none is given; returns it to show once."""
    require(actor, can_manage_staff)
    with transaction.atomic():
        user = _get_manageable(actor, user_id)
        password = new_password or generate_password()
        errors: dict[str, list] = {}
        _check_password(password, user, errors)
        if errors:
            raise ValidationFailed(errors)
        user.set_password(password)
        user.save(update_fields=["password"])
        # The log says that the password was changed, never what it is.
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            centre_id=actor.centre_id,
            changes={"password_reset": [None, True]},
        )
    return password


# --- teams -----------------------------------------------------------------------------------------


def _check_team(actor: User, data: dict, errors: dict, *, instance: Team | None = None) -> None:
    name = _text(data, "name")
    if not name:
        errors["name"] = [_("Enter the team's name.")]
    elif len(name) > Team._meta.get_field("name").max_length:
        errors["name"] = [_("This name is too long.")]
    else:
        # Compared in Python: SQLite's iexact folds ASCII only (Ó, Ș, Ž, Ж), and a centre has few teams.
        others = Team.objects.filter(centre_id=actor.centre_id).values_list("name", flat=True)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if name.casefold() in {other.casefold() for other in others}:
            errors["name"] = [_("Your centre already has a team with this name.")]
    if data.get("problem_group") not in ProblemGroup.values:
        errors["problem_group"] = [_("Choose a problem group.")]


def _duplicate_team_name() -> ValidationFailed:
    return ValidationFailed({"name": [_("Your centre already has a team with this name.")]})


def create_team(actor: User, data: dict) -> Team:
    """A new team of the actor's centre: name (unique in the centre), problem group, active flag."""
    require(actor, can_manage_staff)
    errors: dict[str, list] = {}
    _check_team(actor, data, errors)
    if errors:
        raise ValidationFailed(errors)
    team = Team(
        centre_id=actor.centre_id,
        name=_text(data, "name"),
        problem_group=data["problem_group"],
        is_active=bool(data.get("is_active", True)),
    )
    try:
        with transaction.atomic():
            team.save()
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="team",
                object_id=team.pk,
                centre_id=actor.centre_id,
                changes={k: [None, v] for k, v in snapshot(team, TEAM_AUDITED_FIELDS).items()},
            )
    except IntegrityError:
        raise _duplicate_team_name() from None
    return team


def update_team(actor: User, team_id, data: dict) -> Team:
    """Rename a team, change its problem group, or deactivate it (teams are never deleted: history names them)."""
    require(actor, can_manage_staff)
    with transaction.atomic():
        try:
            team = Team.objects.select_for_update().get(pk=int(team_id), centre_id=actor.centre_id)
        except (Team.DoesNotExist, TypeError, ValueError):
            raise NotFound() from None
        data = {k: v for k, v in data.items() if k in TEAM_AUDITED_FIELDS}
        merged = {**{f: getattr(team, f) for f in TEAM_AUDITED_FIELDS}, **data}
        errors: dict[str, list] = {}
        _check_team(actor, merged, errors, instance=team)
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(team, TEAM_AUDITED_FIELDS)
        team.name = _text(merged, "name")
        team.problem_group = merged["problem_group"]
        team.is_active = bool(merged["is_active"])
        changes = diff(before, snapshot(team, TEAM_AUDITED_FIELDS))
        if not changes:
            return team
        try:
            with transaction.atomic():
                team.save()
        except IntegrityError:
            raise _duplicate_team_name() from None
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="team",
            object_id=team.pk,
            centre_id=actor.centre_id,
            changes=changes,
        )
    return team
