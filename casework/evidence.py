"""Evidence: the files that back a petition, from the intake page, the case page and the workers'
own online filing.

A file is checked as it arrives (size, type read from its content) and kept at once in the
private folder under `staging/`, even when the rest of the form still needs correcting: the page
shown again lists it as kept, carried in a signed field, so nothing chosen is lost and nothing is
uploaded twice. `attach` then makes the kept files the petition's `Evidence`. Staged files never
attached (a form abandoned) are removed after a day by the timer loop (`remove_abandoned`).
"""

import os
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import files

from .models import Evidence
from .services import record_event

STAGING = "staging"
_SIGNING_SALT = "casework.evidence.kept"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def limits():
    return settings.CASEWORK["EVIDENCE_MAX_FILE_MB"], settings.CASEWORK["EVIDENCE_MAX_FILES"]


def max_request_bytes():
    """The most an evidence form may post: every file at its largest, and the form around them."""
    max_mb, max_files = limits()
    return max_files * max_mb * 1024 * 1024 + 1024 * 1024


def stage(upload, kind):
    """Check one upload and keep it in staging; returns what the form carries, or raises."""
    max_mb, _max_files = limits()
    name = os.path.basename(upload.name or "")[:200] or gettext("(no name)")
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            gettext("%(name)s: larger than %(mb)d MB.") % {"name": name, "mb": max_mb}
        )
    data = upload.read()
    try:
        content_type = files.sniff(data)
    except files.Refused as refused:
        raise ValidationError(f"{name}: {refused}") from None
    extension = files.ALLOWED_TYPES[content_type]
    path = files.private_storage.save(
        f"{STAGING}/{secrets.token_hex(16)}{extension}", ContentFile(data)
    )
    return {
        "path": path,
        "name": name,
        "kind": kind,
        "type": content_type,
        "size": len(data),
        "sha256": files.sha256(data),
    }


def _read_kept(value):
    if not value:
        return []
    try:
        kept = signing.loads(value, salt=_SIGNING_SALT)
    except signing.BadSignature:
        return []  # not ours: a tampered field names no file
    return [item for item in kept if files.private_storage.exists(item["path"])]


class EvidenceFormMixin:
    """Adds one multi-file input per kind of evidence, and `kept_evidence`: the files already
    kept from earlier posts of the same form, with a box to drop each."""

    def add_evidence_fields(self, kinds=None):
        for value, label in Evidence.Kind.choices if kinds is None else kinds:
            self.fields[f"evidence_{value}"] = MultipleFileField(label=label, required=False)
        self.fields["kept_evidence"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["drop_evidence"] = forms.TypedMultipleChoiceField(
            required=False, coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
        )
        self.evidence = _read_kept(self.data.get(self.add_prefix("kept_evidence")))
        self.fields["drop_evidence"].choices = [(i, i) for i in range(len(self.evidence))]
        self.kept_evidence_value = signing.dumps(self.evidence, salt=_SIGNING_SALT)

    def kind_of(self, field):
        """The kind of evidence a file sent in `field` is."""
        return field.removeprefix("evidence_")

    def evidence_field_names(self):
        return [name for name, f in self.fields.items() if isinstance(f, MultipleFileField)]

    def evidence_fields(self):
        return [self[name] for name in self.evidence_field_names()]

    def evidence_help(self):
        max_mb, max_files = limits()
        return gettext(
            "Photos (JPEG, PNG, WebP) or PDF, at most %(mb)d MB each and %(n)d files in all."
        ) % {"mb": max_mb, "n": max_files}

    def clean_evidence(self):
        """Stage this post's files (each refused with its reason), drop the ones unticked;
        called from the form's `clean`. The kept list is right even when the form is not."""
        dropped = set(self.cleaned_data.get("drop_evidence") or [])
        self.evidence = [item for i, item in enumerate(self.evidence) if i not in dropped]
        _max_mb, max_files = limits()
        for field in self.evidence_field_names():
            for upload in self.cleaned_data.get(field) or []:
                if len(self.evidence) >= max_files:
                    message = gettext("%(name)s: at most %(n)d files can be kept.")
                    self.add_error(field, message % {"name": upload.name, "n": max_files})
                    continue
                try:
                    self.evidence.append(stage(upload, self.kind_of(field)))
                except ValidationError as err:
                    self.add_error(field, err)
        self.kept_evidence_value = signing.dumps(self.evidence, salt=_SIGNING_SALT)

    @property
    def kept_files(self):
        """The kept files with their index, for the page's list."""
        labels = dict(Evidence.Kind.choices)
        return [
            {**item, "index": i, "label": labels[item["kind"]]}
            for i, item in enumerate(self.evidence)
        ]


class StaffEvidenceMixin(EvidenceFormMixin):
    """The clerks' and mediators' way: one input for files, and the kind they are."""

    def add_staff_evidence_fields(self):
        self.fields["evidence_kind"] = forms.ChoiceField(
            label=_("Kind of evidence"),
            choices=Evidence.Kind.choices,
            initial=Evidence.Kind.OTHER,
            required=False,  # left out: "other"
        )
        self.add_evidence_fields(kinds=[("files", _("Evidence files"))])

    def kind_of(self, field):
        kind = self.data.get(self.add_prefix("evidence_kind"))
        return kind if kind in Evidence.Kind.values else Evidence.Kind.OTHER


class EvidenceForm(StaffEvidenceMixin, forms.Form):
    """Evidence added on the case page."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_staff_evidence_fields()

    def clean(self):
        super().clean()
        self.clean_evidence()
        if not self.evidence and not self.errors:
            self.add_error("evidence_files", gettext("Choose at least one file."))
        return self.cleaned_data


def attach(petition, kept, *, actor=None, filed_by=None, note=""):
    """Make the kept files the petition's evidence, in the caller's transaction."""
    if not kept:
        return []
    now = timezone.localtime()
    evidence = []
    for item in kept:
        final = files.private_storage.save(
            f"evidence/{now:%Y/%m}/{secrets.token_hex(16)}{files.ALLOWED_TYPES[item['type']]}",
            files.private_storage.open(item["path"]),
        )
        evidence.append(
            Evidence(
                petition=petition,
                kind=item["kind"],
                file=final,
                original_name=item["name"],
                content_type=item["type"],
                size=item["size"],
                sha256=item["sha256"],
                note=note,
                uploaded_by=actor if actor is not None and actor.is_authenticated else None,
                filed_by=filed_by,
            )
        )
    Evidence.objects.bulk_create(evidence)
    # The staged copies go once the evidence is saved for good; a rollback leaves them kept.
    staged = [item["path"] for item in kept]
    transaction.on_commit(lambda: [files.private_storage.delete(path) for path in staged])
    record_event(
        petition,
        "attach_evidence",
        actor=evidence[0].uploaded_by,
        data={"files": [e.original_name for e in evidence], "online": filed_by is not None},
    )
    return evidence


def remove_abandoned(now=None):
    """Delete staged files older than a day (forms never sent again). Returns how many."""
    storage = files.private_storage
    if not storage.exists(STAGING):
        return 0
    limit = (now or timezone.now()) - timedelta(days=1)
    removed = 0
    for name in storage.listdir(STAGING)[1]:
        path = f"{STAGING}/{name}"
        if storage.get_modified_time(path) < limit:
            storage.delete(path)
            removed += 1
    return removed
