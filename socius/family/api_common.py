"""What the family and child-protection APIs share: reading bodies and queries, turning ids of a body into
records of the caller's centre (an unknown one is a 400 on its field), the day a write is dated when the
body leaves it out, and the audit of reads under the persons shown."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view, record_view
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import NotFound, ValidationFailed
from socius.registry.selectors import member_ids_by_household

FORBIDDEN = OpenApiResponse(description="Your role, or your relation to the family or the child, does not allow it.")
CONFLICT = OpenApiResponse(
    description='The record\'s state (or the law) does not allow this: {"detail": reason, "code": ...} with codes such '
    'as "invalid_transition", "caseload_cap_reached", "consent_required", "quorum_not_met", "not_in_pack", '
    '"enrolment_open", "enrolment_state", "plan_not_draft", "consent_withdrawn", "case_closed"; nothing was changed.'
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ = {403: FORBIDDEN, 404: NOT_FOUND}

UNKNOWN = _("No such record in your centre.")


def query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def body(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def today():
    return timezone.localdate()


def visible(getter, actor, pk):
    """A record through its selector; one the caller may not see is "not found"."""
    try:
        return getter(actor, _pk(pk))
    except ObjectDoesNotExist:
        raise NotFound() from None


def in_centre(actor, queryset, pk, field: str):
    """A record a body names, in the caller's centre; else a 400 on that field."""
    if pk is None:
        return None
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise ValidationFailed({field: [UNKNOWN]})
    return record


def many_in_centre(actor, queryset, pks, field: str) -> list:
    pks = list(dict.fromkeys(pks or ()))
    records = {r.pk: r for r in queryset.filter(pk__in=pks)}
    if len(records) != len(pks):
        raise ValidationFailed({field: [UNKNOWN]})
    return [records[pk] for pk in pks]


def staff(actor):
    from socius.accounts.models import User

    return User.objects.filter(centre_id=actor.centre_id, is_active=True)


def persons(actor):
    from socius.registry.models import Person

    return Person.objects.filter(centre_id=actor.centre_id)


def partners(actor):
    from socius.casework.models import Partner

    return Partner.objects.filter(centre_id=actor.centre_id)


def cases(actor):
    from socius.casework.models import Case

    return Case.objects.filter(centre_id=actor.centre_id)


def family_persons(enrolments) -> list[int]:
    """Every person ever a member of the families shown (what a family's records may show)."""
    members = member_ids_by_household({e.household_id for e in enrolments})
    return [p for e in enrolments for p in members.get(e.household_id, [])]


def audit_read(actor, *, object_type: str, record, person_ids) -> None:
    record_view(
        actor,
        object_type=object_type,
        object_id=record.pk,
        centre_id=actor.centre_id,
        person_ids=[p for p in person_ids if p],
    )


def audit_list(actor, *, object_type: str, person_ids) -> None:
    record_list_view(actor, object_type=object_type, person_ids=person_ids)


class FamilyViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"

    def page(self, records, serializer_class, *, audit=None):
        page = self.paginate_queryset(records)
        if audit is not None:
            audit(page)
        return self.get_paginated_response(serializer_class(page, many=True).data)
