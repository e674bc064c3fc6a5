"""How money is shown: one function for pages, exports and messages alike."""

from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

CENT = Decimal("0.01")


def format_yuan(amount):
    """¥1,234.56 (and -¥1,234.56); an empty string for None."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(CENT)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


class MoneySum(Coalesce):
    """SUM of yuan amounts, zero when there are none, exact to the fen on every database: SQLite
    adds decimals as floating point, so its result is rounded back to fen here."""

    def __init__(self, expression, filter=None):
        super().__init__(
            Sum(expression, filter=filter),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )

    @property
    def convert_value(self):
        return _to_fen


def _to_fen(value, expression, connection):
    return None if value is None else Decimal(value).quantize(CENT)
