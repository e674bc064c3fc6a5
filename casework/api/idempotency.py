"""Idempotency-Key: a client that retries a POST gets the first answer again and changes nothing.

Only successful answers are kept: a refused request changed nothing, so retrying it is harmless
and it does not use up its key.
"""

import functools
import hashlib
import json

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from casework.models import IdempotencyKey

from .errors import IdempotencyKeyReused

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = IdempotencyKey._meta.get_field("key").max_length

PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Any unique string, e.g. a UUID. A retry with the same key gets the first answer again "
        "and creates nothing; the same key with a different body is refused (422)."
    ),
)


def idempotent(handler):
    """Decorate a view's POST handler `handler(view, request, *args, **kwargs)`.

    The answer is stored in the same transaction as the change it reports. When two requests with
    one key race, the unique constraint fails the later one, whose change is rolled back: it
    answers with what the first stored.
    """

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {HEADER: [_("At most %(max)d characters.") % {"max": MAX_KEY_LENGTH}]}
            )
        fingerprint = request_fingerprint(request)
        replay = stored_answer(request.user, key, fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    _store(request.user, key, fingerprint, response)
        except IntegrityError:
            replay = stored_answer(request.user, key, fingerprint)
            if replay is None:
                raise
            return replay
        return response

    return wrapper


class _FingerprintEncoder(DjangoJSONEncoder):
    """An uploaded file by its name and size: a multipart body fingerprints like any other."""

    def default(self, o):
        if isinstance(o, UploadedFile):
            return {"file": o.name, "size": o.size}
        return super().default(o)


def request_fingerprint(request):
    payload = json.dumps(
        {"method": request.method, "path": request.path, "body": request.data},
        sort_keys=True,
        cls=_FingerprintEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def stored_answer(user, key, fingerprint):
    """The stored answer for this user's key as a Response, or None if there is none (or it has
    expired). Raises IdempotencyKeyReused if the key was used for a different request."""
    mine = IdempotencyKey.objects.filter(user=user, key=key)
    mine.expired().delete()
    row = mine.first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return Response(row.response, status=row.status_code, headers={REPLAY_HEADER: "true"})


def _store(user, key, fingerprint, response):
    # Stored exactly as the client receives it (decimals, dates and labels as JSON text).
    body = json.loads(JSONRenderer().render(response.data))
    IdempotencyKey.objects.create(
        user=user, key=key, fingerprint=fingerprint, status_code=response.status_code, response=body
    )
