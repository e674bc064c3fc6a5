"""`manage.py make_seal_certificate` (run by `make migrate`): a demo seal once, then kept."""

from django.core.management import call_command

from documents import seal


def test_it_makes_a_seal_that_seals_and_then_keeps_it(tmp_path, settings, monkeypatch):
    path = tmp_path / "var" / "seal.p12"
    monkeypatch.setitem(settings.CASEWORK, "SEAL_CERTIFICATE", str(path))
    monkeypatch.setitem(settings.CASEWORK, "SEAL_PASSPHRASE", "demo-seal")
    call_command("make_seal_certificate")
    made = path.read_bytes()
    call_command("make_seal_certificate")
    assert path.read_bytes() == made
    assert seal.signer().signing_cert is not None
