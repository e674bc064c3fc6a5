"""The early warnings' pieces on other pages: the nav link."""

from django import template

from casework import access
from casework.roles import ARREARS_READER_ROLES, Role

register = template.Library()


@register.filter
def may_see_warnings(user):
    """Whether the user reads a unit's warnings, or is an enterprise's union (its own)."""
    return access.holds_role(user, (Role.ENTERPRISE_UNION, *ARREARS_READER_ROLES))
