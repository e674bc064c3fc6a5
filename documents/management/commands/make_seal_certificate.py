"""Make the self-signed demo seal certificate, unless the configured one exists (`make run`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents import seal


class Command(BaseCommand):
    help = (
        "Write a self-signed seal certificate (PKCS#12) to CASEWORK['SEAL_CERTIFICATE'] for "
        "development, protected by CASEWORK['SEAL_PASSPHRASE']; nothing if the file exists."
    )

    def handle(self, *args, **options):
        path = Path(settings.CASEWORK["SEAL_CERTIFICATE"])
        if path.exists():
            self.stdout.write(f"The seal certificate exists: {path}")
            return
        passphrase = settings.CASEWORK["SEAL_PASSPHRASE"]
        if not passphrase:
            raise CommandError("Set CASEWORK_SEAL_PASSPHRASE first: the key is kept encrypted.")
        # Named as what it is, whatever the database holds (it may not be migrated yet).
        seal.make_certificate(path, passphrase, common_name="Demo seal, not for real documents")
        self.stdout.write(self.style.SUCCESS(f"Wrote a self-signed demo seal: {path}"))
