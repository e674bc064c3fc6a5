import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from casework.models import CaseEvent, Claim, Petition, Worker
from tests.factories import EnterpriseFactory, record, worker_row

from .helpers import intake_data, pasted, wrong_check_digit

URL = reverse("casework:intake")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_auditor_may_not_open_intake(login, auditor):
    assert login(auditor).get(URL).status_code == 403


def test_intake_page_offers_only_enterprises_in_the_clerks_units(login, clerk, enterprise, org):
    elsewhere = EnterpriseFactory(name="Zone B Plastics", grid_area=org["grid_b1"])

    response = login(clerk).get(URL)

    assert response.status_code == 200
    assert enterprise.name in response.text
    assert elsewhere.name not in response.text
    assert "autofocus" in response.text
    assert 'accesskey="s"' in response.text


def test_clerk_records_a_petition_from_typed_rows(login, clerk, enterprise):
    rows = [worker_row(is_representative=True), worker_row(non_local=True)]

    response = login(clerk).post(URL, intake_data(enterprise, rows), follow=True)

    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("casework:petition-detail", args=[petition.pk])
    assert f"Petition {petition.number} recorded." in response.text
    assert petition.claims.count() == 2
    assert petition.created_by == clerk
    assert Claim.objects.get(worker__id_number=rows[1]["id_number"]).non_local
    assert petition.claims.get(worker__id_number=rows[0]["id_number"]).is_representative


def test_pasted_rows_are_recorded_with_a_header_row_skipped(login, clerk, enterprise):
    rows = [worker_row(), worker_row(non_local=True)]
    text = "姓名\t身份证号\t电话\t金额\t外地\t代表\n" + pasted(rows)

    login(clerk).post(URL, intake_data(enterprise, workers_text=text))

    petition = Petition.objects.get()
    assert petition.claims.count() == 2
    assert Claim.objects.get(worker__id_number=rows[1]["id_number"]).non_local


def test_bad_pasted_lines_are_reported_by_line_number_and_nothing_saved(login, clerk, enterprise):
    good = worker_row()
    bad_id = worker_row()
    bad_id["id_number"] = wrong_check_digit(bad_id["id_number"])
    text = "\n".join(
        [
            pasted([good], ","),
            "",
            pasted([bad_id], ","),
            "Li Si, 330106197001010011, 13912345678, 100, maybe",
        ]
    )

    response = login(clerk).post(URL, intake_data(enterprise, workers_text=text))

    assert response.status_code == 200
    assert "Pasted list, line 3: Resident ID number:" in response.text
    assert "Pasted list, line 4: “maybe” is not yes or no" in response.text
    assert "line 1" not in response.text
    assert not Petition.objects.exists()
    assert not Worker.objects.exists()


def test_csv_upload_with_english_header_is_recorded(login, clerk, enterprise):
    rows = [worker_row(), worker_row(), worker_row(is_representative=True)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "ID number", "Phone", "Claimed amount", "Non-local", "Representative"])
    for row in rows:
        writer.writerow([row["name"], row["id_number"], row["phone"], "1,200.50", "no", "no"])
    upload = SimpleUploadedFile("workers.csv", out.getvalue().encode("gb18030"), "text/csv")

    login(clerk).post(URL, {**intake_data(enterprise), "upload": upload})

    petition = Petition.objects.get()
    assert petition.claims.count() == 3
    assert {c.claimed_amount for c in petition.claims.all()} == {Decimal("1200.50")}


def _xlsx(header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_xlsx_upload_with_chinese_header_is_recorded(login, clerk, enterprise):
    rows = [worker_row(), worker_row(non_local=True)]
    data = _xlsx(
        ["序号", "姓名", "身份证号码", "联系电话", "欠薪金额（元）", "是否外地", "是否代表"],
        [
            [
                n,
                r["name"],
                r["id_number"],
                int(r["phone"]),
                3500.5,
                "是" if r["non_local"] else "否",
                "",
            ]
            for n, r in enumerate(rows, start=1)
        ],
    )
    upload = SimpleUploadedFile("名单.xlsx", data)

    login(clerk).post(URL, {**intake_data(enterprise), "upload": upload})

    petition = Petition.objects.get()
    assert [c.claimed_amount for c in petition.claims.all()] == [Decimal("3500.50")] * 2
    assert Claim.objects.get(worker__id_number=rows[1]["id_number"]).non_local


def test_bad_xlsx_row_is_reported_by_its_row_number(login, clerk, enterprise):
    good, bad = worker_row(), worker_row(id_number="12345")
    data = _xlsx(
        ["姓名", "身份证号"], [[good["name"], good["id_number"]], [bad["name"], bad["id_number"]]]
    )
    upload = SimpleUploadedFile("list.xlsx", data)

    response = login(clerk).post(URL, {**intake_data(enterprise), "upload": upload})

    assert "File list.xlsx, line 3: Resident ID number:" in response.text
    assert not Petition.objects.exists()


def test_ten_workers_make_a_group_petition(login, clerk, enterprise):
    rows = [worker_row() for _ in range(12)]

    response = login(clerk).post(
        URL, intake_data(enterprise, rows[:2], workers_text=pasted(rows[2:])), follow=True
    )

    petition = Petition.objects.get()
    assert petition.is_group
    assert petition.claims.count() == 12
    assert "a group petition of 12 workers" in response.text


def test_bad_typed_id_number_shows_the_error_beside_the_row_and_saves_nothing(
    login, clerk, enterprise
):
    rows = [worker_row(), worker_row()]
    rows[1]["id_number"] = wrong_check_digit(rows[1]["id_number"])

    response = login(clerk).post(URL, intake_data(enterprise, rows))

    assert response.status_code == 200
    assert "The check digit of this ID number is wrong" in response.text
    assert not Petition.objects.exists()
    assert not Worker.objects.exists()


def test_missing_description_keeps_the_uploaded_rows_for_the_next_post(login, clerk, enterprise):
    rows = [worker_row(), worker_row()]
    upload = SimpleUploadedFile(
        "w.xlsx", _xlsx(["姓名", "身份证号"], [[r["name"], r["id_number"]] for r in rows])
    )
    browser = login(clerk)

    response = browser.post(URL, {**intake_data(enterprise, description=""), "upload": upload})
    kept = response.context["form"].kept_upload
    browser.post(URL, intake_data(enterprise, carried=kept[0], carried_name=kept[1]))

    assert "This field is required." in response.text
    assert Petition.objects.get().claims.count() == 2


def test_a_worker_listed_twice_is_reported(login, clerk, enterprise):
    row = worker_row()

    response = login(clerk).post(URL, intake_data(enterprise, [row], workers_text=pasted([row])))

    assert "Pasted list, line 1: this worker is already listed (Row 1)." in response.text
    assert not Petition.objects.exists()


def test_no_worker_at_all_is_an_error(login, clerk, enterprise):
    response = login(clerk).post(URL, intake_data(enterprise))

    assert "List at least one worker." in response.text
    assert not Petition.objects.exists()


def test_repeat_petition_shows_the_open_number_instead_of_recording(login, clerk, enterprise):
    first = worker_row()
    open_petition = record(clerk, enterprise, workers=[dict(first)])

    response = login(clerk).post(URL, intake_data(enterprise, [first, worker_row()]))

    assert response.status_code == 200
    assert open_petition.number in response.text
    assert reverse("casework:petition-detail", args=[open_petition.pk]) in response.text
    assert f"Add these facts to {open_petition.number}" in response.text
    assert Petition.objects.count() == 1


def test_repeat_facts_are_linked_to_the_open_petition_with_pasted_rows(login, clerk, enterprise):
    first, newcomer, pasted_one = worker_row(), worker_row(), worker_row()
    open_petition = record(clerk, enterprise, workers=[dict(first)])
    browser = login(clerk)
    response = browser.post(
        URL,
        intake_data(
            enterprise, [first, newcomer], workers_text=pasted([pasted_one]), description="Now 3."
        ),
    )
    link = {
        "description": response.context["form"].cleaned_data["description"],
        "workers_text": response.context["repeat_workers"],
    }

    response = browser.post(
        reverse("casework:petition-link", args=[open_petition.pk]), link, follow=True
    )

    assert Petition.objects.count() == 1
    assert open_petition.claims.count() == 3
    event = open_petition.events.get(transition="link_facts")
    assert event.reason == "Now 3."
    assert event.data["workers_added"] == 2
    assert f"New facts added to {open_petition.number}" in response.text


def test_intake_writes_the_receive_event(login, clerk, enterprise):
    login(clerk).post(URL, intake_data(enterprise, [worker_row()]))

    assert CaseEvent.objects.first().transition == "receive"


def test_more_than_five_representatives_is_refused_and_nothing_saved(login, clerk, enterprise):
    rows = [worker_row(is_representative=True) for _ in range(6)]

    response = login(clerk).post(URL, intake_data(enterprise, workers_text=pasted(rows)))

    assert "A group elects at most 5 representatives." in response.text
    assert not Petition.objects.exists()


def test_a_known_id_number_under_another_name_is_recorded_as_this_petition_says(
    login, clerk, enterprise, petition
):
    known = petition.claims.select_related("worker").first().worker
    other = EnterpriseFactory(grid_area=enterprise.grid_area)
    row = worker_row(name="Someone Else", id_number=known.id_number)

    response = login(clerk).post(URL, intake_data(other, [row]))

    assert response.status_code == 302
    assert "does not match" not in response.text
    assert Claim.objects.get(petition__enterprise=other, worker=known).name == "Someone Else"


def test_received_time_in_the_future_is_refused(login, clerk, enterprise):
    data = intake_data(enterprise, [worker_row()], received_at="2099-01-01T09:00")

    response = login(clerk).post(URL, data)

    assert "The received time is in the future." in response.text
    assert not Petition.objects.exists()


def test_a_list_headed_as_the_intake_table_in_chinese_keeps_its_non_local_workers(
    login, clerk, enterprise
):
    rows = [worker_row(non_local=True) for _ in range(40)]
    text = "姓名\t身份证号\t联系电话\t诉求金额（元）\t外地职工\t职工代表\n" + pasted(rows)

    login(clerk).post(URL, intake_data(enterprise, workers_text=text))

    petition = Petition.objects.get()
    assert petition.claims.filter(non_local=True).count() == 40


def test_an_upload_with_an_unknown_heading_names_it_and_saves_nothing(login, clerk, enterprise):
    row = worker_row()
    data = _xlsx(["姓名", "身份证号", "外地人员"], [[row["name"], row["id_number"], "是"]])
    upload = SimpleUploadedFile("list.xlsx", data)

    response = login(clerk).post(URL, {**intake_data(enterprise), "upload": upload})

    assert response.status_code == 200
    assert "File list.xlsx, line 1:" in response.text and "“外地人员”" in response.text
    assert not Petition.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_list_headed_with_the_intake_tables_own_headings_is_read_whole(
    login, clerk, enterprise, language
):
    browser = login(clerk)
    page = browser.get(URL, HTTP_ACCEPT_LANGUAGE=language).text
    head = re.search(r'<table class="table typed-rows">\s*<thead>(.*?)</thead>', page, re.S)
    headings = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))]
    rows = [worker_row(non_local=True, is_representative=True, claimed_amount=Decimal("812.50"))]
    text = "\t".join(headings) + "\n" + "\n".join(f"1\t{line}" for line in pasted(rows).split("\n"))

    browser.post(URL, intake_data(enterprise, workers_text=text))

    claim = Petition.objects.get().claims.get()
    assert (claim.non_local, claim.is_representative, claim.claimed_amount) == (
        True,
        True,
        Decimal("812.50"),
    )
    assert claim.phone == rows[0]["phone"]


def test_a_huge_pasted_cell_is_a_form_error_not_a_crash(login, clerk, enterprise):
    row = worker_row()
    text = pasted([row]) + "\n" + "x" * 200_000

    response = login(clerk).post(URL, intake_data(enterprise, workers_text=text))

    assert response.status_code == 200
    assert "Pasted list, line 2:" in response.text
    assert not Petition.objects.exists()


def test_a_huge_uploaded_csv_cell_is_a_form_error_not_a_crash(login, clerk, enterprise):
    upload = SimpleUploadedFile("list.csv", ("姓名,身份证号\n" + "x" * 200_000).encode())

    response = login(clerk).post(URL, {**intake_data(enterprise), "upload": upload})

    assert response.status_code == 200
    assert "File list.csv, line 2:" in response.text
    assert not Petition.objects.exists()


def test_absurd_amounts_are_form_errors_naming_the_field(login, clerk, enterprise):
    rows = [worker_row(claimed_amount="1e30"), worker_row(claimed_amount="9" * 30)]

    response = login(clerk).post(URL, intake_data(enterprise, rows))

    assert response.status_code == 200
    assert response.text.count("Ensure that there are no more than 12 digits in total.") == 2
    assert not Petition.objects.exists()


def test_a_received_time_before_the_earliest_year_is_refused(login, clerk, enterprise, settings):
    data = intake_data(enterprise, [worker_row()], received_at="1901-01-01T09:00")

    response = login(clerk).post(URL, data)

    assert f"Before {settings.CASEWORK['EARLIEST_YEAR']}: please check the year." in response.text
    assert not Petition.objects.exists()


def test_enter_in_a_field_cannot_record_the_petition(login, clerk, enterprise):
    # A browser submits a form on Enter through its first submit button, unless it is disabled.
    page = login(clerk).get(URL).text
    form = page[page.index('<form method="post" enctype="multipart/form-data" class="intake"') :]
    first_button = re.search(r"<button[^>]*>", form[: form.index("</form>")]).group(0)

    assert 'type="submit"' in first_button and "disabled" in first_button
    assert 'accesskey="s"' in form  # the real button stays, and Ctrl+Enter submits
