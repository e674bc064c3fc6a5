"""Files kept for a form that was never sent again are removed by the timer loop after a day."""

import datetime

import pytest
from django.utils import timezone

from casework import evidence
from lib import files
from tests.factories import photo

pytestmark = pytest.mark.django_db


class Upload:
    def __init__(self, data, name):
        self.data, self.name, self.size = data, name, len(data)

    def read(self):
        return self.data


def test_abandoned_staged_files_go_after_a_day(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path  # only this test's files
    kept = evidence.stage(Upload(photo().getvalue(), "iou.jpg"), "iou")
    assert evidence.remove_abandoned() == 0
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert evidence.remove_abandoned(now=later) == 1
    assert not files.private_storage.exists(kept["path"])
