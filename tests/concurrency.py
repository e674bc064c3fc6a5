"""Running jobs at the same moment, each in its own thread and database connection."""

import threading

from django.db import connections


def run_together(*jobs):
    """Run each job in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            results[i] = job(barrier)
        except Exception as err:  # the outcome is what the test inspects
            results[i] = err
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
