"""The monthly reports in admin: the due days and the responsibility letters are edited here;
reports are filed through `arrears.services` and the reminders and alerts of missing ones sent by
`arrears.timers`, so they are read-only."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import (
    FACT_FIELDS,
    MonthlyReport,
    ReportDueRule,
    ReportNotice,
    ResponsibilityLetter,
)


@admin.register(ReportDueRule)
class ReportDueRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "zone", "due_day"]


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "signed_on", "signed_by", "valid_until"]
    search_fields = ["enterprise__name", "signed_by"]
    autocomplete_fields = ["enterprise"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "month", "is_zero", "wages", "amount_owed", "filed_by"]
    list_filter = ["month", "is_zero", "wages"]
    search_fields = ["enterprise__name"]
    fields = ["enterprise", "month", "filed_by", "filed_at", "is_zero", *FACT_FIELDS, "note"]


@admin.register(ReportNotice)
class ReportNoticeAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "month", "kind", "sent_at"]
    list_filter = ["kind", "month"]
    search_fields = ["enterprise__name"]
    date_hierarchy = "sent_at"
