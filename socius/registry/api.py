"""API for the registry: persons and households. Thin: serializers shape, services write, selectors read."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view
from socius.accounts.roles import EDIT_REGISTRY, VIEW_REGISTRY
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import ID_FILTER_OVERRIDES, IdFilter
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.filters import AskedFilterBackend
from socius.registry import services
from socius.registry.models import Household, Person, Sex
from socius.registry.selectors import (
    attach_current_households,
    get_household_for,
    get_person_for,
    list_households_for,
    list_persons_for,
    search_results_for,
)
from socius.registry.serializers import HouseholdSerializer, PersonSerializer

# A search answers the best matches only, ranked by similarity; pages are cut from these.
SEARCH_LIMIT = 100

REGISTRY_CAPABILITIES = {
    "list": VIEW_REGISTRY,
    "retrieve": VIEW_REGISTRY,
    "options": VIEW_REGISTRY,
    "create": EDIT_REGISTRY,
    "update": EDIT_REGISTRY,
    "partial_update": EDIT_REGISTRY,
}


class PersonFilter(django_filters.FilterSet):
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    birth_date_from = django_filters.DateFilter(field_name="birth_date", lookup_expr="gte")
    birth_date_to = django_filters.DateFilter(field_name="birth_date", lookup_expr="lte")

    class Meta:
        model = Person
        fields = ["birth_date", "sex", "national_id", "citizenship", "territory"]
        filter_overrides = ID_FILTER_OVERRIDES


class HouseholdFilter(django_filters.FilterSet):
    person = IdFilter(method="filter_person", label="Current member (person id)")

    class Meta:
        model = Household
        fields = ["territory", "external_ref"]
        filter_overrides = ID_FILTER_OVERRIDES

    def filter_person(self, queryset, name, value):
        return queryset.filter(memberships__person_id=value, memberships__valid_until__isnull=True)


class _RegistryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = API_PERMISSIONS
    capabilities = REGISTRY_CAPABILITIES
    filter_backends = [AskedFilterBackend]
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description="Name, national ID, phone or address; forgives case, diacritics, script and typos. "
                f"Answers the {SEARCH_LIMIT} best matches, most similar first; without it, by name.",
            )
        ]
    ),
    retrieve=extend_schema(responses={200: PersonSerializer, 404: _NOT_FOUND}, description="The view is audited."),
    create=extend_schema(responses={201: PersonSerializer, 400: _BAD_INPUT}),
    update=extend_schema(responses={200: PersonSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND}),
    partial_update=extend_schema(responses={200: PersonSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND}),
)
@extend_schema(tags=["persons"])
class PersonViewSet(_RegistryViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    queryset = Person.objects.none()  # for the schema; requests read through get_queryset

    def get_queryset(self):
        return list_persons_for(self.request.user).order_by("last_name", "first_name", "id")

    def list(self, request, *args, **kwargs):
        persons = self.filter_queryset(self.get_queryset())
        query = request.query_params.get("search", "").strip()
        if query:
            # Ranked ids of the best matches; only the page's persons are read.
            page = self.paginate_queryset(
                search_results_for(request.user, query, limit=SEARCH_LIMIT, within=persons.order_by())
            )
        else:
            page = self.paginate_queryset(persons)
            attach_current_households(page)
        # Each page carries whole records: one VIEW event names every person on it (decision 0007).
        record_list_view(request.user, object_type="person", person_ids=[p.pk for p in page], query=query)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = services.open_person_record(request.user, kwargs["pk"])
        return Response(self.get_serializer(person).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        allow_similar = data.pop("ignore_similar", False)
        person = services.register_person(request.user, data, allow_similar=allow_similar)
        person.current_membership = None  # just registered: in no household yet
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # Another centre's person is 'not found' whatever the body says.
        person = get_person_for(request.user, kwargs["pk"])
        serializer = self.get_serializer(person, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("ignore_similar", None)  # updates never stop on similar names (update_person's rule)
        person = services.update_person(request.user, person.pk, data)
        return Response(self.get_serializer(person).data)


@extend_schema_view(
    retrieve=extend_schema(responses={200: HouseholdSerializer, 404: _NOT_FOUND}, description="The view is audited."),
    create=extend_schema(
        responses={201: HouseholdSerializer, 400: _BAD_INPUT},
        description="Members must be persons of your centre; one of them the head. A person already in another "
        'household is refused unless "move": true.',
    ),
    update=extend_schema(
        responses={200: HouseholdSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND},
        description="Members is the full current list: persons left out move out (history kept).",
    ),
    partial_update=extend_schema(
        responses={200: HouseholdSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND},
        description="Without members, the members stay as they are.",
    ),
)
@extend_schema(tags=["households"])
class HouseholdViewSet(_RegistryViewSet):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    queryset = Household.objects.none()  # for the schema; requests read through get_queryset

    def get_queryset(self):
        return list_households_for(self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        record_list_view(
            request.user,
            object_type="household",
            person_ids=[m.person_id for household in page for m in household.current_members],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        household = services.open_household_record(request.user, kwargs["pk"])  # members prefetched
        return Response(self.get_serializer(household).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        household = services.create_household(
            request.user,
            serializer.household_data(),
            serializer.member_specs(),
            move=serializer.validated_data.get("move", False),
        )
        fresh = get_household_for(request.user, household.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        household = get_household_for(request.user, kwargs["pk"])
        serializer = self.get_serializer(household, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.update_household(
            request.user,
            household.pk,
            serializer.household_data(),
            serializer.member_specs(),
            move=serializer.validated_data.get("move", False),
        )
        return Response(self.get_serializer(get_household_for(request.user, household.pk)).data)
