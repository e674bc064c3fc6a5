from django.contrib import admin

from .models import PetitionProcess, PetitionTask


class ReadOnlyAdmin(admin.ModelAdmin):
    """Flow state changes only through the flow; admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
