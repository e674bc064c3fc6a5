"""Supervision orders are shown here, with their replies and reminders, and change only
through `supervision.services`."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Reminder, Reply, SupervisionOrder


class ReplyInline(ReadOnlyInline):
    model = Reply


class ReminderInline(ReadOnlyInline):
    model = Reminder


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["petition", "issuing_unit", "issued_at", "due_on", "closed_at"]
    search_fields = ["petition__number"]
    list_select_related = ["petition", "issuing_unit"]
    inlines = [ReplyInline, ReminderInline]
