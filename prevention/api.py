"""The early warnings in the API: GET /api/warnings/, the warnings the user sees on the pages
(their units'; an enterprise union its own enterprise's), open first and the riskiest first,
paginated. A role that sees no warnings is refused (403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from casework import access
from casework.api.serializers import ErrorSerializer
from casework.roles import ARREARS_READER_ROLES, Role

from . import rules, services
from .models import EarlyWarning, WarningStatus


class WarningSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    enterprise_id = serializers.IntegerField()
    grid_area = serializers.CharField(source="enterprise.grid_area.name")
    petition = serializers.CharField(source="petition.number", default=None)
    source = serializers.SerializerMethodField()

    class Meta:
        model = EarlyWarning
        fields = [
            "id",
            "enterprise_id",
            "enterprise",
            "grid_area",
            "level",
            "status",
            "opened_at",
            "closed_at",
            "source",
            "petition",
        ]

    def get_source(self, warning) -> str:
        return "report" if warning.report_id else "visit"


@extend_schema(
    summary="The early warnings the user sees",
    responses={200: WarningSerializer, 401: ErrorSerializer, 403: OpenApiResponse(ErrorSerializer)},
)
class WarningList(generics.ListAPIView):
    serializer_class = WarningSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model only
            return EarlyWarning.objects.none()
        user = self.request.user
        if not access.holds_role(user, (Role.ENTERPRISE_UNION, *ARREARS_READER_ROLES)):
            raise PermissionDenied(_("Early warnings are for mediators, supervisors and unions."))
        rank = Case(
            *(When(level=level, then=i) for i, level in enumerate(rules.LEVELS)),
            output_field=IntegerField(),
        )
        is_open = Case(When(status=WarningStatus.OPEN, then=1), default=0)
        return (
            services.warnings_visible_to(user)
            .select_related("enterprise__grid_area", "petition")
            .order_by(is_open.desc(), rank.desc(), "-opened_at", "-pk")
        )
