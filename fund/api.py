"""The emergency fund in the API: releases from draft to recovery, write-off signatures and the
fund statement. Each view authorizes (a queryset of what the user may see), loads, calls one
`fund.services` function and serializes; refusals are exceptions
`casework.api.errors.exception_handler` answers (400 invalid, 403 not yours to do, 404 not yours
to see, 409 changed meanwhile or not enough money)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework import access
from casework.api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from casework.api.idempotency import idempotent
from casework.api.serializers import ErrorSerializer
from casework.roles import FUND_ROLES

from . import reports, services
from .models import FundPurpose, JournalEntry, Release, ReleaseLine, ReleaseStatus, WriteOff

MONEY = {"max_digits": 14, "decimal_places": 2}
AMOUNT = format_lazy(
    _("Yuan as text: more than zero, at most two decimals, at most {max}."),
    max=services.MAX_AMOUNT,
)


def _errors(*codes, **described):
    answers = {code: OpenApiResponse(ErrorSerializer) for code in codes}
    answers.update(
        {
            int(code[1:]): OpenApiResponse(ErrorSerializer, description=text)
            for code, text in described.items()
        }
    )
    return answers


CONFLICT = _(
    "conflict: the release changed meanwhile (or is not in `expected_status`); "
    "insufficient_funds: the fund cannot cover it now. Nothing was changed."
)

# Input


class LineInputSerializer(serializers.Serializer):
    worker = serializers.IntegerField(help_text=_("A worker on the petition (worker id)."))
    purpose = serializers.ChoiceField(choices=FundPurpose.choices)
    amount = serializers.CharField(help_text=AMOUNT)


class DraftSerializer(serializers.Serializer):
    petition = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)
    lines = LineInputSerializer(many=True)


class ExpectedSerializer(serializers.Serializer):
    expected_status = serializers.ChoiceField(
        choices=ReleaseStatus.choices,
        required=False,
        help_text=_("The status you saw; if the release has moved on since, the answer is 409."),
    )


class StepSerializer(ExpectedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PaymentSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    failure_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DisburseSerializer(ExpectedSerializer):
    payments = PaymentSerializer(
        many=True, help_text=_("Per line: the payment reference, or why it could not be paid.")
    )


class RecoverySerializer(ExpectedSerializer):
    amount = serializers.CharField(help_text=AMOUNT)
    source = serializers.ChoiceField(
        choices=[JournalEntry.Source.EMPLOYER, JournalEntry.Source.EMPLOYER_ASSETS]
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    memo = serializers.CharField(required=False, allow_blank=True, default="")


class WriteOffInputSerializer(ExpectedSerializer):
    amount = serializers.CharField(help_text=AMOUNT)
    reason = serializers.CharField(allow_blank=True)


# Output


class LineSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="claim.name", read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)

    class Meta:
        model = ReleaseLine
        fields = [
            "id",
            "worker",
            "name",
            "purpose",
            "purpose_label",
            "amount",
            "state",
            "payment_reference",
            "failure_reason",
            "paid_at",
        ]
        read_only_fields = fields


class WriteOffSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True)
    supervisor = serializers.CharField(source="supervisor.username", default=None, read_only=True)
    liaison = serializers.CharField(source="liaison.username", default=None, read_only=True)

    class Meta:
        model = WriteOff
        fields = [
            "id",
            "release",
            "amount",
            "reason",
            "state",
            "proposed_by",
            "supervisor",
            "liaison",
        ]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    """Needs `reports.with_outstanding` for `outstanding`."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    petition_number = serializers.CharField(source="petition.number", read_only=True)
    enterprise = serializers.CharField(source="petition.enterprise.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    outstanding = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "petition",
            "petition_number",
            "enterprise",
            "fund",
            "status",
            "status_label",
            "total",
            "outstanding",
            "needs_signature",
            "reason",
            "decision_note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ReleaseDetailSerializer(ReleaseSerializer):
    lines = LineSerializer(many=True, read_only=True)
    write_offs = WriteOffSerializer(many=True, read_only=True)

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "lines", "write_offs"]
        read_only_fields = fields


class StatementSerializer(serializers.Serializer):
    fund = serializers.IntegerField(source="fund.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    opening = serializers.DecimalField(**MONEY)
    contributions = serializers.DecimalField(**MONEY)
    releases = serializers.DecimalField(**MONEY)
    recoveries = serializers.DecimalField(**MONEY)
    corrections = serializers.DecimalField(**MONEY)
    write_offs = serializers.DecimalField(**MONEY)
    closing = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)


PERIOD = [MinValueValidator(reports.FIRST_DAY), MaxValueValidator(reports.LAST_DAY)]


class StatementQuerySerializer(serializers.Serializer):
    start = serializers.DateField(validators=PERIOD)
    end = serializers.DateField(validators=PERIOD)

    def validate(self, data):
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("The end comes before the start.")})
        return data


# Views


class ReleaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_fields = ["status", "petition", "fund"]

    def get_queryset(self):
        releases = reports.with_outstanding(services.visible_releases(self.request.user))
        releases = releases.select_related(
            "petition__enterprise", "petition__org_unit", "created_by"
        )
        if self.action == "retrieve":
            lines = ReleaseLine.objects.select_related("claim").order_by("claim__name", "purpose")
            releases = releases.prefetch_related(
                Prefetch("lines", queryset=lines),
                Prefetch(
                    "write_offs",
                    queryset=WriteOff.objects.select_related(
                        "proposed_by", "supervisor", "liaison"
                    ),
                ),
            )
        return releases.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ReleaseDetailSerializer if self.action == "retrieve" else ReleaseSerializer

    def _detail(self, release, status_code=status.HTTP_200_OK):
        self.action = "retrieve"  # the detail's queryset, with lines and write-offs
        release = get_object_or_404(self.get_queryset(), pk=release.pk)
        return Response(ReleaseDetailSerializer(release).data, status=status_code)

    def _step(self, request, serializer_class, run):
        release = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.expect_status(release, data.pop("expected_status", None))
        run(release, data)
        return self._detail(release)

    @extend_schema(
        summary=_("Draft a release for a wage-arrears petition"),
        parameters=[IDEMPOTENCY_KEY],
        request=DraftSerializer,
        responses={201: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, 422)},
    )
    @idempotent
    def create(self, request):
        serializer = DraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        petition = get_object_or_404(
            access.petitions_visible_to(request.user).select_related("org_unit"),
            pk=data["petition"],
        )
        release = services.draft_release(
            petition, actor=request.user, reason=data["reason"], lines=data["lines"]
        )
        return self._detail(release, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Submit a draft for approval"),
        request=StepSerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(
            request, StepSerializer, lambda r, d: services.submit_release(r, actor=request.user)
        )

    @extend_schema(
        summary=_("Approve (supervisor; never whoever drafted or submitted it)"),
        request=StepSerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(
            request,
            StepSerializer,
            lambda r, d: services.approve_release(r, actor=request.user, note=d["note"]),
        )

    @extend_schema(
        summary=_(
            "Reject with a note (supervisor, or the committee liaison when it awaits signature)"
        ),
        request=StepSerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(
            request,
            StepSerializer,
            lambda r, d: services.reject_release(r, actor=request.user, note=d["note"]),
        )

    @extend_schema(
        summary=_("Sign a release above the threshold (committee liaison)"),
        request=StepSerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._step(
            request,
            StepSerializer,
            lambda r, d: services.sign_release(r, actor=request.user, note=d["note"]),
        )

    @extend_schema(
        summary=_("Record payments per line (finance)"),
        request=DisburseSerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        def run(release, data):
            payments = {p["line"]: p for p in data["payments"]}
            services.disburse_release(release, actor=request.user, payments=payments)

        return self._step(request, DisburseSerializer, run)

    @extend_schema(
        summary=_("Book money recovered from the employer (finance)"),
        parameters=[IDEMPOTENCY_KEY],
        request=RecoverySerializer,
        responses={200: ReleaseDetailSerializer, **_errors(400, 401, 403, 404, 422, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def recover(self, request, pk=None):
        return self._step(
            request,
            RecoverySerializer,
            lambda r, d: services.record_recovery(r, actor=request.user, **d),
        )

    @extend_schema(
        summary=_("Propose a write-off of what cannot be recovered"),
        parameters=[IDEMPOTENCY_KEY],
        request=WriteOffInputSerializer,
        responses={201: WriteOffSerializer, **_errors(400, 401, 403, 404, 422, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"], url_path="write-offs")
    @idempotent
    def write_off(self, request, pk=None):
        release = self.get_object()
        serializer = WriteOffInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.expect_status(release, data.pop("expected_status", None))
        write_off = services.propose_write_off(release, actor=request.user, **data)
        return Response(WriteOffSerializer(write_off).data, status=status.HTTP_201_CREATED)


class WriteOffViewSet(viewsets.GenericViewSet):
    serializer_class = WriteOffSerializer

    def get_queryset(self):
        return WriteOff.objects.filter(
            release__in=services.visible_releases(self.request.user)
        ).select_related("release__petition__org_unit", "proposed_by", "supervisor", "liaison")

    @extend_schema(
        summary=_("Sign a write-off (a supervisor and the committee liaison; the second books it)"),
        request=None,
        responses={200: WriteOffSerializer, **_errors(401, 403, 404, _409=CONFLICT)},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        write_off = services.sign_write_off(self.get_object(), actor=request.user)
        return Response(WriteOffSerializer(write_off).data)


class FundViewSet(viewsets.GenericViewSet):
    def get_queryset(self):
        return reports.funds_for(self.request.user, FUND_ROLES)

    @extend_schema(
        summary=_("The fund's statement for a period"),
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=True,
                description=format_lazy(
                    _("The first day of the period, from {first} to {last}."),
                    first=reports.FIRST_DAY,
                    last=reports.LAST_DAY,
                ),
            ),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                required=True,
                description=format_lazy(
                    _("The last day of the period: not before start, at most {last}."),
                    last=reports.LAST_DAY,
                ),
            ),
        ],
        responses={200: StatementSerializer, **_errors(400, 401, 404)},
    )
    @action(detail=True, methods=["get"])
    def statement(self, request, pk=None):
        fund = self.get_object()
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        st = reports.statement(fund, query.validated_data["start"], query.validated_data["end"])
        return Response(StatementSerializer(st).data)
