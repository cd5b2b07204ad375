"""API shapes for help plans and social contracts. Shape only: the services check the rest."""

from __future__ import annotations

from rest_framework import serializers

from socius.common.api import IdField, IdListField, SmallIntegerField
from socius.common.limits import NOTES_MAX_LENGTH
from socius.plans.models import ActionKind, Consequence, ContractVariant, ObligationParty, Responsible
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus


class CaseQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")


class PlanActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    description = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    responsible = serializers.ChoiceField(choices=Responsible.choices)
    partner_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=ActionStatus.choices, read_only=True)
    outcome = serializers.CharField(read_only=True)


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    description = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    order = SmallIntegerField(
        required=False, allow_null=True, default=None, help_text="Position among the plan's goals; last when left out."
    )
    actions = PlanActionSerializer(many=True, read_only=True)


class PlanBasisSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="pk", help_text="The interview (id).")
    completed_on = serializers.DateField()
    diagnosis = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    conclusions = serializers.CharField(max_length=NOTES_MAX_LENGTH)


class HelpPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    title = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)
    valid_from = serializers.DateField()
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    assessment = IdField(
        source="assessment_id",
        required=False,
        allow_null=True,
        help_text="The completed interview of the case the plan builds on; null for none; the case's latest "
        "completed interview when left out.",
    )
    basis = PlanBasisSerializer(
        source="assessment", read_only=True, allow_null=True, help_text="Its diagnosis and conclusions."
    )
    outcome = serializers.CharField(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AddActionSerializer(PlanActionSerializer):
    goal = IdField(source="goal_id", help_text="The goal of this plan (id).")


class PlanStatusSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to complete.", max_length=NOTES_MAX_LENGTH
    )


class ActionStatusSerializer(serializers.Serializer):
    action = IdField(help_text="The action of this plan (id).")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)


class ReviewSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH)
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    party = serializers.ChoiceField(choices=ObligationParty.choices)
    description = serializers.CharField(max_length=NOTES_MAX_LENGTH)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_done = serializers.BooleanField(read_only=True)


class ObligationMarkSerializer(serializers.Serializer):
    obligation = IdField(help_text="The obligation of this contract (id).")
    is_done = serializers.BooleanField(default=True)


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    consequence = serializers.CharField(read_only=True)
    raised_on = serializers.DateField(read_only=True)
    cleared_on = serializers.DateField(read_only=True, allow_null=True)
    cleared_reason = serializers.CharField(read_only=True)


class SocialContractSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    variant = serializers.ChoiceField(
        choices=ContractVariant.choices, required=False, allow_null=True, default=None,
        help_text="PL: IA_IIA or IB_IIB; elsewhere general (the default).",
    )  # fmt: skip
    clients = IdListField(help_text="Persons of the case's household (ids) who sign.")
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    causes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    strengths = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    limitations = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    goals = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.ChoiceField(choices=ContractStatus.choices, read_only=True)
    signed_on = serializers.DateField(read_only=True, allow_null=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    end_reasons = serializers.CharField(read_only=True)
    consequence = serializers.CharField(read_only=True)
    evaluation = serializers.CharField(read_only=True)
    obligations = ObligationSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


class OnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Today when left out.")


class FulfilSerializer(OnSerializer):
    evaluation = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH)


class TerminateSerializer(OnSerializer):
    reasons = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH)


class BreachSerializer(serializers.Serializer):
    on = serializers.DateField()
    reasons = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH)
    consequence = serializers.ChoiceField(choices=Consequence.choices)
