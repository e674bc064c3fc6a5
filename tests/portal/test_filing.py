"""Filing online: the same intake as a clerk's, channel "online", with evidence kept privately."""

import io

import pytest

from casework.models import CaseEvent, Enterprise, Evidence, Petition
from tests.factories import id_number, photo, worker_row
from workflows.services import open_task

pytestmark = pytest.mark.django_db


def filing(enterprise=None, **overrides):
    data = {
        "filer_name": "Zhao Lei",
        "filer_id_number": id_number(),
        "filer_phone": "13700000009",
        "filer_claimed_amount": "9000.00",
        "site": "Riverside tower, block 3",
        "owed_since": "2026-08-01",
        "description": "Three months of wages unpaid.",
        "employer_query": enterprise.name if enterprise else "",
        "employer": enterprise.pk if enterprise else "",
    }
    data.update(overrides)
    return data


def test_a_filing_lands_in_the_grid_areas_triage_queue_as_online(client, enterprise):
    response = client.post("/portal/file/", filing(enterprise))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.channel == Petition.Channel.ONLINE
    assert petition.org_unit == enterprise.grid_area
    assert petition.created_by is None
    assert open_task(petition) is not None
    assert "Riverside tower, block 3" in petition.description
    assert "2026-08-01" in petition.description


def test_the_filer_gets_the_case_number_and_query_code_at_once(client, enterprise):
    page = client.post("/portal/file/", filing(enterprise)).content.decode()
    claim = Petition.objects.get().claims.get()
    assert claim.petition.number in page
    assert claim.query_code in page
    assert client.get("/portal/case/").status_code == 200  # and may see it straight away


def test_two_photos_are_kept_privately_with_their_kind(client, enterprise, private_files):
    data = filing(enterprise, evidence_iou=[photo("iou.jpg"), photo("iou2.png", kind="PNG")])
    client.post("/portal/file/", data)
    files = list(Evidence.objects.order_by("id"))
    assert [(e.kind, e.original_name, e.content_type) for e in files] == [
        ("iou", "iou.jpg", "image/jpeg"),
        ("iou", "iou2.png", "image/png"),
    ]
    assert all((private_files / e.file.name).is_file() for e in files)
    assert files[0].filed_by == Petition.objects.get().claims.get()


def test_a_program_renamed_as_a_photo_is_refused_by_name(client, enterprise):
    fake = io.BytesIO(b"MZ\x90\x00 this is not an image")
    fake.name = "payslip.jpg"
    response = client.post("/portal/file/", filing(enterprise, evidence_payslip=[fake]))
    assert response.status_code == 400
    assert "payslip.jpg: Only photos (JPEG, PNG, WebP) and PDF files can be kept." in (
        response.content.decode()
    )
    assert not Petition.objects.exists()


def test_files_chosen_before_a_mistake_are_kept_for_the_next_try(client, enterprise):
    data = filing(enterprise, filer_phone="123", evidence_photo=[photo("site.jpg")])
    page = client.post("/portal/file/", data).content.decode()
    assert "site.jpg" in page
    kept = page.split('name="kept_evidence" value="')[1].split('"')[0]
    client.post("/portal/file/", filing(enterprise, kept_evidence=kept))
    assert Evidence.objects.get().original_name == "site.jpg"


def test_a_tampered_kept_list_names_no_file(client, enterprise):
    client.post("/portal/file/", filing(enterprise, kept_evidence="forged:../../etc/passwd"))
    assert not Evidence.objects.exists()


def test_co_workers_pasted_join_the_petition(client, enterprise):
    coworkers = "\n".join(f"Worker {n}, {id_number()}, 1390000{n:04d}, 3000" for n in range(1, 10))
    client.post("/portal/file/", filing(enterprise, coworkers_text=coworkers))
    petition = Petition.objects.get()
    assert petition.claims.count() == 10
    assert petition.is_group  # ten workers: the group alert goes out as for any intake


def test_a_bad_co_worker_line_is_named(client, enterprise):
    response = client.post("/portal/file/", filing(enterprise, coworkers_text="Sun, 123, x, 5"))
    assert response.status_code == 400
    assert "Co-workers, line 1" in response.content.decode()


def test_an_employer_not_in_the_register_is_named_for_the_clerks(client, org):
    data = filing(employer_name="Lucky Build Co.", grid_area=org["grid_a2"].pk)
    client.post("/portal/file/", data)
    enterprise = Enterprise.objects.get(name="Lucky Build Co.")
    assert enterprise.named_online and enterprise.credit_code == ""
    assert Petition.objects.get().org_unit == org["grid_a2"]


def test_find_lists_the_matching_employers(client, enterprise):
    page = client.post("/portal/file/", {"employer_query": "hongda", "find": "1"}).content
    assert b"Hongda Garments" in page
    assert b"This field is required" not in page


def test_a_worker_already_on_an_open_case_joins_it(client, clerk, enterprise):
    from tests.factories import record

    known = worker_row(name="Zhao Lei")
    petition = record(clerk, enterprise, workers=[known])
    page = client.post(
        "/portal/file/", filing(enterprise, filer_id_number=known["id_number"])
    ).content.decode()
    assert Petition.objects.count() == 1
    assert petition.number not in page  # the filer is not verified yet
    assert CaseEvent.objects.filter(petition=petition, transition="online_filing_linked").exists()


def test_filings_from_one_address_are_limited(client, enterprise, settings):
    settings.CASEWORK = {**settings.CASEWORK, "PORTAL_FILINGS_PER_ADDRESS": 1}
    client.post("/portal/file/", filing(enterprise))
    response = client.post("/portal/file/", filing(enterprise))
    assert response.status_code == 429
    assert Petition.objects.count() == 1


def test_a_post_larger_than_every_file_allowed_is_refused_before_reading(client, settings):
    settings.CASEWORK = {**settings.CASEWORK, "EVIDENCE_MAX_FILE_MB": 1, "EVIDENCE_MAX_FILES": 1}
    response = client.post("/portal/file/", {"x": "y"}, CONTENT_LENGTH=str(5 * 1024 * 1024))
    assert response.status_code == 413


def test_the_filer_may_ask_for_documents_on_their_page(client, enterprise):
    client.post("/portal/file/", filing(enterprise, electronic_delivery="on"))
    claim = Petition.objects.get().claims.get()
    consent = claim.consents.get()
    assert consent.channel == "portal" and consent.recorded_by is None
    assert claim.petition.events.filter(transition="delivery_consent").exists()


def test_without_asking_documents_go_on_paper(client, enterprise):
    client.post("/portal/file/", filing(enterprise))
    assert not Petition.objects.get().claims.get().consents.exists()


def test_staff_see_an_online_filing_and_its_evidence_on_the_task_page(client, login, clerk, org):
    data = filing(
        employer_name="Lucky Build Co.",
        grid_area=org["grid_a1"].pk,
        evidence_chat=[photo("chat.png", kind="PNG")],
    )
    client.post("/portal/file/", data)
    petition = Petition.objects.get()
    page = login(clerk).get(f"/tasks/{open_task(petition).pk}/").content.decode()
    assert "Filed online by the worker" in page
    assert "Named online, not verified" in page
    assert "chat.png" in page and "filed online" in page
