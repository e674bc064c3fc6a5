"""Who may see and do what: decided here, once, and used by every view, API and service.

A user's role assignments are read once per user object and kept on it, so checking a page full of
petitions costs one query, not one per row.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from lib import validators

from .models import Claim, Enterprise, Membership, OrgUnit, Petition, Role
from .roles import enterprises_represented, has_role_at, holds_role, memberships_of


def units_under(user):
    """[(unit id, path)] of every unit in the user's subtrees, cached on the user object: lists
    filter on these ids, which the planner matches against an index, unlike a path pattern."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_casework_units", None)
    if cached is None:
        subtrees = (
            units_where(user, Role.values) if memberships_of(user) else OrgUnit.objects.none()
        )
        cached = list(subtrees.values_list("pk", "path"))
        user._casework_units = cached
    return cached


def users_holding(unit, roles):
    """Active users who hold one of `roles` at `unit` or above it (ordered by id)."""
    members = Membership.objects.filter(
        role__in=roles, org_unit__path__in=unit.ancestor_paths
    ).values("user")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("pk")


def has_any_role_at(user, unit):
    return has_role_at(user, unit, Role.values)


def _subtree_filter(user, field, roles=None):
    paths = {path for role, path in memberships_of(user) if roles is None or role in roles}
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def petitions_visible_to(user):
    qs = Petition.objects.all()
    if user.is_superuser:
        return qs
    own = Q(enterprise__in=enterprises_represented(user))
    return qs.filter(_subtree_filter(user, "org_unit__path") | own)


def units_where(user, roles):
    """Org units in which the user holds one of `roles` (their subtrees included)."""
    qs = OrgUnit.objects.all()
    if user.is_superuser:
        return qs
    return qs.filter(_subtree_filter(user, "path", roles))


def enterprises_visible_to(user):
    """Enterprises of the user's subtrees, and those whose union the user is."""
    own = Q(pk__in=enterprises_represented(user))
    return Enterprise.objects.filter(Q(grid_area__in=units_where(user, Role.values)) | own)


def may_see_full_id_numbers(user, unit):
    return has_role_at(user, unit, settings.CASEWORK["ID_NUMBER_FULL_ROLES"])


def may_see_full_phones(user, unit):
    return has_role_at(user, unit, settings.CASEWORK["PHONE_FULL_ROLES"])


def claim_phone(claim, *, whole):
    """The phone of the claim's worker, whole or masked: the one place pages, the API and
    exports read it from."""
    phone = claim.phone
    return phone if whole else validators.mask_phone(phone)


def may_search_id_numbers(user):
    """Whether the user sees ID numbers whole somewhere, and so may look a worker up by one."""
    return holds_role(user, settings.CASEWORK["ID_NUMBER_FULL_ROLES"])


def petitions_naming(user, id_number):
    """The user's petitions naming the worker with this ID number, at units where the user sees
    ID numbers whole: a role that sees them masked cannot confirm a number by looking it up."""
    units = units_where(user, settings.CASEWORK["ID_NUMBER_FULL_ROLES"])
    named = Claim.objects.filter(worker__id_number=id_number).values("petition")
    return petitions_visible_to(user).filter(org_unit__in=units, pk__in=named)
