"""The monthly report (月报) of the hand-made zone A for March 2026, as Excel and as PDF: the
page's numbers, never counted a second time."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from lib import pdf
from tests.clock import local

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def monthly(client, kind, **query):
    return client.get(reverse(f"figures:monthly-{kind}"), query)


@pytest.fixture
def march(zone, org):
    return {"unit": org["zone_a"].pk, "month": "2026-03"}


def test_the_monthly_workbook_has_the_numbers_of_the_page(march, org, supervisor, login):
    client = login(supervisor)
    response = monthly(client, "xlsx", **march)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-202603.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content))["Figures"].iter_rows(values_only=True))
    assert rows[0][0] == "Federation"
    assert rows[1][0] == "Monthly report 2026-03"
    assert rows[2][0] == "Generated on 2026-04-10 09:00"
    assert rows[3][:2] == ("Zone A", "2026-03-01 – 2026-03-31")
    page = client.get(reverse("figures:page"), {"unit": org["zone_a"].pk, **MARCH})
    assert rows[4][0] == page.context["report"].sentence
    assert rows[6] == (None, "Total", "Grid A1", "Grid A2")
    exported = {row[0]: list(row[1:]) for row in rows[7:]}
    assert exported == {
        label: [None if v is None else float(v) if kind != "count" else v for v in values]
        for _key, label, kind, values in page.context["rows"]
    }
    assert exported["Advanced by the emergency fund"] == [4500, 4500, 0]


def test_the_monthly_workbook_has_the_charts_tables(march, supervisor, login):
    response = monthly(login(supervisor), "xlsx", **march)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1:] == [
        "Petitions by category",
        "Owed and recovered",
        "Overdue by grid area",
        "Sub-units ranked",
    ]
    assert list(book["Overdue by grid area"].iter_rows(values_only=True))[1] == ("Grid A1", 2, 1)


@pytest.fixture
def report_pdf(march, supervisor, login):
    response = monthly(login(supervisor), "pdf", **march)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_pdf_is_a_pdf(report_pdf):
    assert report_pdf.startswith(b"%PDF")


def test_the_pdf_embeds_its_truetype_font(report_pdf):
    reader = PdfReader(io.BytesIO(report_pdf))
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all("/FontFile2" in f["/FontDescriptor"] for f in fonts)


def pdf_text(content):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_pdf_names_the_unit_and_says_the_sentence(report_pdf, org):
    text = pdf_text(report_pdf)
    assert "Zone A Monthly report 2026-03" in text
    assert "4 workers were helped." in text
    assert "Overdue by grid area" in text and "Sub-units ranked" in text


def test_the_pdf_sets_chinese_text_in_the_embedded_font(march, org, supervisor, login):
    org["zone_a"].name = "江山区总工会"
    org["zone_a"].save()
    text = pdf_text(monthly(login(supervisor), "pdf", **march).content)
    assert "江山区总工会" in text


def test_without_the_font_the_pdf_is_explained(march, supervisor, login, monkeypatch):
    monkeypatch.setattr(pdf, "FONT_FILES", [("/nowhere/font.ttc", 0)])
    response = monthly(login(supervisor), "pdf", **march)
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.text


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_unit_of_another_zone_is_not_found(march, outsider, login, kind):
    assert monthly(login(outsider), kind, **march).status_code == 404


def test_case_workers_are_refused(march, mediator, login):
    assert monthly(login(mediator), "pdf", **march).status_code == 403


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "Give the month as YYYY-MM."),
        ("March", "Give the month as YYYY-MM."),
        ("", "This field is required."),
        ("2026-05", "This month has not begun yet."),
    ],
)
@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_bad_month_names_the_field(march, supervisor, login, kind, month, message):
    response = monthly(login(supervisor), kind, **{**march, "month": month})
    assert response.status_code == 400
    assert response.context["monthly"].errors["month"] == [message]
    assert message in response.text


def test_the_page_offers_last_month_for_the_chosen_unit(zone, org, supervisor, login):
    response = login(supervisor).get(reverse("figures:page"), {"unit": org["grid_a1"].pk, **MARCH})
    form = response.context["monthly"]
    assert form.initial["month"] == "2026-03" and form.initial["unit"] == org["grid_a1"].pk
    assert reverse("figures:monthly-pdf") in response.text
    assert reverse("figures:monthly-xlsx") in response.text


def test_a_month_in_progress_is_reported_to_its_end(march, org, supervisor, login, clock):
    clock(local(2026, 4, 10, 9))
    response = monthly(login(supervisor), "xlsx", **{**march, "month": "2026-04"})
    rows = list(load_workbook(io.BytesIO(response.content))["Figures"].iter_rows(values_only=True))
    assert rows[3][:2] == ("Zone A", "2026-04-01 – 2026-04-30")


def test_without_a_query_last_month_of_the_users_first_unit(zone, supervisor, login):
    response = login(supervisor).get(reverse("figures:monthly-xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-202603.xlsx"')
