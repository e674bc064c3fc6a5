"""Building blocks for made-up data: the demo (`loader.py`) and the benches (`bench/`) build their
worlds with these, so that none of them reaches into casework's models to do it.

- `org_tree`: a federation, a zone union and its grid areas, got or created by name;
- `people`: users holding a role at units, in bulk, with one given password or none that works;
- `enterprises`: in bulk, got or created by credit code, each code valid (`CreditCodes`);
- `Workers`: workers' rows as intake takes them, each with a valid ID number of its own;
  `add_claims` writes such workers and their claims in bulk, for petitions made without intake;
- `record_petition`: a petition recorded through the real intake service (which starts its flow).

Everything is got or created by its natural key, so that `load_demo` can run twice; on the
benches' empty scratch databases that only costs a lookup.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from casework import services
from casework.models import Claim, Enterprise, Membership, OrgUnit, Role, Worker
from lib.validators import complete_credit_code, complete_id_number


@dataclass
class Tree:
    federation: OrgUnit
    zone: OrgUnit
    grids: list


def org_tree(federation, zone, code, grids):
    """The federation named `federation` with the zone union `zone` (petition numbers start with
    `code`) and its grid areas named in `grids`; the federation may be an OrgUnit already."""
    if not isinstance(federation, OrgUnit):
        federation = _unit(federation, None, OrgUnit.Kind.FEDERATION)
    zone = _unit(zone, federation, OrgUnit.Kind.ZONE, code=code)
    return Tree(federation, zone, [_unit(name, zone, OrgUnit.Kind.GRID) for name in grids])


def _unit(name, parent, kind, **defaults):
    # One at a time: a unit's path holds its own id (OrgUnit.save).
    unit, _ = OrgUnit.objects.get_or_create(
        name=name, parent=parent, defaults={"kind": kind, **defaults}
    )
    return unit


@dataclass
class Person:
    """A user who holds `role` (a `Role` value) at each of `units`; an enterprise union names its
    enterprise."""

    username: str
    role: str
    units: list
    name: str = ""
    superuser: bool = False
    enterprise: Enterprise | None = None


def people(persons, *, password=None):
    """Users and their roles, in bulk; returns {username: user} in the order given. Users that
    exist are updated (name, password, active) and keep the roles they have; `password` None
    gives a password that never works (the benches log in with `force_login` or tokens)."""
    User = get_user_model()
    hashed = make_password(password)  # once: hashing is slow on purpose
    persons = list(persons)
    for person in persons:
        if person.role not in Role.values:
            raise ValueError(f"{person.username}: no such role {person.role!r}")
    existing = User.objects.in_bulk([p.username for p in persons], field_name="username")
    users, new = {}, []
    for p in persons:
        user = existing.get(p.username) or User(username=p.username)
        user.first_name, user.password, user.is_active = p.name, hashed, True
        user.is_staff = user.is_superuser = p.superuser
        users[p.username] = user
        if user.pk is None:
            new.append(user)
    User.objects.bulk_create(new)
    changed = ["first_name", "password", "is_active", "is_staff", "is_superuser"]
    User.objects.bulk_update(list(existing.values()), changed)
    _give_roles(persons, users)
    return users


def _give_roles(persons, users):
    held = {
        (m.user_id, m.org_unit_id, m.role): m
        for m in Membership.objects.filter(user__in=[u.pk for u in users.values()])
    }
    new, changed = [], []
    for p in persons:
        for unit in p.units:
            user = users[p.username]
            membership = held.get((user.pk, unit.pk, p.role))
            if membership is None:
                role = Membership(user=user, org_unit=unit, role=p.role, enterprise=p.enterprise)
                new.append(role)
            elif membership.enterprise_id != (p.enterprise and p.enterprise.pk):
                membership.enterprise = p.enterprise
                changed.append(membership)
    Membership.objects.bulk_create(new)
    Membership.objects.bulk_update(changed, ["enterprise"])


class CreditCodes:
    """Valid unified social credit codes (GB 32100) of a region: from a serial, distinct up to ten
    million; or, given `rng`, drawn as real ones look, with a valid GB 11714 organization code."""

    # 登记管理部门 9 (market regulation), 机构类别 1 (enterprise), then the region.
    ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

    def __init__(self, region="330881", rng=None):
        self.region, self.rng, self.serial = region, rng, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.rng is None:
            self.serial += 1
            return complete_credit_code(f"91{self.region}MA{self.serial:07d}")
        return complete_credit_code(f"91{self.region}{self.organization_code()}")

    def organization_code(self):
        body = "MA" + "".join(self.rng.choice(self.ORG_CHARS) for _ in range(6))
        # GB 11714 counts letters from A=10 through Z=35.
        total = sum(int(c, 36) * w for c, w in zip(body, self.ORG_WEIGHTS, strict=True))
        check = 11 - total % 11
        return body + {10: "X", 11: "0"}.get(check, str(check))


def enterprises(rows, *, codes=None):
    """Enterprises from `rows` of their fields (name, grid_area, industry, headcount...), in bulk,
    got or created by credit code; a row without `credit_code` takes the next of `codes`.
    Returns them in the order of `rows`."""
    rows = [dict(row) for row in rows]
    for row in rows:
        if "credit_code" not in row:
            if codes is None:
                raise ValueError(f"{row.get('name')}: no credit_code and no codes to number it")
            row["credit_code"] = next(codes)
    wanted = [row["credit_code"] for row in rows]
    existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=wanted)}
    new = [Enterprise(**row) for row in rows if row["credit_code"] not in existing]
    Enterprise.objects.bulk_create(new)
    by_code = {**existing, **{e.credit_code: e for e in new}}
    return [by_code[row["credit_code"]] for row in rows]


@dataclass
class Workers:
    """Workers' rows as intake takes them (`record_petition`, `POST /api/petitions/`), each with a
    valid ID number that no other row of this maker has: a thousand per birthday from `born` on,
    in `region`. The serial names them: W1, W2..."""

    region: str = "330881"
    born: datetime.date = field(default=datetime.date(1970, 1, 1))
    serial: int = 0

    def id_number(self):
        self.serial += 1
        birth = self.born + datetime.timedelta(days=self.serial // 1000)
        return complete_id_number(f"{self.region}{birth:%Y%m%d}{self.serial % 1000:03d}")

    def row(self, claimed_amount=5000, **fields):
        id_number = self.id_number()
        return {
            "name": f"W{self.serial}",
            "id_number": id_number,
            "claimed_amount": str(claimed_amount),
            **fields,
        }

    def rows(self, count, **fields):
        return [self.row(**fields) for _ in range(count)]


def add_claims(petitions_rows):
    """Workers and their claims in bulk, for petitions saved without intake (a bench's clones):
    `petitions_rows` pairs each petition with its workers' rows (`Workers.row`). Returns the
    claims, in order."""
    pairs = list(petitions_rows)
    workers = [Worker(id_number=row["id_number"]) for _, rows in pairs for row in rows]
    Worker.objects.bulk_create(workers, batch_size=1000)
    workers = iter(workers)
    claims = [
        Claim(petition=petition, worker=next(workers), **_claim_fields(row))
        for petition, rows in pairs
        for row in rows
    ]
    Claim.objects.bulk_create(claims, batch_size=1000)
    return claims


def _claim_fields(row):
    return {name: value for name, value in row.items() if name != "id_number"}


def record_petition(clerk, enterprise, workers, **fields):
    """A petition recorded through the intake service, as every real one is: it checks the
    clerk's role, numbers the petition and starts its flow. `workers`: rows (`Workers.row`)."""
    fields.setdefault("channel", "visit")
    fields.setdefault("description", "Wages unpaid for three months.")
    return services.record_petition(actor=clerk, enterprise=enterprise, workers=workers, **fields)
