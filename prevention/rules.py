"""The warning rules: which level a report or a screening visit raises, from rows (seeded from
settings.CASEWORK, edited in admin). Pure: no model imports, so the seeding migration can use it
too (the model is an argument), and `level_for` is tested without a database."""

from dataclasses import dataclass

from django.conf import settings

# Levels from the least to the most urgent.
LEVELS = ("blue", "yellow", "red")


@dataclass(frozen=True)
class Facts:
    """What a report or a visit says, and the enterprise's history before it: `history` are the
    months (first days) of its reports with arrears, this one's month included if it has any."""

    month: object
    amount_owed: object
    workers_affected: int
    signals: frozenset
    history: tuple = ()


def months_back(month, months):
    """The first month of a window of `months` months ending with `month`."""
    index = month.year * 12 + month.month - 1 - (months - 1)
    return month.replace(year=index // 12, month=index % 12 + 1, day=1)


def matches(rule, facts):
    """Whether every threshold the rule names is reached; a rule that names none never is."""
    tests = []
    if rule.amount_owed_at_least is not None:
        tests.append(facts.amount_owed >= rule.amount_owed_at_least)
    if rule.workers_affected_at_least is not None:
        tests.append(facts.workers_affected >= rule.workers_affected_at_least)
    if rule.signals_at_least is not None:
        tests.append(len(facts.signals) >= rule.signals_at_least)
    if rule.signals:
        tests.append(bool(facts.signals & set(rule.signals)))
    if rule.history_count is not None:
        since = months_back(facts.month, rule.history_months or 1)
        recent = {m for m in facts.history if since <= m <= facts.month}
        tests.append(len(recent) >= rule.history_count)
    return bool(tests) and all(tests)


def level_for(rules, facts):
    """The highest level among the active rules the facts match, or None."""
    found = [rule.level for rule in rules if rule.active and matches(rule, facts)]
    return max(found, key=LEVELS.index, default=None)


def higher(level, than):
    """Whether `level` is above `than` (None: no level at all)."""
    return than is None or (level is not None and LEVELS.index(level) > LEVELS.index(than))


def warning_rule_defaults():
    return [dict(fields) for fields in settings.CASEWORK["WARNING_RULES"]]


def seed_warning_rules(warning_rule_model):
    """The warning rules of a new database; a table that has rows is kept as admin left it."""
    if not warning_rule_model.objects.exists():
        warning_rule_model.objects.bulk_create(
            warning_rule_model(**fields) for fields in warning_rule_defaults()
        )
