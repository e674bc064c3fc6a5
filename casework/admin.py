from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django_fsm.admin import FSMAdminMixin

from casework.exceptions import Conflict, TransitionRefused
from lib import validators

from . import services
from .models import (
    CaseEvent,
    Claim,
    Enterprise,
    IdempotencyKey,
    Membership,
    OrgUnit,
    Petition,
    PetitionSequence,
    Worker,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "path"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org_unit", "enterprise"]
    list_filter = ["role"]
    search_fields = ["user__username", "org_unit__name"]
    autocomplete_fields = ["org_unit", "enterprise"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "grid_area", "industry", "headcount", "has_union"]
    list_filter = ["has_union", "grid_area"]
    search_fields = ["name", "credit_code"]


class NoWholeIdNumberSearch:
    """The admin's search is a GET (?q=): a whole ID number there would land in the access log,
    so it is refused with the reason, as on the case list. Its last digits still find a worker."""

    def get_search_results(self, request, queryset, search_term):
        try:
            validators.refuse_whole_id_number(search_term)
        except ValidationError as err:
            messages.error(request, err.messages[0])
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Worker)
class WorkerAdmin(NoWholeIdNumberSearch, admin.ModelAdmin):
    list_display = ["masked_id_number"]
    search_fields = ["id_number"]

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    autocomplete_fields = ["worker"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "transition", "from_status", "to_status", "reason", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["status"]
    list_display = [
        "number",
        "enterprise",
        "category",
        "status",
        "is_group",
        "priority",
        "received_at",
    ]
    list_filter = ["status", "category", "channel", "is_group", "priority", "zone"]
    search_fields = ["number", "description", "enterprise__name"]
    date_hierarchy = "received_at"
    readonly_fields = ["number", "zone", "is_group", "created_by"]
    autocomplete_fields = ["enterprise"]
    inlines = [ClaimInline, CaseEventInline]

    def add_view(self, request, form_url="", extra_context=None):
        # A petition is recorded through intake, which numbers it and checks for repeats.
        return redirect("casework:intake")

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        """Route admin's transition buttons through the service, so they are checked and
        recorded like every other step."""
        kwargs = dict(kwargs or {})
        reason = kwargs.pop("reason", "")
        try:
            services.fire_transition(
                obj, transition_name, actor=request.user, reason=reason, data=kwargs
            )
        except (TransitionRefused, Conflict, PermissionDenied) as err:
            self.message_user(request, str(err), level=messages.ERROR)
            return False
        except ValidationError as err:
            self.message_user(request, "; ".join(err.messages), level=messages.ERROR)
            return False
        self.message_user(
            request,
            _("%(number)s: %(status)s")
            % {"number": obj.number, "status": obj.get_status_display()},
            level=messages.SUCCESS,
        )
        return True


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["petition", "at", "actor", "transition", "from_status", "to_status"]
    list_filter = ["transition", "to_status"]
    search_fields = ["petition__number", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(NoWholeIdNumberSearch, admin.ModelAdmin):
    list_display = [
        "petition",
        "name",
        "worker",
        "non_local",
        "claimed_amount",
        "is_representative",
    ]
    list_filter = ["non_local"]
    search_fields = ["petition__number", "name", "phone", "worker__id_number"]
    autocomplete_fields = ["petition", "worker"]


@admin.register(PetitionSequence)
class PetitionSequenceAdmin(admin.ModelAdmin):
    list_display = ["zone", "year", "last_value"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "status_code", "created_at"]
    search_fields = ["key"]


# Read-only in admin: what changes only through a service or a flow (the ledger, releases,
# write-offs, flow state); admin shows it.


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
