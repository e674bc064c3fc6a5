"""Serializers. Input ones only declare types, for parsing and the schema: the services and their
forms validate (check digits, phones, amounts, representatives), so rules live in one place."""

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework import access, hooks, services
from casework.forms import WorkerRowForm
from casework.models import (
    Agreement,
    AgreementLine,
    CaseEvent,
    Claim,
    Closure,
    Enterprise,
    MediationSession,
    OrgUnit,
    Petition,
    Role,
    Status,
)
from lib import validators

# Input


_ROW = WorkerRowForm.base_fields  # the limits the service enforces, stated in the schema


class WorkerRowSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=_ROW["name"].max_length)
    id_number = serializers.CharField(
        max_length=_ROW["id_number"].max_length, help_text=_("Resident ID number, 18 characters.")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=_ROW["phone"].max_length
    )
    claimed_amount = serializers.DecimalField(
        max_digits=_ROW["claimed_amount"].max_digits,
        decimal_places=_ROW["claimed_amount"].decimal_places,
        min_value=_ROW["claimed_amount"].min_value,
        required=False,
        help_text=_("Yuan, two decimals."),
    )
    non_local = serializers.BooleanField(default=False)
    is_representative = serializers.BooleanField(default=False)


# An id out of the user's reach gets the answer an unknown id gets, so that ids cannot be probed.
_NOT_FOUND = {"does_not_exist": _("There is no such item.")}


class PetitionCreateSerializer(serializers.Serializer):
    """`enterprise` and `org_unit` are looked up among those the user sees (context "request")."""

    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.select_related("grid_area"), error_messages=_NOT_FOUND
    )
    channel = serializers.ChoiceField(choices=Petition.Channel.choices)
    category = serializers.ChoiceField(choices=Petition.Category.choices, required=False)
    description = serializers.CharField()
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Defaults to the enterprise's grid area."),
        error_messages=_NOT_FOUND,
    )
    received_at = serializers.DateTimeField(required=False)
    owner_missing = serializers.BooleanField(required=False)
    priority = serializers.ChoiceField(choices=Petition.Priority.choices, required=False)
    workers = WorkerRowSerializer(many=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # none while the schema is generated
        if request is not None:
            user = request.user
            visible = access.enterprises_visible_to(user).select_related("grid_area")
            self.fields["enterprise"].queryset = visible
            self.fields["org_unit"].queryset = access.units_where(user, Role.values)


class IdNumberSearchSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        help_text=_("Resident ID number, 18 characters."),
        validators=[validators.validate_id_number],
    )

    def validate_id_number(self, value):
        return validators.normalize_code(value)


class LinkFactsSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True, help_text=_("What is new."))
    workers = WorkerRowSerializer(
        many=True, required=False, help_text=_("Workers to add; those already on it are skipped.")
    )


class TransitionRequestSerializer(serializers.Serializer):
    """`reason` and `expected_status` for every step; the others only for the steps whose form
    has them (see a petition's `available_transitions`). For reach_agreement, `amount_<claim id>`
    sets one worker's agreed amount (default: as claimed)."""

    CONTROL_FIELDS = ("reason", "expected_status")

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text=_("The status you saw; if the petition has moved on since, the answer is 409."),
    )
    body = serializers.CharField(
        required=False, allow_blank=True, help_text=_("refer, refer_out: receiving body.")
    )
    referral_type = serializers.CharField(
        required=False, allow_blank=True, help_text=_("refer: referred to.")
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, help_text=_("refer: their reference.")
    )
    signed_on = serializers.CharField(required=False, help_text=_("reach_agreement: YYYY-MM-DD."))
    due_date = serializers.CharField(
        required=False, help_text=_("reach_agreement: payment due, YYYY-MM-DD.")
    )
    terms = serializers.CharField(required=False, allow_blank=True, help_text=_("reach_agreement."))
    outcome_notice = serializers.CharField(
        required=False, help_text=_("close: what the petitioner was told.")
    )
    rating = serializers.CharField(
        required=False, allow_blank=True, help_text=_("close: satisfaction, 1-5.")
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text=_("close: the petitioner's comment.")
    )

    def form_data(self):
        """Every field but the control ones, as sent: the step's form validates them."""
        return {k: v for k, v in self.initial_data.items() if k not in self.CONTROL_FIELDS}


# Output


class OrgUnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class EnterpriseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name"]


class PetitionSummarySerializer(serializers.ModelSerializer):
    """What the list and the detail both show of a petition."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True)
    org_unit = OrgUnitRefSerializer(read_only=True)

    class Meta:
        model = Petition
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "channel",
            "category",
            "priority",
            "received_at",
            "owner_missing",
            "is_group",
            "enterprise",
            "org_unit",
        ]
        read_only_fields = fields


class PetitionListSerializer(PetitionSummarySerializer):
    """Needs the queryset from `Petition.objects.with_totals()`."""

    workers_count = serializers.IntegerField(read_only=True)
    claimed_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta(PetitionSummarySerializer.Meta):
        fields = [*PetitionSummarySerializer.Meta.fields, "workers_count", "claimed_total"]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    """One worker on the petition. The ID number is masked unless context["full_id_numbers"],
    the phone unless context["full_phones"]."""

    worker_id = serializers.IntegerField(read_only=True)
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "worker_id",
            "name",
            "id_number",
            "phone",
            "claimed_amount",
            "non_local",
            "is_representative",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, claim):
        if self.context.get("full_id_numbers"):
            return claim.worker.id_number
        return claim.worker.masked_id_number

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, claim):
        return access.claim_phone(claim, whole=self.context.get("full_phones", False))


class FormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=["string", "choice", "decimal", "boolean", "date"])
    required = serializers.BooleanField()
    choices = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text=_("For type 'choice': [{value, label}]."),
    )


class TransitionSerializer(serializers.Serializer):
    """A step this user may take now, and what its form asks for besides the reason."""

    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.ChoiceField(choices=Status.choices)
    reason_required = serializers.BooleanField()
    fields = FormFieldSerializer(many=True)


def describe_transition(spec):
    form_fields = services.transition_form_class(spec).base_fields
    return {
        "name": spec.name,
        "label": str(spec.custom["label"]),
        "target": spec.target,
        "reason_required": form_fields["reason"].required,
        "fields": [
            describe_form_field(name, field)
            for name, field in form_fields.items()
            if name != "reason"
        ],
    }


_FIELD_TYPES = [
    (forms.ChoiceField, "choice"),
    (forms.DecimalField, "decimal"),
    (forms.BooleanField, "boolean"),
    (forms.DateField, "date"),
]


def describe_form_field(name, field):
    kind = next((kind for cls, kind in _FIELD_TYPES if isinstance(field, cls)), "string")
    described = {"name": name, "label": str(field.label), "type": kind, "required": field.required}
    if kind == "choice":
        # Strings, as the schema says: a form posts them so (the close step's rating is coerced).
        described["choices"] = [
            {"value": str(v), "label": str(label)} for v, label in field.choices
        ]
    return described


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, read_only=True)
    from_label = serializers.CharField(read_only=True)
    to_label = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "actor",
            "transition",
            "from_status",
            "from_label",
            "to_status",
            "to_label",
            "reason",
            "data",
        ]
        read_only_fields = fields


def _open_task(petition):
    """The open task `views.with_details` prefetched (at most one per petition), or None."""
    return next(iter(getattr(petition, "open_tasks", ())), None)


class OpenTaskSerializer(serializers.Serializer):
    """The petition's open task: its step, who holds it (null: in the queue), and when it is due."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="flow_task.name", help_text=_("The step, e.g. mediate."))
    title = serializers.CharField(source="flow_task.task_title")
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    due_at = serializers.DateTimeField(allow_null=True)
    due_provisional_year = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The first year counted to due_at whose official holiday arrangement is not "
            "published yet (null: none): the due date is provisional and may move."
        ),
    )


class MediationSessionSerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = MediationSession
        fields = [
            "id",
            "held_at",
            "place",
            "parties_present",
            "notes",
            "outcome",
            "outcome_label",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AgreementLineSerializer(serializers.ModelSerializer):
    worker_id = serializers.IntegerField(source="claim.worker_id", read_only=True)
    name = serializers.CharField(source="claim.name", read_only=True)
    claimed_amount = serializers.DecimalField(
        source="claim.claimed_amount", max_digits=12, decimal_places=2, read_only=True
    )

    class Meta:
        model = AgreementLine
        fields = ["worker_id", "name", "claimed_amount", "amount"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    lines = AgreementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = ["id", "signed_on", "due_date", "terms", "recorded_by", "recorded_at", "lines"]
        read_only_fields = fields


class ClosureSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = Closure
        fields = ["id", "outcome_notice", "rating", "comment", "recorded_by", "recorded_at"]
        read_only_fields = fields


class PetitionDetailSerializer(PetitionSummarySerializer):
    """Needs the queryset from `views.with_details` and the request in the context."""

    recorded_by = serializers.CharField(
        source="created_by.username", allow_null=True, read_only=True
    )
    workers = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    open_task = serializers.SerializerMethodField()
    sessions = MediationSessionSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    closures = ClosureSerializer(many=True, read_only=True)
    timeline = CaseEventSerializer(source="events", many=True, read_only=True)

    class Meta(PetitionSummarySerializer.Meta):
        fields = [
            *PetitionSummarySerializer.Meta.fields,
            "description",
            "recorded_by",
            "updated_at",
            "workers",
            "available_transitions",
            "open_task",
            "sessions",
            "agreements",
            "closures",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenTaskSerializer(allow_null=True))
    def get_open_task(self, petition):
        task = _open_task(petition)
        return OpenTaskSerializer(task).data if task else None

    @extend_schema_field(ClaimSerializer(many=True))
    def get_workers(self, petition):
        user, unit = self.context["request"].user, petition.org_unit
        context = {
            "full_id_numbers": access.may_see_full_id_numbers(user, unit),
            "full_phones": access.may_see_full_phones(user, unit),
        }
        return ClaimSerializer(petition.claims.all(), many=True, context=context).data

    @extend_schema_field(TransitionSerializer(many=True))
    def get_available_transitions(self, petition):
        user = self.context["request"].user
        specs = services.available_transitions(petition, user)
        specs = hooks.tasks().steps_open_to(user, petition, _open_task(petition), specs)
        return [describe_transition(spec) for spec in specs]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Invalid input only: messages per field; for workers, one per row."),
    )
    petition = serializers.DictField(
        required=False, help_text=_("repeat_petition only: the open case's id and number.")
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()
