"""Reloading a petition while another thread reloads one: django-fsm-2 lifts the status
field's protection for the whole class during a reload, so without care a reload that began
while the other's was under way fails with "Direct status modification is not allowed" (two
simultaneous conflicts answered 500 instead of 409)."""

import threading

import pytest
from django.db import models

from casework.models import Petition

from ..concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_threads_reload_a_petition_at_once(petition, monkeypatch):
    reload = models.Model.refresh_from_db
    first, second_in, first_done = threading.Lock(), threading.Event(), threading.Event()

    def slow_reload(instance, *args, **kwargs):
        # The first reload waits for the second to begin; the second ends after the first.
        if first.acquire(blocking=False):
            second_in.wait(timeout=1)
        else:
            second_in.set()
            first_done.wait(timeout=1)
        reload(instance, *args, **kwargs)

    monkeypatch.setattr(models.Model, "refresh_from_db", slow_reload)

    def job(barrier):
        mine = Petition.objects.get(pk=petition.pk)
        barrier.wait()
        mine.refresh_from_db()
        first_done.set()
        return mine.status

    assert run_together(job, job) == ["received", "received"]
