import time
import unicodedata

from django.core.management.base import BaseCommand

from casework.models import Status
from demo.loader import DemoLoader
from documents.models import Document
from workflows.flows import PetitionFlow


def _width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "Load demo data modeled on the seeds: a development-zone union with six grid areas, "
        "~30 enterprises, ~500 workers, ~200 petitions in every state with their tasks, sessions, "
        "agreements and closures, and a user for every role. Idempotent: a second run adds "
        "nothing and prints the logins again."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        loader = DemoLoader()
        created = loader.load()
        elapsed = time.monotonic() - started
        summary = loader.summary()

        if created:
            self.stdout.write(f"Demo data loaded: {created} petitions replayed in {elapsed:.1f} s.")
        else:
            self.stdout.write(
                "Demo data already present: nothing added (organization and users checked)."
            )
        counts = ", ".join(f"{k} {v}" for k, v in summary.items() if isinstance(v, int))
        self.stdout.write(f"{loader.zone.name} ({loader.zone.code}): {counts}")
        for status, count in summary["by_status"].items():
            self.stdout.write(f"  {_pad(str(Status(status).label), 28)}{count:>4}")
        self.print_open_tasks(summary["open_tasks"])
        self.print_logins(loader.logins)
        self.print_portal(loader.portal_claim)

    def print_open_tasks(self, open_tasks):
        self.stdout.write("Open tasks: in the zone queue, and held by")
        for node, by_holder in open_tasks.items():
            title = str(getattr(PetitionFlow, node).task_title)
            held = ", ".join(f"{who} {n}" for who, n in by_holder.items() if who)
            queue = by_holder.get("", 0)
            self.stdout.write(f"  {_pad(title, 28)}{queue:>4}  {held}")

    def print_logins(self, logins):
        header = ("username", "password", "role", "unit")
        rows = [header] + [(u, p, str(role), unit) for u, p, role, unit in logins]
        widths = [max(_width(row[i]) for row in rows) + 2 for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/):"))
        for row in rows:
            self.stdout.write(
                "  " + "".join(_pad(c, w) for c, w in zip(row[:3], widths, strict=True)) + row[3]
            )

    def print_portal(self, claim):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Workers' portal (http://127.0.0.1:8000/portal/):"))
        if claim is not None:
            self.stdout.write(
                f"  look up case {claim.petition.number} with phone {claim.phone} "
                f"or query code {claim.query_code}"
            )
        waiting = Document.objects.filter(state=Document.State.PENDING).count()
        if waiting:
            self.stdout.write(
                f"  {waiting} case documents are being rendered and sealed in the background."
            )
