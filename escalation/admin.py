"""The escalation rules are edited here; escalations are shown, and change only through
`escalation.services`."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import Escalation, EscalationRule


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "threshold", "deadline", "active"]
    list_editable = ["active"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["petition", "escalated_at", "acknowledged_at", "closed_at"]
    search_fields = ["petition__number"]
    list_select_related = ["petition"]
