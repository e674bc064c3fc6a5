"""The loop that fires deadline timers: `manage.py run_timers` in production (one or several,
beside the web workers), a daemon thread inside the server in the one-person default.

The apps above this layer have timers of their own (arrears: the missing monthly reports'
reminders and alerts): each registers a source from its `AppConfig.ready()`, which every pass
of the loop calls after the deadline timers. A source must fire each of its timers once even
with several loops calling it at the same moment.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from .deadlines import BATCH, fire_due_timers, reschedule_uncertain

logger = logging.getLogger(__name__)

_sources = {}


def register_timer_source(source):
    """Have every timer loop call `source()` on each pass: it fires what of its own is due and
    returns how many it fired. Registering the same function again changes nothing."""
    _sources[f"{source.__module__}.{source.__qualname__}"] = source


class TimerLoop:
    """Fire what is due, then wait `interval` seconds (at once again while a full batch came
    back); `stop` ends the loop between batches, so a shutdown never cuts a firing short."""

    def __init__(self, *, interval, batch=BATCH):
        self.interval = interval
        self.batch = batch
        self.stop = threading.Event()

    def tick(self):
        """One batch: (fired, more waiting). An error is logged and waited out, never raised."""
        try:
            return fire_due_timers(limit=self.batch)
        except Exception:
            logger.exception("deadline timers: the batch failed; trying again later")
            return 0, False

    def catch_up(self):
        """At start: the installed calendar packages may know more than when the provisional
        and undated deadlines were counted (an upgrade). An error is logged, never raised."""
        try:
            moved = reschedule_uncertain()
        except Exception:
            logger.exception("deadline timers: recomputing provisional deadlines failed")
            return
        if moved:
            logger.info("recomputed %d provisional or undated deadlines", moved)

    def sweep(self):
        """Call every registered source: the number they fired. An error in one is logged and
        the others run all the same."""
        total = 0
        for name, source in list(_sources.items()):
            try:
                total += source()
            except Exception:
                logger.exception("timer source %s failed; trying again on the next pass", name)
        return total

    def drain(self):
        """Fire everything due now, the deadline timers, then the sources'; the number fired."""
        total, more = self.tick()
        while more and not self.stop.is_set():
            fired, more = self.tick()
            total += fired
        return total + self.sweep()

    def run(self):
        self.catch_up()
        while not self.stop.is_set():
            self.drain()
            # Like a request's end: a broken or too old connection is not carried into the wait.
            close_old_connections()
            self.stop.wait(self.interval)


_started = threading.Lock()
_loop = None


def start_in_process():
    """Start the embedded runner once per process, if settings ask for it (the default outside
    production; the test suite switches it off)."""
    global _loop
    if not settings.CASEWORK["TIMERS_IN_PROCESS"]:
        return None
    with _started:
        if _loop is None:
            _loop = TimerLoop(interval=settings.CASEWORK["TIMER_INTERVAL_SECONDS"])
            threading.Thread(target=_loop.run, name="deadline-timers", daemon=True).start()
            logger.info("deadline timers run inside this process")
    return _loop
