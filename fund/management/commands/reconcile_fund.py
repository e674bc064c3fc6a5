"""Check every emergency fund's stored balance against its postings; exit 1 on any difference."""

from django.core.management.base import BaseCommand, CommandError

from fund import services as fund_services
from fund.models import EmergencyFund
from lib.money import format_yuan


class Command(BaseCommand):
    help = "Compare each emergency fund's stored balance with the sum of its cash postings."

    def add_arguments(self, parser):
        parser.add_argument("--fund", type=int, action="append", help="Only this fund (id).")

    def handle(self, *args, fund=None, **options):
        funds = EmergencyFund.objects.select_related("zone").order_by("pk")
        if fund:
            funds = funds.filter(pk__in=fund)
        failures = 0
        for result in fund_services.reconcile(funds):
            if result.ok:
                self.stdout.write(
                    f"{result.fund.pk} {result.fund}: OK {format_yuan(result.stored)}"
                )
                continue
            failures += 1
            self.stdout.write(
                f"{result.fund.pk} {result.fund}: stored {format_yuan(result.stored)}, "
                f"postings {format_yuan(result.ledger)}, "
                f"difference {format_yuan(result.difference)}"
                + (f", unbalanced entries {result.unbalanced}" if result.unbalanced else "")
            )
        if failures:
            raise CommandError(f"{failures} fund(s) do not reconcile.")
