"""API for case flags: raised when a social contract is breached or refused, for the benefits module and
API clients to act on (art. 11 ust. 2 u.p.s.); and the case detail, which carries them.

Flags are not case content: everyone who sees a case's summary sees its flags (the finance officer needs
them for cash benefits), and a flag carries nothing of the case beyond itself.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES
from socius.casework.api import CaseViewSet
from socius.casework.serializers import CaseSerializer
from socius.common.api import NOT_FOUND, IdField, pk_or_404
from socius.plans.models import CaseFlag, Consequence, FlagKind
from socius.plans.rules import consequence_wording
from socius.plans.selectors import FlagState, flags_of_case, flags_visible_to, get_flag_for
from socius.plans.statuses import ContractStatus


class FlagConsequenceSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Consequence.choices)
    label = serializers.CharField(help_text="In the language of Accept-Language.")
    statutory_label = serializers.CharField(
        help_text="The statutory wording of the centre's jurisdiction, as written; empty when its pack has none."
    )
    legal_basis = serializers.CharField(help_text="Where the law allows it; empty when the pack cites none.")


class FlagContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    ended_on = serializers.DateField(allow_null=True, help_text="The day of the breach or refusal.")


class CaseFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id", help_text="The case (id).")
    case_reference = serializers.CharField(source="case.reference")
    kind = serializers.ChoiceField(choices=FlagKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", help_text="In the language of Accept-Language.")
    state = serializers.SerializerMethodField(help_text="raised until cleared, then cleared.")
    consequence = serializers.SerializerMethodField()
    contract = FlagContractSerializer()
    raised_on = serializers.DateField()
    raised_by = serializers.IntegerField(source="raised_by_id", allow_null=True, help_text="User id.")
    cleared_on = serializers.DateField(allow_null=True)
    cleared_by = serializers.IntegerField(source="cleared_by_id", allow_null=True, help_text="User id.")
    cleared_reason = serializers.CharField(help_text="Why it was cleared; empty while raised.")

    @extend_schema_field(serializers.ChoiceField(choices=FlagState.CHOICES))
    def get_state(self, flag: CaseFlag) -> str:
        return FlagState.RAISED if flag.cleared_on is None else FlagState.CLEARED

    @extend_schema_field(FlagConsequenceSerializer)
    def get_consequence(self, flag: CaseFlag) -> dict:
        wording = self.context.setdefault("wording", {})
        jurisdiction = self.context.get("jurisdiction", "")
        if jurisdiction not in wording:
            wording[jurisdiction] = consequence_wording(jurisdiction)
        statutory, basis = wording[jurisdiction].get(flag.consequence, ("", ""))
        return {
            "code": flag.consequence,
            "label": str(flag.get_consequence_display()),
            "statutory_label": statutory,
            "legal_basis": basis,
        }


class CaseFlagQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")
    state = serializers.ChoiceField(choices=FlagState.CHOICES, required=False, help_text="raised or cleared.")


@extend_schema_view(
    list=extend_schema(
        parameters=[CaseFlagQuerySerializer],
        description="The flags of your centre's cases, newest first: raised when a social contract is breached "
        "or refused, with the consequence for cash benefits and its legal basis. For everyone who may see the "
        "cases' summaries; ?case= and ?state= narrow the list.",
    ),
    retrieve=extend_schema(responses={200: CaseFlagSerializer, 404: NOT_FOUND}),
)
@extend_schema(tags=["cases"])
class CaseFlagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseFlagSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "retrieve": VIEW_CASES, "options": VIEW_CASES}
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = CaseFlag.objects.none()  # for the schema; requests read through the selectors

    def get_serializer_context(self):
        centre = getattr(self.request.user, "centre", None)
        return {**super().get_serializer_context(), "jurisdiction": centre.jurisdiction if centre else ""}

    def get_queryset(self):
        query = CaseFlagQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return flags_visible_to(self.request.user, **query.validated_data)

    def retrieve(self, request, pk=None):
        flag = get_flag_for(request.user, pk_or_404(pk))
        return Response(CaseFlagSerializer(flag, context=self.get_serializer_context()).data)


class CaseDetailSerializer(CaseSerializer):
    flags = CaseFlagSerializer(many=True, help_text="The case's flags, raised and cleared, newest first.")


@extend_schema_view(
    retrieve=extend_schema(
        responses={200: CaseDetailSerializer, 404: NOT_FOUND},
        description="The whole case for those who may read its content (the view is audited); the summary, with "
        "content fields null and content_visible false, for the rest of the centre. Both carry the case's "
        "flags, which are not content.",
    ),
)
class CaseWithFlagsViewSet(CaseViewSet):
    """The cases of casework, whose detail also carries the case's flags (plans sits above casework)."""

    def retrieve(self, request, pk=None):
        response = super().retrieve(request, pk)
        context = {"jurisdiction": request.user.centre.jurisdiction}
        flags = flags_of_case(response.data["id"])
        response.data["flags"] = CaseFlagSerializer(flags, many=True, context=context).data
        return response
