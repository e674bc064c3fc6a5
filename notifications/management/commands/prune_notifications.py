from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Delete notifications older than NOTIFICATIONS_KEEP_DAYS (read or not)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.prune()} old notifications deleted.")
