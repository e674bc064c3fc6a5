"""A group petition's election of its representatives (Art. 7; at most five, petition rules).

Each worker of the petition is a `Voter` with a personal code, kept only as a keyed hash; a
`Vote` row says that the worker voted (one per worker and election: a database constraint) and
`Choice` rows hold the names chosen, with no link to the voter, so a ballot stays secret.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Claim, Petition


class Election(models.Model):
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="elections"
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Null when the closing time closed it (the timer).
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Closed with a tie at the last seat, not yet resolved by the opener.
    tie_open = models.BooleanField(_("tie to resolve"), default=False)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_election_per_petition",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="election_has_seats"),
        ]
        indexes = [
            # The timer's search for elections past their closing time.
            models.Index(
                fields=["closes_at"],
                condition=models.Q(closed_at__isnull=True),
                name="election_open_closes_at",
            ),
        ]

    def __str__(self):
        return f"{self.petition} {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.closed_at is None


class Voter(models.Model):
    """A worker's right to vote in one election, with the keyed hash of their code."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="voters"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "claim"], name="one_voter_per_worker"),
            models.UniqueConstraint(fields=["election", "code_hash"], name="one_code_per_voter"),
        ]

    def __str__(self):
        return f"{self.election_id}: {self.claim_id}"


class Vote(models.Model):
    """That the worker voted: one per worker and election, whoever submits first."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="votes"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "claim"], name="one_vote_per_worker"),
        ]

    def __str__(self):
        return f"{self.election_id}: {self.claim_id}"


class Choice(models.Model):
    """One name on one ballot, kept apart from who cast it."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="choices"
    )
    candidate = models.ForeignKey(
        Claim, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["id"]

    def __str__(self):
        return f"{self.election_id}: {self.candidate_id}"
