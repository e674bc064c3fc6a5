from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from casework.models import OrgUnit, Petition, Status


class PetitionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    category = filters.ChoiceFilter(choices=Petition.Category.choices)
    org_unit = filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(),
        method="filter_org_unit",
        help_text=_("Petitions of this unit and of every unit under it."),
    )
    enterprise = filters.NumberFilter(field_name="enterprise", help_text=_("Enterprise id."))
    is_group = filters.BooleanFilter(help_text=_("Group petitions (Art. 7) only, or none."))
    received_after = filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__gte",
        help_text=_("Received on or after this day (YYYY-MM-DD)."),
    )
    received_before = filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__lte",
        help_text=_("Received on or before this day (YYYY-MM-DD)."),
    )

    class Meta:
        model = Petition
        fields = []

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(org_unit__path__startswith=unit.path)
