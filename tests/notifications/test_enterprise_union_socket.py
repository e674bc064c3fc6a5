"""An enterprise union's pages do not hear of its grid area's other petitions."""

import pytest

from casework.models import Membership, Role
from notifications import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enterprise_union_joins_no_unit_group(enterprise, mediator, org):
    union = UserFactory()
    Membership.objects.create(
        user=union, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION, enterprise=enterprise
    )

    assert services.unit_ids(union) == []
    assert services.unit_ids(mediator) == [org["grid_a1"].pk]
