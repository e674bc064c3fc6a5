from django.core.management.base import BaseCommand

from casework.models import IdempotencyKey


class Command(BaseCommand):
    help = "Delete stored Idempotency-Key answers older than CASEWORK_IDEMPOTENCY_TTL_HOURS."

    def handle(self, *args, **options):
        deleted, _ = IdempotencyKey.objects.expired().delete()
        self.stdout.write(f"{deleted} expired idempotency keys deleted.")
