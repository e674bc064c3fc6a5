"""Documents are written with the step and rendered after it: by the timer loop when nothing
else did, tried again after a failure, never lost."""

import time

from documents import services
from documents.models import Document

from ..factories import record, step, worker_row


def test_the_step_writes_pending_documents_and_the_timer_source_renders_them(petition, clerk):
    step(petition, "accept", clerk)
    assert set(petition.documents.values_list("state", flat=True)) == {"pending"}
    assert services.timer_source() == 3
    assert set(petition.documents.values_list("state", flat=True)) == {"ready"}
    assert services.timer_source() == 0


def test_the_step_renders_after_its_commit(
    petition, clerk, django_capture_on_commit_callbacks, settings, monkeypatch
):
    monkeypatch.setitem(settings.CASEWORK, "TIMERS_IN_PROCESS", True)
    rendered = []
    monkeypatch.setattr(services, "_queue", type("Q", (), {"put": rendered.append})())
    monkeypatch.setattr(services, "_worker", object())  # no thread in a test
    with django_capture_on_commit_callbacks(execute=True):
        step(petition, "accept", clerk)
    assert rendered == [list(petition.documents.values_list("pk", flat=True))]


def test_a_document_held_by_another_renderer_is_left_to_it(petition, clerk):
    step(petition, "accept", clerk)
    document = petition.documents.first()
    assert services._take(document.pk)
    assert services.timer_source() == 2
    assert Document.objects.get(pk=document.pk).state == Document.State.PENDING


def test_a_failing_document_is_tried_again_then_shown_as_failed(
    petition, clerk, settings, monkeypatch
):
    monkeypatch.setitem(settings.CASEWORK, "SEAL_CERTIFICATE", "/nowhere/seal.p12")
    step(petition, "accept", clerk)
    for _ in range(settings.CASEWORK["DOCUMENT_RENDER_ATTEMPTS"]):
        services.timer_source()
    document = petition.documents.first()
    assert document.state == Document.State.FAILED and "SealMissing" in document.error


def test_a_failed_document_can_be_regenerated(petition, clerk, settings, monkeypatch):
    step(petition, "accept", clerk)
    Document.objects.filter(petition=petition).update(state=Document.State.FAILED, attempts=3)
    services.regenerate(petition.documents.first(), actor=clerk)
    assert services.timer_source() == 1


def test_a_group_of_150_is_accepted_without_waiting_for_its_notices(clerk, enterprise, capsys):
    petition = record(clerk, enterprise, workers=[worker_row() for _ in range(150)])
    started = time.perf_counter()
    step(petition, "accept", clerk)
    seconds = time.perf_counter() - started
    assert petition.documents.filter(state=Document.State.PENDING).count() == 150
    assert seconds < 5
    with capsys.disabled():
        print(f"\n150-worker acceptance, the step with its 150 pending notices: {seconds:.2f} s")


def test_a_document_already_issued_is_not_sealed_twice(petition, clerk):
    step(petition, "accept", clerk)
    services.timer_source()
    document = petition.documents.first()
    assert services.render_ids([document.pk]) == 0
    assert petition.events.filter(transition="document_sealed").count() == 3


def test_one_notice_takes_a_fraction_of_a_second(petition, clerk, capsys):
    step(petition, "accept", clerk)
    services.timer_source()  # the font and the certificate are loaded once per process
    document = petition.documents.first()
    Document.objects.filter(pk=document.pk).update(state=Document.State.FAILED)
    services.regenerate(document, actor=clerk)
    started = time.perf_counter()
    assert services.render_ids([document.pk]) == 1
    seconds = time.perf_counter() - started
    assert seconds < 5
    with capsys.disabled():
        print(f"\none acceptance notice rendered and sealed: {seconds:.3f} s")
