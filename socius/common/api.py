"""API conventions shared by every endpoint: pagination, ids, body parsing, and how errors become HTTP answers."""

from __future__ import annotations

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import remote_queryset
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.common.limits import ID_MAX, SMALL_MAX
from socius.common.parsers import body_too_large_response


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def _as_text(messages) -> list[str]:
    return [str(m) for m in messages]


def exception_handler(exc, context):
    """Domain errors to HTTP: 400 with field messages, 404, 403, 409 with a reason; 413 for a body too large."""
    if isinstance(exc, RequestDataTooBig):
        return body_too_large_response()
    if isinstance(exc, TooManyFieldsSent):
        return Response({"detail": str(_("The request has too many fields."))}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationFailed):
        body = {field: _as_text(msgs) for field, msgs in exc.errors.items()}
        body.update(exc.extra)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotFound):
        exc = Http404()
    if isinstance(exc, Forbidden):
        exc = DjangoPermissionDenied()
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


# OpenAPI responses every endpoint shares (the conflict and forbidden cases are described per endpoint).
BAD_INPUT = OpenApiResponse(description="Field-level messages in the language of Accept-Language.")
NOT_FOUND = OpenApiResponse(description="No such record in your centre.")


def pk_or_404(value) -> int:
    """A URL or body id as an integer; anything else is 'not found', like a record outside one's centre."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 1 <= pk <= ID_MAX:
        raise NotFound()
    return pk


# --- ids: one field type for every id a client sends, in a query or a body ------------------------


class IdField(serializers.IntegerField):
    """A record id: a positive integer within the database's key range (documented as such); else 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdListField(serializers.ListField):
    """A list of record ids: ints on input, the related manager's ids (prefetched) on output."""

    child = IdField()

    def to_representation(self, data):
        if hasattr(data, "all"):
            return [obj.pk for obj in data.all()]
        return [int(pk) for pk in data]


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A model serializer's foreign key: an id out of the key range is an unknown record (400), not a crash."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


class SmallIntegerField(serializers.IntegerField):
    """A number stored in a PositiveSmallIntegerField: 0 to 32767, documented as such; else 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", SMALL_MAX)
        super().__init__(**kwargs)


class _IdFormField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A filter on a record id (?household=, ?person=, ...): the same range as IdField; else 400."""

    field_class = _IdFormField


class _IdModelChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            try:
                pk = int(str(value))
            except ValueError:
                pk = 0
            if not 1 <= pk <= ID_MAX:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter naming a related record (?territory=): an id out of range is an unknown choice (400), not a crash."""

    field_class = _IdModelChoiceField


# For a FilterSet's Meta.filter_overrides: foreign keys filter through IdModelChoiceFilter.
ID_FILTER_OVERRIDES = {
    models.ForeignKey: {
        "filter_class": IdModelChoiceFilter,
        "extra": lambda f: {"queryset": remote_queryset(f), "to_field_name": f.remote_field.field_name},
    }
}


# --- the OpenAPI document --------------------------------------------------------------------------

_ERROR_SCHEMA = {
    "type": "object",
    "description": 'An error: {"detail": reason} or field messages {"field": ["message", ...]}.',
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}
_STANDARD_ERRORS = {
    "400": "Bad input: field-level messages (or the reason the body could not be read), in the language of "
    "Accept-Language.",
    "401": "Not authenticated.",
    "403": "Your role or relation to the record does not allow this.",
    "404": "No such record (or page) in your centre.",
}
_BODY_ERRORS = {"413": "The request body is larger than the API reads."}


def add_standard_error_responses(result, generator, request, public):
    """drf-spectacular post-processing: every operation documents the errors every endpoint can answer.

    Any operation may answer 400 (a query or body it cannot read), 401 without credentials, 403 and 404
    (records outside the caller's reach, an invalid page); every body may be too large (413).
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = dict(_STANDARD_ERRORS)
            if method in {"post", "put", "patch"}:
                codes.update(_BODY_ERRORS)
            if not [scheme for scheme in operation.get("security") or () if scheme]:
                codes.pop("401")  # no credentials asked (the token exchange)
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "09:30",
        "nullable": True,
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day without a zone ("09:30"): OpenAPI's `format: time` demands an offset, which a visit's
    hour in the centre's own time does not have. Answered as HH:MM; HH:MM and HH:MM:SS accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)
