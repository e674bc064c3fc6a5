import time

from django.core.management.base import BaseCommand, CommandError

from figures import tallies


class Command(BaseCommand):
    help = (
        "Recount the stale days of the figures' tallies; --rebuild recounts every day (after "
        "data written around the services), --check says which tallies differ from the records."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rebuild", action="store_true", help="recount every day")
        group.add_argument("--check", action="store_true", help="compare with the records")

    def handle(self, *args, rebuild, check, **options):
        started = time.perf_counter()
        if check:
            tallies.refresh()
            wrong = tallies.check()
            for unit, grain, day, own in wrong:
                scope = "own records" if own else "subtree"
                self.stderr.write(f"differs: unit {unit} ({scope}), {grain} {day:%Y-%m-%d}")
            if wrong:
                raise CommandError(f"{len(wrong)} tallies differ from the records.")
            self.stdout.write("The tallies agree with the records.")
        elif rebuild:
            tallies.rebuild()
            self.stdout.write(f"Every day recounted in {time.perf_counter() - started:.1f} s.")
        else:
            tallies.refresh()
            self.stdout.write("The tallies are up to date.")
