"""The monthly reports' pieces on other pages: the nav link."""

from django import template

from casework import access
from casework.roles import ARREARS_READER_ROLES, Role

register = template.Library()


@register.filter
def may_see_arrears(user):
    """Whether the user files an enterprise's reports (its union) or reads a unit's."""
    return access.holds_role(user, (Role.ENTERPRISE_UNION, *ARREARS_READER_ROLES))
