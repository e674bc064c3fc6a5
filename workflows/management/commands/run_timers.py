"""Fire deadline reminders and breaches as they come due, and the other apps' timers (the
missing monthly reports' reminders and alerts), until SIGTERM or SIGINT.

Safe to run several at once: each timer is claimed under a row lock that the others skip, and
fires once. On starting, it recomputes the deadlines counted on a provisional calendar (an
upgraded calendar package may know their year now). `--once` fires what is due now and exits
(for cron or a task runner; run `refresh_deadlines` after an upgrade there).
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from workflows.deadlines import BATCH
from workflows.timers import TimerLoop


class Command(BaseCommand):
    help = "Fire due deadline reminders and breaches (a long-running loop; --once to drain)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Fire what is due, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.CASEWORK["TIMER_INTERVAL_SECONDS"],
            help="Seconds between looks when nothing is due.",
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="Timers per transaction.")

    def handle(self, *args, once, interval, batch, **options):
        loop = TimerLoop(interval=interval, batch=batch)
        if once:
            self.stdout.write(f"fired {loop.drain()}")
            return

        def stop(signum, frame):
            loop.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"firing deadline timers every {interval:g} s; SIGTERM stops")
        self.stdout.flush()
        loop.run()
        self.stdout.write("stopped")
