"""The figures' pieces on pages: the nav link, a chart table's cell."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from casework import access
from casework.roles import FIGURES_ROLES
from figures.charts import cell_text

register = template.Library()


@register.filter
def may_see_figures(user):
    """Whether the user holds a role that sees figures somewhere."""
    return access.holds_role(user, FIGURES_ROLES)


# The tables' rows are written here, every text escaped, rather than by the template's loops or
# format_html: a federation's tables have thousands of cells.


@register.simple_tag
def figure_rows(rows):
    """The figures table's rows: [(key, label, kind, values)] as `services.table` gives."""
    return mark_safe(
        "".join(
            f'<tr id="fig-{escape(key)}"><th scope="row">{escape(label)}</th>'
            + "".join(f'<td class="num nowrap">{escape(cell_text(v, kind))}</td>' for v in values)
            + "</tr>"
            for key, label, kind, values in rows
        )
    )


@register.simple_tag
def chart_rows(table):
    """A chart table's rows: the row's name as its heading, numbers right-aligned."""
    return mark_safe("".join(f"<tr>{''.join(_cells(row, table.kinds))}</tr>" for row in table.rows))


def _cells(row, kinds):
    for index, (value, kind) in enumerate(zip(row, kinds, strict=True)):
        text = escape(cell_text(value, kind))
        if index == 0 and kind == "text":
            yield f'<th scope="row">{text}</th>'
        elif kind == "text":
            yield f'<td class="">{text}</td>'
        else:
            yield f'<td class="num nowrap">{text}</td>'
