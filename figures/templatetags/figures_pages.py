"""The figures' pieces on other pages: the nav link."""

from django import template

from casework import access
from casework.roles import FIGURES_ROLES

register = template.Library()


@register.filter
def may_see_figures(user):
    """Whether the user holds a role that sees figures somewhere."""
    return access.holds_role(user, FIGURES_ROLES)
