"""The deadline rules a database starts with: what each deadline kind means (the event that
starts it, who answers for it) and the numbers named once in settings.CASEWORK (DESIGN.md).
Migrations 0005 and 0012 seed them, and the tier rules; admin edits them afterwards. No model
imports here, so the migrations can use it: the model is an argument."""

from django.conf import settings

# deadline kind: (counted from, who is responsible)
DEADLINE_MEANING = {
    "acceptance": ("receive", "mediator"),
    "mediation": ("start_mediation", "mediator"),
    "handling": ("receive", "supervisor"),
    "payment": ("reach_agreement", "mediator"),
    "escalation_ack": ("escalate", "committee_liaison"),
    # The first-result clocks start at receipt, only the one of the petition's tier (`tiers`).
    "result_simple": ("receive", "mediator"),
    "result_ordinary": ("receive", "mediator"),
    "result_complex": ("receive", "mediator"),
}
# complexity tier: the deadline kind of its first result
TIER_DEADLINES = {
    "simple": "result_simple",
    "ordinary": "result_ordinary",
    "complex": "result_complex",
}


def deadline_rule_defaults(kind):
    numbers = settings.CASEWORK["DEADLINES"][kind]
    start_event, role = DEADLINE_MEANING[kind]
    return {
        "start_event": start_event,
        "length": numbers["length"],
        "unit": numbers["unit"],
        "extension_length": numbers["extension"],
        "responsible_role": role,
        "reminder_percent": settings.CASEWORK["DEADLINE_REMINDER_PERCENT"],
    }


def seed_deadline_rules(deadline_rule_model):
    """The deadline rules a new database starts with; rows already there are kept as admin left
    them."""
    for kind in DEADLINE_MEANING:
        deadline_rule_model.objects.get_or_create(kind=kind, defaults=deadline_rule_defaults(kind))


def seed_tier_rules(tier_rule_model):
    """The tier rules a new database starts with, in settings order; a table that already has
    rows is left as admin left it."""
    if tier_rule_model.objects.exists():
        return
    tier_rule_model.objects.bulk_create(
        tier_rule_model(position=position, **conditions)
        for position, conditions in enumerate(settings.CASEWORK["TIER_RULES"], start=1)
    )
