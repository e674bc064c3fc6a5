from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineRule,
    DeadlineTimer,
    PetitionProcess,
    PetitionTask,
    TierRule,
)


@admin.register(PetitionProcess)
class PetitionProcessAdmin(ReadOnlyAdmin):
    list_display = ["pk", "petition", "status", "created", "finished"]
    list_filter = ["status"]
    search_fields = ["petition__number"]


@admin.register(PetitionTask)
class PetitionTaskAdmin(ReadOnlyAdmin):
    list_display = ["pk", "petition", "flow_task", "status", "owner", "created", "due_at"]
    list_filter = ["status", "flow_task"]
    search_fields = ["petition__number", "owner__username"]
    list_select_related = ["petition", "owner"]


# Working days and deadlines: the rules and the calendar are edited here; the deadlines and
# timers they produce are shown, and change only through services.


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Every kind has its row (seeded by migration); its numbers change, its meaning does not."""

    list_display = [
        "kind",
        "start_event",
        "length",
        "unit",
        "responsible_role",
        "reminder_percent",
        "extension_length",
    ]
    readonly_fields = ["kind", "start_event"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    """Tried in position order; the first rule whose every set condition holds gives the tier."""

    list_display = [
        "position",
        "tier",
        "workers_at_least",
        "workers_at_most",
        "amount_at_least",
        "amount_at_most",
        "owner_missing",
        "is_group",
        "category",
    ]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = [
        "petition",
        "rule",
        "opened_at",
        "due_at",
        "provisional_year",
        "breached_at",
        "closed_at",
    ]
    list_filter = ["rule", "provisional_year"]
    search_fields = ["petition__number"]
    list_select_related = ["petition", "rule"]


@admin.register(DeadlineTimer)
class DeadlineTimerAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "kind", "fire_at", "fired_at", "outcome", "attempts"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["deadline__petition", "deadline__rule"]
