"""The warning rules are edited here; warnings and visits are shown, and change only through
`prevention.services`."""

from django.contrib import admin

from arrears.models import FACT_FIELDS
from casework.admin import ReadOnlyAdmin

from .models import EarlyWarning, ScreeningVisit, WarningRule


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "level",
        "amount_owed_at_least",
        "workers_affected_at_least",
        "signals_at_least",
        "signals",
        "history_count",
        "history_months",
        "active",
    ]
    list_editable = ["active"]


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "level", "status", "opened_at", "closed_at", "petition"]
    list_filter = ["level", "status"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "petition"]


@admin.register(ScreeningVisit)
class ScreeningVisitAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "visited_on", "visited_by", "amount_owed"]
    search_fields = ["enterprise__name"]
    fields = ["enterprise", "visited_on", "visited_by", *FACT_FIELDS, "notes"]
