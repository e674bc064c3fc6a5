"""The case page's merge card: where a merged petition went, what was merged into this one, and
for a supervisor a possible repeat to merge (`casework.services.merge`)."""

from django import template

from casework.services import merge

register = template.Library()


@register.inclusion_tag("casework/_merge_card.html", takes_context=True)
def merge_card(context, petition):
    user = context["user"]
    may_merge = petition.is_open and merge.may_merge(user, petition)
    return {
        "petition": petition,
        "into": petition.merged_into,
        "merged_from": petition.merged_petitions.order_by("pk"),
        "repeat": merge.repeat_suggestion(petition, user),
        "may_merge": may_merge,
    }
