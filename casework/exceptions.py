"""The domain's exceptions, raised by the services of every app and turned into answers in one
place each: `casework.pages.refusal` (and `run_service`) for pages, `casework.api.errors` for the
API.
"""

from django.utils.translation import gettext_lazy as _


class TransitionRefused(Exception):
    """The step is not possible now (wrong state or unmet condition): a 400 with the reason."""


class Conflict(Exception):
    """Someone else changed the record since the caller looked at it: a 409; nothing changed."""


class InsufficientFunds(Conflict):
    """The emergency fund cannot cover this now; nothing was changed."""


class RepeatPetition(Exception):
    """The same worker already has an open petition against the same employer."""

    def __init__(self, petition):
        self.petition = petition
        super().__init__(
            _("An open petition %(number)s already covers this worker and employer.")
            % {"number": petition.number}
        )


class AppendOnlyError(Exception):
    """A change or deletion of a row that is written once (case events, the fund's ledger)."""


class CalendarUnknown(Exception):
    """The working-day calendar has no data for a year a computation needs."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "The working-day calendar has no data for %(year)d: an administrator enters the "
                "State Council's holiday arrangement for %(year)d under “Calendar years entered "
                "by hand” and “Calendar days”."
            )
            % {"year": year}
        )
