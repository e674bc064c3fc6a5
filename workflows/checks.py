"""System checks of the two tables in `settings.CASEWORK` that name what workflows owns: the
DEADLINES a new database's deadline rules are seeded from (each deadline kind, its length, unit
and extension) and TASK_DUE_DAYS (steps of the petition flow). A mistyped kind or step name would
otherwise fail only when a migration seeds the rules, or be ignored and leave tasks undated.
`casework.checks` checks that both keys are there and everything else in CASEWORK.
"""

from django.conf import settings
from django.core import checks

from casework.checks import number_errors

from .deadlines import STEP_DEADLINES
from .flows import PetitionFlow, Step
from .models import DeadlineKind, DeadlineRule

DEADLINE_FIELDS = ("length", "unit", "extension")
# What DeadlineRule's PositiveSmallIntegerFields hold on every database.
LONGEST = 32767


def check_settings(app_configs=None, **kwargs):
    config = getattr(settings, "CASEWORK", None)
    if not isinstance(config, dict):
        return []  # casework.E001 says so
    errors = []
    if "DEADLINES" in config:
        errors += deadlines_errors(config["DEADLINES"])
    if "TASK_DUE_DAYS" in config:
        errors += task_due_days_errors(config["TASK_DUE_DAYS"])
    return errors


def not_a_table(name, value, hint):
    return checks.Error(f"{name} is {value!r}, not a dict.", hint=hint, id="workflows.E002")


def deadlines_errors(table):
    """One entry for each deadline kind, each with a length, a unit and an extension."""
    name = "settings.CASEWORK['DEADLINES']"
    if not isinstance(table, dict):
        return [not_a_table(name, table, "A dict of deadline kind -> length, unit, extension.")]
    kinds = ", ".join(DeadlineKind.values)
    errors = [
        checks.Error(
            f"{name} lacks the deadline kind {kind!r}.",
            hint=f"Kinds: {kinds}.",
            id="workflows.E001",
        )
        for kind in DeadlineKind.values
        if kind not in table
    ]
    errors += [
        checks.Error(
            f"{name} names {kind!r}, which is not a deadline kind.",
            hint=f"Kinds: {kinds}.",
            id="workflows.E001",
        )
        for kind in table
        if kind not in DeadlineKind.values
    ]
    for kind, entry in table.items():
        errors += deadline_errors(f"{name}[{kind!r}]", entry)
    return errors


def deadline_errors(name, entry):
    hint = 'e.g. {"length": 15, "unit": "working", "extension": 0}.'
    if not isinstance(entry, dict):
        return [not_a_table(name, entry, hint)]
    errors = [
        checks.Error(f"{name} lacks {field!r}.", hint=hint, id="workflows.E002")
        for field in DEADLINE_FIELDS
        if field not in entry
    ]
    if "unit" in entry and entry["unit"] not in DeadlineRule.Unit.values:
        units = " or ".join(repr(unit) for unit in DeadlineRule.Unit.values)
        message = f"{name}['unit'] is {entry['unit']!r}, not a unit of days."
        errors.append(checks.Error(message, hint=f"The unit: {units}.", id="workflows.E003"))
    for field in ("length", "extension"):
        if field in entry:
            errors += number_errors("workflows", f"{name}[{field!r}]", entry[field], 0, LONGEST)
    return errors


def task_due_days_errors(table):
    """Working days for the petition flow's steps that have no deadline rule."""
    name = "settings.CASEWORK['TASK_DUE_DAYS']"
    if not isinstance(table, dict):
        return [not_a_table(name, table, "A dict of petition flow step -> working days.")]
    steps = [node.name for node in PetitionFlow.instance.nodes() if isinstance(node, Step)]
    dated = sorted(set(steps) - set(STEP_DEADLINES))
    errors = []
    for step, days in table.items():
        if step in STEP_DEADLINES:
            message = f"{name} names {step!r}, which falls due with its deadline rule."
            rule = STEP_DEADLINES[step].value
            hint = f"Edit the {rule!r} deadline rule instead; days go to: {', '.join(dated)}."
            errors.append(checks.Error(message, hint=hint, id="workflows.E007"))
        elif step not in steps:
            message = f"{name} names {step!r}, which is not a step of the petition flow."
            errors.append(
                checks.Error(message, hint=f"Steps: {', '.join(dated)}.", id="workflows.E006")
            )
        errors += number_errors("workflows", f"{name}[{step!r}]", days, 1, LONGEST)
    return errors
