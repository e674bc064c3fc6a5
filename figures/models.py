"""The figures pre-counted per unit and day, and per unit and month (`tallies.py` keeps them).

A tally is what `counting.collect` counts from the case records for one unit on one day (or in
one month): the same figures the statistics page shows, so that a period of years is read from a
few hundred rows instead of millions. The case records stay the only bookkeeping: a tally is
recounted from them whenever a record of its day changes, and `manage.py figures_tallies
--check` recounts every day and says where a stored tally differs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit


class Tally(models.Model):
    class Grain(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    # The day, or the first day of the month or year.
    day = models.DateField(_("day"))
    # False: the unit's whole subtree; True: only the records held by the unit itself (kept for
    # units with sub-units, where the page shows them as a column of their own).
    own = models.BooleanField(_("own records only"), default=False)
    # {figure: number}; amounts in fen, so that sums stay exact integers.
    counts = models.JSONField(_("counts"), default=dict)
    # The ids of the workers helped, as a serialized Roaring bitmap: a worker helped on two
    # days counts once in a period holding both, so the sets are kept, not their sizes.
    helped = models.BinaryField(_("workers helped"), default=bytes)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "grain", "day", "own"], name="figures_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["grain", "day"], name="figures_tally_day")]

    def __str__(self):
        return f"{self.unit_id} {self.grain} {self.day}"


class StaleDay(models.Model):
    """A day whose tallies must be recounted: written in the transaction that changed one of
    its records, removed by the recount that read it. No day (null): recount every day (the
    org tree changed shape)."""

    day = models.DateField(_("day"), null=True)

    class Meta:
        verbose_name = _("day to recount")
        verbose_name_plural = _("days to recount")

    def __str__(self):
        return str(self.day or "*")


class TallyLock(models.Model):
    """One row, locked by each recount, so that two never interleave their month sums."""

    class Meta:
        verbose_name = _("tally lock")
        verbose_name_plural = _("tally locks")

    def __str__(self):
        return str(self.pk)
