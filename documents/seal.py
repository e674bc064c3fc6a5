"""The federation's seal: a PAdES signature over the whole PDF, made with the certificate in the
PKCS#12 file `CASEWORK["SEAL_CERTIFICATE"]` (passphrase `CASEWORK["SEAL_PASSPHRASE"]`), and its
check. A changed byte breaks the signature's digest; bytes added after it (an incremental update)
leave the signature intact but not covering the file, which `verify` says too.

Development makes a self-signed certificate (`manage.py make_seal_certificate`); production names
the federation's own."""

import datetime
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "FederationSeal"


class SealMissing(Exception):
    """The seal's certificate file is missing or cannot be opened with its passphrase."""


def make_certificate(path, passphrase, *, common_name, years=10):
    """Write a self-signed seal certificate with its key to `path` (PKCS#12). For development
    and tests: a real federation's comes from a certification authority."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"seal",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def _source():
    path = Path(settings.CASEWORK["SEAL_CERTIFICATE"])
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise SealMissing(str(path)) from None
    return str(path), stamp, settings.CASEWORK["SEAL_PASSPHRASE"]


@cache
def _signer(path, stamp, passphrase):
    """The signer for the certificate file as it is (`stamp`: a replaced file is read again)."""
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
    if signer is None:
        raise SealMissing(path)
    return signer


def signer():
    return _signer(*_source())


def seal(pdf):
    """The PDF bytes sealed with the federation's certificate. Raises SealMissing."""
    out = io.BytesIO()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer(), output=out
    )
    return out.getvalue()


@dataclass(frozen=True)
class Verdict:
    sealed: bool  # it carries our seal
    intact: bool  # the seal verifies and covers the whole file as it is


def verify(data):
    """Whether `data` carries a seal of our certificate, unbroken and covering the whole file.
    Anything that is not a readable signed PDF is simply not sealed."""
    ours_der = signer().signing_cert.dump()
    root = asn1_x509.Certificate.load(ours_der)
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        ours = [s for s in signatures if s.signer_cert.dump() == ours_der]
        if not ours:
            return Verdict(sealed=False, intact=False)
        status = validate_pdf_signature(
            ours[0], ValidationContext(trust_roots=[root], allow_fetching=False)
        )
    except Exception:  # a damaged or hostile file: pyHanko's errors are many and not one base
        return Verdict(sealed=False, intact=False)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return Verdict(sealed=True, intact=status.bottom_line and whole)
