"""The escalation rules a database starts with, from the numbers named once in
settings.CASEWORK (DESIGN.md). Migration 0002 seeds them; admin edits them afterwards. No model
imports here, so the migration can use it: the model is an argument."""

from django.conf import settings


def escalation_rule_defaults():
    return [
        {"kind": "group"},
        {"kind": "workers_above", "threshold": settings.CASEWORK["ESCALATION_WORKERS_ABOVE"]},
        {"kind": "owner_missing"},
        {"kind": "claimed_above", "threshold": settings.CASEWORK["ESCALATION_CLAIMED_ABOVE"]},
        {"kind": "deadline_breached", "deadline": "handling"},
        {"kind": "decision"},
    ]


def seed_escalation_rules(escalation_rule_model):
    """The escalation rules of a new database; a table that has rows is kept as admin left it."""
    if not escalation_rule_model.objects.exists():
        escalation_rule_model.objects.bulk_create(
            escalation_rule_model(**fields) for fields in escalation_rule_defaults()
        )
