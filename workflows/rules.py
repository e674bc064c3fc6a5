"""The deadline rules a database starts with: what each deadline kind means (the event that
starts it, who answers for it) and the numbers named once in settings.CASEWORK (DESIGN.md).
Migration 0005 seeds them; admin edits them afterwards. No model imports here, so the migration
can use it: the model is an argument."""

from django.conf import settings

# deadline kind: (counted from, who is responsible)
DEADLINE_MEANING = {
    "acceptance": ("receive", "mediator"),
    "mediation": ("start_mediation", "mediator"),
    "handling": ("receive", "supervisor"),
    "payment": ("reach_agreement", "mediator"),
    "escalation_ack": ("escalate", "committee_liaison"),
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
