"""The petitions API. Each view authorizes (a queryset of what the user may see), loads, calls one
service and serializes; refusals are exceptions that `errors.exception_handler` answers."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from casework import access, hooks, lockout, services
from casework.filters import PetitionFilter
from casework.models import (
    Agreement,
    AgreementLine,
    CaseEvent,
    Claim,
    Closure,
    MediationSession,
)
from casework.roles import INTAKE_ROLES
from casework.throttles import SearchRateThrottle

from . import serializers as s
from .errors import SigninLockedOut
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import idempotent


def _errors(*codes):
    return {code: OpenApiResponse(s.ErrorSerializer) for code in codes}


@extend_schema(
    request=s.TokenRequestSerializer,
    responses={200: s.TokenSerializer, **_errors(400, 429)},
    auth=[],
)
class TokenView(ObtainAuthToken):
    """Exchange a username and password for the token to send as `Authorization: Token <key>`.
    After repeated failures the user name is refused for a while (429, `locked_out`)."""

    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if seconds := lockout.seconds_left(username):
            raise SigninLockedOut(wait=seconds)
        return super().post(request, *args, **kwargs)


def with_details(queryset):
    """What the detail shows, in a fixed number of queries whatever the number of rows."""
    lines = AgreementLine.objects.select_related("claim").order_by("claim_id")
    tasks = hooks.tasks().open_tasks_prefetch()
    return queryset.select_related("enterprise", "org_unit", "created_by").prefetch_related(
        *([tasks] if tasks else []),
        Prefetch("claims", queryset=Claim.objects.select_related("worker")),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        Prefetch("sessions", queryset=MediationSession.objects.select_related("recorded_by")),
        Prefetch("agreements", queryset=Agreement.objects.select_related("recorded_by")),
        Prefetch("agreements__lines", queryset=lines),
        Prefetch("closures", queryset=Closure.objects.select_related("recorded_by")),
    )


class PetitionPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_schema_operation_parameters(self, view):
        """The limits this pagination enforces: pages from 1, page sizes from 1 to the max."""
        limits = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(limits.get(parameter["name"], {}))
        return parameters


class FilesPetitions(permissions.IsAuthenticated):
    """Recording a petition: a role that files nowhere is refused before its body (or its
    Idempotency-Key) is read, so it cannot learn which enterprises exist."""

    message = _("You may not record petitions.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return view.action != "create" or access.holds_role(request.user, INTAKE_ROLES)


@extend_schema_view(
    list=extend_schema(
        summary=_("Petitions visible to the user"),
        responses={200: s.PetitionListSerializer, **_errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("A petition with its workers, available steps and timeline"),
        responses={200: s.PetitionDetailSerializer, **_errors(401, 403, 404)},
    ),
)
class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [FilesPetitions]
    pagination_class = PetitionPagination
    filterset_class = PetitionFilter
    ordering_fields = ["received_at", "number", "priority", "status"]

    def get_queryset(self):
        visible = access.petitions_visible_to(self.request.user)
        if self.action == "list":
            return visible.with_totals()
        if self.action == "retrieve":
            return with_details(visible)
        return visible.select_related("org_unit")

    def get_throttles(self):
        searching = self.action == "find_by_id_number" or (
            self.action == "list" and self.request.query_params.get("search", "").strip()
        )
        throttles = super().get_throttles()
        return [*throttles, SearchRateThrottle()] if searching else throttles

    def get_serializer_class(self):
        if self.action == "list":
            return s.PetitionListSerializer
        return s.PetitionDetailSerializer

    @extend_schema(
        summary=_("Record a petition"),
        parameters=[IDEMPOTENCY_KEY],
        request=s.PetitionCreateSerializer,
        responses={
            201: s.PetitionDetailSerializer,
            **_errors(400, 401, 403, 422),
            409: OpenApiResponse(
                s.ErrorSerializer,
                description=_(
                    "repeat_petition: an open case already covers a worker; "
                    "`error.petition` names it, link the new facts there."
                ),
            ),
        },
    )
    @idempotent
    def create(self, request):
        serializer = s.PetitionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        petition = services.record_petition(actor=request.user, **serializer.validated_data)
        return self._detail(petition, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Petitions naming a worker, found by ID number"),
        description=_(
            "For roles that see ID numbers whole, at the units where they do. A POST, so that "
            "the number stays out of addresses and logs; counted in the search limit."
        ),
        request=s.IdNumberSearchSerializer,
        responses={200: s.PetitionListSerializer(many=True), **_errors(400, 401, 403, 429)},
    )
    @action(detail=False, methods=["post"], url_path="find-by-id-number")
    def find_by_id_number(self, request):
        if not access.may_search_id_numbers(request.user):
            raise exceptions.PermissionDenied(_("You may not search by ID number."))
        body = s.IdNumberSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        petitions = access.petitions_naming(request.user, body.validated_data["id_number"])
        return Response(s.PetitionListSerializer(petitions.with_totals(), many=True).data)

    @extend_schema(
        summary=_("Add a repeat petition's facts to this open one"),
        parameters=[IDEMPOTENCY_KEY],
        request=s.LinkFactsSerializer,
        responses={200: s.PetitionDetailSerializer, **_errors(400, 401, 403, 404, 422)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def link(self, request, pk=None):
        petition = self.get_object()
        serializer = s.LinkFactsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.link_facts(petition, actor=request.user, **serializer.validated_data)
        return self._detail(petition)

    @extend_schema(
        summary=_("Take a step of the petition's life cycle"),
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=services.transition_names()),
        ],
        request=s.TransitionRequestSerializer,
        responses={
            200: s.PetitionDetailSerializer,
            **_errors(401, 403, 404),
            400: OpenApiResponse(
                s.ErrorSerializer,
                description=_(
                    "invalid: bad input, per field; transition_refused: no such step, "
                    "or not possible in this state."
                ),
            ),
            409: OpenApiResponse(
                s.ErrorSerializer,
                description=_(
                    "conflict: the petition changed meanwhile (or is not in "
                    "`expected_status`); reload it."
                ),
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[^/]+)")
    def transition(self, request, pk=None, name=None):
        petition = self.get_object()
        serializer = s.TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.fire_transition(
            petition,
            name,
            actor=request.user,
            reason=serializer.validated_data["reason"],
            data=serializer.form_data(),
            expected_status=serializer.validated_data.get("expected_status"),
        )
        return self._detail(petition)

    def _detail(self, petition, status_code=status.HTTP_200_OK):
        fresh = get_object_or_404(
            with_details(access.petitions_visible_to(self.request.user)), pk=petition.pk
        )
        serializer = s.PetitionDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, path):
    """Any other address under /api/: a 404 in the API's error shape, not an HTML page."""
    raise exceptions.NotFound()
