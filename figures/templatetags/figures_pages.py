"""The figures' pieces on pages: the nav link, a chart table's cell."""

from django import template
from django.utils.html import format_html

from casework import access
from casework.roles import FIGURES_ROLES
from figures.charts import cell_text

register = template.Library()


@register.filter
def may_see_figures(user):
    """Whether the user holds a role that sees figures somewhere."""
    return access.holds_role(user, FIGURES_ROLES)


@register.simple_tag
def chart_cell(value, kinds, index):
    """A chart table's cell: the row's name as its heading, numbers right-aligned."""
    kind = kinds[index]
    if index == 0 and kind == "text":
        return format_html('<th scope="row">{}</th>', value)
    css = "" if kind == "text" else "num nowrap"
    return format_html('<td class="{}">{}</td>', css, cell_text(value, kind))
