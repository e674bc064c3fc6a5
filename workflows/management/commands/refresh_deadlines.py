"""Recompute every open deadline and task due time on the working-day calendar as it is now, and
open the clocks open petitions lack.

Run it once after deploying on a database with older cases (filed before deadlines existed, or
reopened before reopening restarted the handling clock), and after upgrading `chinesecalendar`
or `holidays` (the timer processes also recompute the provisional and undated deadlines when
they start). Running it again changes nothing.
"""

from django.core.management.base import BaseCommand

from workflows import deadlines


class Command(BaseCommand):
    help = "Recompute open deadlines on the current calendar and open the ones petitions lack."

    def handle(self, *args, **options):
        deadlines.reschedule_open()
        opened = deadlines.open_missing()
        self.stdout.write(f"recomputed open deadlines; opened {opened} missing")
