"""The monthly arrears reports in the API: the reports a user may read, filing one (or the zero
report), and the reports missing for a month. Each view calls the same `arrears.services`
functions as the pages. An enterprise the user may not read answers as one that does not exist
(404); one the user reads but may not file for is a 403; a month already reported is a 409; bad
input is a 400 naming the field."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import access
from casework.api.serializers import ErrorSerializer
from casework.models import Enterprise
from casework.roles import ARREARS_READER_ROLES

from . import services
from .models import RISK_SIGNALS, MonthlyReport, WagesPaid

MONTH_HELP = _("A month as 2026-11.")
# An id's range (a BigAutoField): a larger number names nothing, and SQLite cannot compare it.
ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


def _errors(*codes):
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


class MonthField(serializers.DateField):
    """A month as 2026-11, read as its first day."""

    default_error_messages = {"invalid": _("Enter a month as 2026-11.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", MONTH_HELP)
        super().__init__(format="%Y-%m", input_formats=["%Y-%m"], **kwargs)


# Output


class MonthlyReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name")
    month = MonthField()
    amount_owed = serializers.DecimalField(max_digits=14, decimal_places=2)
    signals = serializers.SerializerMethodField(
        help_text=_("The risk signals the report declares, by key.")
    )
    declares_arrears = serializers.BooleanField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "month",
            "filed_at",
            "is_zero",
            "wages",
            "months_in_arrears",
            "workers_affected",
            "amount_owed",
            "signals",
            "declares_arrears",
            "note",
        ]

    def get_signals(self, report) -> list[str]:
        return [name for name, _label in RISK_SIGNALS if getattr(report, name)]


class MissingReportSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    grid_area = serializers.CharField(source="grid_area.name")
    due_on = serializers.DateField()


# Input


class ZeroInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(**ID_RANGE)
    month = MonthField()


class ReportInputSerializer(ZeroInputSerializer):
    wages = serializers.ChoiceField(choices=WagesPaid.choices)
    months_in_arrears = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    workers_affected = serializers.IntegerField(min_value=0, max_value=2147483647, default=0)
    amount_owed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)

    def get_fields(self):
        fields = super().get_fields()
        for name, label in RISK_SIGNALS:
            fields[name] = serializers.BooleanField(default=False, help_text=label)
        return fields


class MonthQuerySerializer(serializers.Serializer):
    month = MonthField(required=False)
    enterprise = serializers.IntegerField(required=False, **ID_RANGE)


def _enterprise(user, pk):
    readable = services.enterprises_readable_by(user).select_related("grid_area")
    return get_object_or_404(readable, pk=pk)


def _query(request):
    query = MonthQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


MONTH_PARAMETER = OpenApiParameter("month", OpenApiTypes.STR, description=MONTH_HELP)


class ReportsView(generics.ListAPIView):
    serializer_class = MonthlyReportSerializer

    def get_queryset(self):
        query = _query(self.request)
        enterprises = services.enterprises_readable_by(self.request.user)
        reports = MonthlyReport.objects.filter(enterprise__in=enterprises)
        if "month" in query:
            reports = reports.filter(month=services.first_of_month(query["month"]))
        if "enterprise" in query:
            reports = reports.filter(enterprise=query["enterprise"])
        return reports.select_related("enterprise").order_by("-month", "enterprise__name", "pk")

    @extend_schema(
        summary=_("The monthly reports the user may read, newest first"),
        parameters=[
            MONTH_PARAMETER,
            OpenApiParameter("enterprise", OpenApiTypes.INT, description=_("The enterprise's id.")),
        ],
        responses={200: MonthlyReportSerializer(many=True), **_errors(400, 401)},
    )
    def get(self, request):
        return super().get(request)

    @extend_schema(
        summary=_("File an enterprise's report for a month"),
        request=ReportInputSerializer,
        responses={201: MonthlyReportSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = _valid(ReportInputSerializer, request)
        enterprise = _enterprise(request.user, data.pop("enterprise"))
        report = services.file_report(enterprise, data.pop("month"), actor=request.user, **data)
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ZeroReportView(APIView):
    @extend_schema(
        summary=_("File an enterprise's zero report (nothing owed) for a month"),
        request=ZeroInputSerializer,
        responses={201: MonthlyReportSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = _valid(ZeroInputSerializer, request)
        enterprise = _enterprise(request.user, data["enterprise"])
        report = services.file_zero_report(enterprise, data["month"], actor=request.user)
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class MissingView(APIView):
    @extend_schema(
        summary=_("The enterprises of the user's units whose report for a month is missing"),
        description=_("The month is last month by default, whose reports fall due this month."),
        parameters=[MONTH_PARAMETER],
        responses={200: MissingReportSerializer(many=True), **_errors(400, 401, 403)},
    )
    def get(self, request):
        units = access.units_where(request.user, ARREARS_READER_ROLES)
        if not units.exists():
            raise PermissionDenied(_("Only mediators and supervisors see their units' reports."))
        query = _query(request)
        month = query.get("month") or services.last_month(timezone.localdate())
        enterprises = Enterprise.objects.filter(grid_area__in=units)
        missing = services.missing_among(enterprises, month, timezone.localdate())
        return Response(MissingReportSerializer(missing, many=True).data)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
