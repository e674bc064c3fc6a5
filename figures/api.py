"""The figures in the API: the same report as the statistics page, as JSON. A role that sees
no figures is refused (403); a unit the user may not see answers as one that does not exist
(404); bad input is a 400 naming the field."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.serializers import ErrorSerializer

from . import services
from .forms import PERIOD
from .views import visible_units

FIGURES = _(
    "Every figure of the table by its key: counts as numbers, amounts as text in yuan; the "
    "median days and the average rating are null when there is nothing to measure."
)


class QuerySerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, help_text=_("An org unit's id; the user's first unit by default.")
    )
    start = serializers.DateField(validators=PERIOD)
    end = serializers.DateField(validators=PERIOD)

    def validate(self, data):
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("The end comes before the start.")})
        return data


class ColumnSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    figures = serializers.JSONField(help_text=FIGURES)


class ReportSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    sentence = serializers.CharField()
    total = serializers.JSONField(help_text=FIGURES)
    sub_units = ColumnSerializer(many=True)


def _value(kind, value):
    if value is None:
        return None
    if kind == "count":
        return value
    return str(value)


def as_json(report):
    table = services.table(report)

    def column(i):
        return {key: _value(kind, values[i]) for key, _label, kind, values in table}

    sub_units = []
    for i, ((heading, _figures), unit) in enumerate(
        zip(report.columns, report.column_units, strict=True), start=1
    ):
        sub_units.append({"unit": unit, "name": heading, "figures": column(i)})
    return {
        "unit": report.unit.pk,
        "name": report.unit.name,
        "start": report.start,
        "end": report.end,
        "sentence": report.sentence,
        "total": column(0),
        "sub_units": sub_units,
    }


class FiguresView(APIView):
    @extend_schema(
        summary=_("The figures of a unit and its sub-units for a period"),
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description=_("An org unit's id.")),
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={
            200: ReportSerializer,
            **{code: OpenApiResponse(ErrorSerializer) for code in (400, 401, 403, 404)},
        },
    )
    def get(self, request):
        units = visible_units(request.user)
        query = QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit = get_object_or_404(units, pk=data["unit"]) if "unit" in data else units.first()
        report = services.unit_figures(unit, data["start"], data["end"])
        return Response(ReportSerializer(as_json(report)).data)
