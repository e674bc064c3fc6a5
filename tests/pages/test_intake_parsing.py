"""The worker-list parsers: pure functions, no database."""

import io
import re
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from casework import intake

ID_A = "11010519491231002X"
ID_B = "440524198001010013"


def test_tab_separated_rows_without_header_follow_the_column_order():
    parsed = intake.parse_text(f"张三\t{ID_A}\t13912345678\t5000\t是\t否")

    assert parsed.errors == []
    assert parsed.rows == [
        (
            1,
            {
                "name": "张三",
                "id_number": ID_A,
                "phone": "13912345678",
                "claimed_amount": "5000",
                "non_local": True,
                "is_representative": False,
            },
        )
    ]


def test_comma_and_full_width_comma_separate_cells_and_missing_columns_are_blank():
    parsed = intake.parse_text(f"张三,{ID_A}\n李四，{ID_B}，13912345678")

    assert [row["name"] for _line, row in parsed.rows] == ["张三", "李四"]
    assert parsed.rows[0][1]["phone"] == ""
    assert parsed.rows[1][1]["phone"] == "13912345678"


def test_a_header_row_is_recognised_in_chinese_and_may_reorder_and_skip_columns():
    parsed = intake.parse_text(f"序号\t身份证号码\t姓名\t是否代表\n1\t{ID_A}\t张三\t是")

    assert parsed.rows == [
        (
            2,
            {
                "name": "张三",
                "id_number": ID_A,
                "phone": "",
                "claimed_amount": "",
                "non_local": False,
                "is_representative": True,
            },
        )
    ]


def test_a_header_row_is_recognised_in_english():
    parsed = intake.parse_text(f"Name,ID number,Phone,Claimed amount\nWang Wu,{ID_A},,1200")

    assert parsed.rows[0][1]["name"] == "Wang Wu"
    assert parsed.rows[0][1]["claimed_amount"] == "1200"


def test_yes_and_no_are_read_in_both_languages_and_as_digits():
    lines = [f"a,{ID_A},,,{value}" for value in ("是", "否", "1", "0", "yes", "No", "Y", "")]

    parsed = intake.parse_text("\n".join(lines))

    assert [row["non_local"] for _n, row in parsed.rows] == [1, 0, 1, 0, 1, 0, 1, 0]


def test_unreadable_lines_are_reported_with_their_line_numbers():
    text = f"a,{ID_A}\n\nb,{ID_B},,,maybe\nc,{ID_B},1,2,3,4,5"

    parsed = intake.parse_text(text)

    assert [n for n, _row in parsed.rows] == [1]
    assert [n for n, _message in parsed.errors] == [3, 4]
    assert "line 3" in parsed.errors[0][1]
    assert "line 4" in parsed.errors[1][1]


def test_full_width_digits_spaces_and_amount_decorations_are_normalised():
    parsed = intake.parse_text("张三\t１１０１０５ １９４９１２３１００２x\t\t¥1,200.50元")

    row = parsed.rows[0][1]
    assert row["id_number"] == ID_A
    assert row["claimed_amount"] == "1200.50"


def test_check_rows_reports_field_errors_by_source_and_line():
    parsed = intake.parse_text(f"a,{ID_A}\nb,{ID_A[:-1]}1\nc,{ID_B},123")

    cleaned, errors = intake.check_rows(parsed, "Pasted list")

    assert [label for label, _row in cleaned] == ["Pasted list, line 1"]
    assert errors[0].startswith("Pasted list, line 2: Resident ID number:")
    assert errors[1].startswith("Pasted list, line 3: Phone:")


def test_gbk_csv_is_decoded():
    data = f"姓名,身份证号\n张三,{ID_A}\n".encode("gbk")

    parsed = intake.parse_csv(data)

    assert parsed.rows == [(2, parsed.rows[0][1])]
    assert parsed.rows[0][1]["name"] == "张三"


def test_xlsx_numbers_become_text_and_row_numbers_are_kept():
    book = Workbook()
    book.active.append(["姓名", "身份证号", "电话", "金额", "外地"])
    book.active.append(["张三", ID_A, 13912345678, 2500.5, True])
    data = io.BytesIO()
    book.save(data)

    parsed = intake.parse_xlsx(data.getvalue())

    row = parsed.rows[0][1]
    assert parsed.rows[0][0] == 2
    assert (row["phone"], row["claimed_amount"], row["non_local"]) == (
        "13912345678",
        "2500.5",
        True,
    )


def test_a_file_that_is_not_a_workbook_is_an_error():
    parsed = intake.parse_upload(SimpleUploadedFile("list.xlsx", b"not a zip"))

    assert parsed.rows == []
    assert len(parsed.errors) == 1


def test_other_file_types_are_refused():
    parsed = intake.parse_upload(SimpleUploadedFile("list.pdf", b"%PDF"))

    assert parsed.errors and not parsed.rows


def test_rows_survive_the_round_trip_through_text():
    parsed = intake.parse_text(f"张三\t{ID_A}\t13912345678\t5000\t是\t是\n李四\t{ID_B}")
    cleaned, _errors = intake.check_rows(parsed, "x")
    rows = [row for _label, row in cleaned]

    again, errors = intake.check_rows(intake.parse_text(intake.rows_to_text(rows)), "x")

    assert errors == []
    assert [row for _label, row in again] == rows


def test_an_id_number_stored_as_a_number_that_lost_digits_says_the_column_must_be_text():
    parsed = intake.parse_xlsx(_xlsx_bytes([["姓名", "身份证号"], ["张三", 440524198001010000.0]]))

    assert parsed.rows == []
    [(line, message)] = parsed.errors
    assert line == 2
    assert "number" in message and "text" in message
    assert "check digit" not in message


def test_an_id_number_in_scientific_notation_from_a_csv_says_the_column_must_be_text():
    parsed = intake.parse_csv("姓名,身份证号\n张三,4.40524E+17\n".encode())

    [(_line, message)] = parsed.errors
    assert "number" in message and "text" in message


def test_an_id_number_stored_as_a_number_with_all_its_digits_is_accepted():
    # Excel itself keeps 15 digits, but other tools write whole integer cells.
    parsed = intake.parse_records([(1, ["姓名", "身份证号"]), (2, ["张三", int(ID_B)])])

    assert parsed.errors == []
    assert parsed.rows[0][1]["id_number"] == ID_B


def test_every_heading_of_the_intake_table_is_read_in_chinese():
    header = "姓名\t身份证号\t联系电话\t诉求金额（元）\t外地职工\t职工代表"

    parsed = intake.parse_text(f"{header}\n张三\t{ID_A}\t13912345678\t5000\t是\t是")

    assert parsed.errors == []
    row = parsed.rows[0][1]
    assert (row["phone"], row["claimed_amount"], row["non_local"], row["is_representative"]) == (
        "13912345678",
        "5000",
        True,
        True,
    )


def test_every_heading_of_the_intake_table_is_read_in_english():
    header = "#,Name,Resident ID number,Phone,Claimed amount (yuan),Non-local,Representative"

    parsed = intake.parse_text(f"{header}\n1,Wang Wu,{ID_A},13912345678,1200,yes,no")

    assert parsed.errors == []
    row = parsed.rows[0][1]
    assert (row["name"], row["claimed_amount"], row["non_local"]) == ("Wang Wu", "1200", True)


def test_the_help_texts_headings_with_their_yes_no_hint_are_read():
    header = "姓名,身份证号,外地职工（是/否）,职工代表（是/否）"

    parsed = intake.parse_text(f"{header}\n张三,{ID_A},是,否")

    assert parsed.errors == []
    assert parsed.rows[0][1]["non_local"] is True


def test_an_unknown_heading_is_listed_back_and_no_row_is_taken():
    with translation.override("en"):
        parsed = intake.parse_text(f"姓名\t身份证号\t籍贯\t工种\n张三\t{ID_A}\t湖南\t焊工")

    assert parsed.rows == []
    ((line, message),) = parsed.errors
    assert line == 1
    assert "“籍贯”" in message and "“工种”" in message


def test_a_pasted_line_with_a_huge_cell_is_an_error_on_its_line():
    with translation.override("en"):
        parsed = intake.parse_text(f"张三\t{ID_A}\n李四\t{'9' * 200_000}")

    assert [n for n, _message in parsed.errors] == [2]
    assert "line 2" in parsed.errors[0][1]


def test_a_csv_file_with_a_huge_cell_is_an_error_on_its_line():
    with translation.override("en"):
        parsed = intake.parse_csv(f"姓名,身份证号\n张三,{ID_A}\n李四,{'x' * 200_000}\n".encode())

    assert [n for n, _message in parsed.errors] == [3]
    assert "line 3" in parsed.errors[0][1]


# "At once" is this process's CPU time (time.process_time), not the wall clock: a machine busy
# with other work must not fail these tests, and a sheet expanded cell by cell still would.


def _xlsx_bytes(rows, dimension=None, far_cells=0, empty_rows=0):
    """A workbook of `rows`, plus `far_cells` rows with one cell in the last column (XFD) and
    `empty_rows` empty row elements; `dimension` rewrites the size the sheet declares."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    for n in range(far_cells):
        book.active.cell(row=len(rows) + 1 + n, column=16384, value="x")
    data = io.BytesIO()
    book.save(data)
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if dimension:
                    ref = f'<dimension ref="{dimension}"'.encode()
                    content = re.sub(rb'<dimension ref="[^"]*"', ref, content)
                first = len(rows) + far_cells + 1
                blank = "".join(f'<row r="{r}"/>' for r in range(first, first + empty_rows))
                content = content.replace(b"</sheetData>", blank.encode() + b"</sheetData>")
            copy.writestr(item, content)
    return out.getvalue()


def test_a_small_sheet_declaring_a_huge_size_is_refused_at_once():
    rows = [["姓名", "身份证号"], ["张三", ID_A]]
    data = _xlsx_bytes(rows, dimension="A1:XFD2000", empty_rows=1998)
    assert len(data) < 10_000

    started = time.process_time()
    parsed = intake.parse_xlsx(data)

    assert time.process_time() - started < 1
    assert parsed.rows == []
    assert len(parsed.errors) == 1


def test_a_sheet_hiding_cells_far_to_the_right_is_read_by_its_real_cells():
    # Its declared size is small, so it is read; the far cells cost their own parsing only.
    data = _xlsx_bytes([["姓名", "身份证号"], ["张三", ID_A]], dimension="A1:B2", far_cells=2000)

    started = time.process_time()
    parsed = intake.parse_xlsx(data)

    assert time.process_time() - started < 1
    assert [row["name"] for _line, row in parsed.rows] == ["张三"]


def test_a_sheet_hiding_200_000_empty_rows_is_refused_at_once():
    data = _xlsx_bytes(
        [["姓名", "身份证号"], ["张三", ID_A]], dimension="A1:B2", empty_rows=200_000
    )

    started = time.process_time()
    parsed = intake.parse_xlsx(data)

    assert time.process_time() - started < 1
    assert parsed.rows == []
    assert len(parsed.errors) == 1


def test_a_full_list_of_workers_is_parsed_within_a_second():
    rows = [["序号", "姓名", "身份证号", "联系电话", "诉求金额（元）", "外地职工", "职工代表"]]
    rows += [[n, f"职工{n}", ID_A, "13912345678", 2500.5, "是", "否"] for n in range(1, 2001)]
    data = _xlsx_bytes(rows)

    started = time.process_time()
    parsed = intake.parse_xlsx(data)

    assert time.process_time() - started < 1
    assert (len(parsed.rows), parsed.errors) == (2000, [])
