"""Envelopes the database keeps but cannot open: AES-256-GCM under a key derived (HKDF-SHA256)
from the service's SECRET_KEY and a purpose (e.g. one vote), so the key is never in the database.

Secret ballots use it while a vote is open: the voter's "has voted" row and the ballot are written
in one transaction, and on PostgreSQL rows written together share hidden system columns (xmin), so
whoever reads the database could pair them; sealed, the paired row says nothing.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_secret: bytes | None = None


class Unopenable(Exception):
    """An envelope sealed with another key or for another purpose, or changed since."""


def configure(secret_key: str) -> None:
    global _secret
    _secret = secret_key.encode()


def _key(purpose: str) -> AESGCM:
    assert _secret is not None, "sealing.configure() first"
    return _derived(_secret, purpose)


@lru_cache(maxsize=256)  # a vote's close opens all its envelopes with one key
def _derived(secret: bytes, purpose: str) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=b"solidaire-sealing", info=purpose.encode()).derive(secret))


def seal(purpose: str, data: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _key(purpose).encrypt(nonce, data, purpose.encode())).decode()


def unseal(purpose: str, envelope: str) -> bytes:
    """The data; Unopenable if the envelope was changed, or sealed with another key or purpose."""
    try:
        raw = base64.b64decode(envelope, validate=True)
        return _key(purpose).decrypt(raw[:12], raw[12:], purpose.encode())
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise Unopenable(purpose) from error
