"""truncate_for: text cut to the length its model field holds, read from the field itself."""

from fund.models import JournalEntry, ReleaseLine
from lib.text import truncate_for


def test_text_longer_than_the_field_is_cut_to_its_max_length():
    length = ReleaseLine._meta.get_field("failure_reason").max_length
    assert truncate_for(ReleaseLine, "failure_reason", "x" * (length + 50)) == "x" * length


def test_text_that_fits_is_kept_whole():
    assert truncate_for(JournalEntry, "reference", "BANK-0042") == "BANK-0042"


def test_a_field_without_a_max_length_keeps_the_text_whole():
    memo = "y" * 10_000
    assert truncate_for(JournalEntry, "memo", memo) == memo
