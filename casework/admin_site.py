"""The admin site, for superusers only: its lists know nothing of the org tree and show every
unit's cases and whole ID numbers, so staff users with view permissions may not open it."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "casework.admin_site.SuperuserAdminSite"
