"""The emergency fund in admin: its rules are edited here; money moves only through
`fund.services`, so the ledger, the releases and the write-offs are read-only."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Correction,
    EmergencyFund,
    JournalEntry,
    MinimumWage,
    Posting,
    Release,
    ReleaseLine,
    WriteOff,
)


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "monthly_amount", "effective_from"]
    list_filter = ["jurisdiction"]


@admin.register(EmergencyFund)
class EmergencyFundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "zone",
        "balance",
        "worker_cap_months",
        "travel_cap",
        "total_cap_percent",
        "committee_threshold",
    ]
    readonly_fields = ["balance"]


class PostingInline(ReadOnlyInline):
    model = Posting
    fields = ["account", "amount", "release", "line"]
    readonly_fields = fields


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "fund",
        "kind",
        "source",
        "release",
        "reference",
        "booked_at",
        "booked_by",
    ]
    list_filter = ["fund", "kind", "source"]
    search_fields = ["reference", "memo"]
    date_hierarchy = "booked_at"
    inlines = [PostingInline]


class ReleaseLineInline(ReadOnlyInline):
    model = ReleaseLine
    fields = ["worker", "purpose", "amount", "state", "payment_reference", "failure_reason"]
    readonly_fields = fields


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "petition", "fund", "status", "total", "created_by", "created_at"]
    list_filter = ["fund", "status"]
    search_fields = ["petition__number"]
    inlines = [ReleaseLineInline]


@admin.register(WriteOff)
class WriteOffAdmin(ReadOnlyAdmin):
    list_display = ["release", "amount", "state", "proposed_by", "supervisor", "liaison"]
    list_filter = ["state"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["entry", "state", "proposed_by", "proposed_at", "confirmed_by"]
    list_filter = ["state"]
