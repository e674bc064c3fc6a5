import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from casework.models import IdempotencyKey


def test_prune_deletes_only_expired_answers(clerk, settings):
    ttl = settings.CASEWORK["IDEMPOTENCY_KEY_TTL_HOURS"]
    now = timezone.now()
    for key, age in [("old", ttl + 1), ("fresh", ttl - 1)]:
        IdempotencyKey.objects.create(
            user=clerk,
            key=key,
            fingerprint="f",
            status_code=201,
            response={},
            created_at=now - timedelta(hours=age),
        )

    out = io.StringIO()
    call_command("prune_idempotency_keys", stdout=out)

    assert out.getvalue() == "1 expired idempotency keys deleted.\n"
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
