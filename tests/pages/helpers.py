"""Form data for the page tests."""

import datetime

from django.utils import timezone


def received_at():
    return (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def intake_data(enterprise, rows=(), typed_forms=3, **overrides):
    """POST data of the intake page: petition fields, typed worker rows and the formset counts."""
    data = {
        "enterprise": enterprise.pk,
        "channel": "visit",
        "category": "remuneration",
        "priority": "0",
        "received_at": received_at(),
        "description": "Wages for March and April unpaid.",
        "workers_text": "",
        "w-TOTAL_FORMS": str(max(typed_forms, len(rows))),
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key in ("non_local", "is_representative"):
                if value:
                    data[f"w-{i}-{key}"] = "on"
            else:
                data[f"w-{i}-{key}"] = str(value)
    data.update(overrides)
    return data


def pasted(rows, separator="\t"):
    """Rows as a clerk pastes them from a spreadsheet."""
    return "\n".join(
        separator.join(
            [
                row["name"],
                row["id_number"],
                row["phone"],
                str(row["claimed_amount"]),
                "是" if row["non_local"] else "否",
                "是" if row["is_representative"] else "否",
            ]
        )
        for row in rows
    )


def wrong_check_digit(id_number):
    """The same ID number with a check character that cannot be right."""
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + last
