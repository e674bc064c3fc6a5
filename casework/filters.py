"""The petition filters, one set for the case list page and the API."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from lib import validators

from . import access
from .models import Claim, Enterprise, OrgUnit, Petition, Role, Status


def _units(request):
    # No request while the OpenAPI schema is generated.
    return access.units_where(request.user, Role.values) if request else OrgUnit.objects.all()


def _enterprises(request):
    return access.enterprises_visible_to(request.user) if request else Enterprise.objects.all()


class PetitionFilter(filters.FilterSet):
    search = filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Number, description, enterprise or worker name."),
        validators=[validators.refuse_whole_id_number],
    )
    status = filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    category = filters.ChoiceFilter(label=_("Category"), choices=Petition.Category.choices)
    org_unit = filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=_units,
        method="filter_org_unit",
        help_text=_("Petitions of this unit and of every unit under it."),
    )
    enterprise = filters.ModelChoiceFilter(label=_("Enterprise"), queryset=_enterprises)
    is_group = filters.BooleanFilter(
        label=_("Group petition"),
        help_text=_("Group petitions (Art. 7) only, or none."),
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    received_after = filters.DateFilter(
        label=_("Received from"),
        field_name="received_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Received on or after this day (YYYY-MM-DD)."),
    )
    received_before = filters.DateFilter(
        label=_("to"),
        field_name="received_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Received on or before this day (YYYY-MM-DD)."),
    )

    class Meta:
        model = Petition
        fields = []

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(org_unit__path__startswith=unit.path)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        # Worker names through a subquery: a join would multiply the list's per-petition totals.
        by_worker = Claim.objects.filter(name__icontains=value).values("petition")
        return queryset.filter(
            Q(number__icontains=value)
            | Q(description__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(pk__in=by_worker)
        )
