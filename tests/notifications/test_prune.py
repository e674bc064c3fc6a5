from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification


def test_prune_deletes_notifications_older_than_kept(supervisor, settings, capsys):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 30}
    old, recent = timezone.now() - timedelta(days=31), timezone.now() - timedelta(days=29)
    for created in (old, recent):
        Notification.objects.create(
            recipient=supervisor, kind=Kind.CASE_CLOSED, text="x", created=created
        )

    call_command("prune_notifications")

    assert list(Notification.objects.values_list("created", flat=True)) == [recent]
    assert "1 old notifications deleted." in capsys.readouterr().out
