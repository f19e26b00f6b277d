"""Murano's plan signing: RSA PKCS#1 v1.5 with SHA-256 over ``queue name + JSON body``.

The engine signs with its private key (Murano's ``[engine] signing_key``); the
agent verifies with the engine's public key (Murano's agent ``engine_key``).
On RabbitMQ the signature travels as the raw bytes of the ``signature`` header,
as Murano sent it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fornace.errors import ConfigurationError


def _signed_bytes(queue: str, body: bytes) -> bytes:
    return queue.encode() + body


class PlanSigner:
    def __init__(self, private_key: Any) -> None:
        self._key = private_key

    @classmethod
    def from_file(cls, path: Path | str) -> PlanSigner:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        try:
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"cannot load the plan signing key {path}: {exc}",
                hint="give an unencrypted PEM RSA private key, e.g. from "
                     "'openssl genrsa -out signing.pem 2048'",
            ) from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ConfigurationError(f"the plan signing key {path} is not an RSA key",
                                     hint="generate one with 'openssl genrsa'")
        return cls(key)

    def sign(self, queue: str, body: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        return self._key.sign(_signed_bytes(queue, body), padding.PKCS1v15(),  # type: ignore[no-any-return]
                              hashes.SHA256())

    def public_key_pem(self) -> str:
        """The PKCS#1 PEM public key to put in the agent's configuration (as Murano did)."""
        from cryptography.hazmat.primitives import serialization

        return self._key.public_key().public_bytes(  # type: ignore[no-any-return]
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()


class PlanVerifier:
    def __init__(self, public_key: Any) -> None:
        self._key = public_key

    @classmethod
    def from_file(cls, path: Path | str) -> PlanVerifier:
        from cryptography.hazmat.primitives import serialization

        try:
            data = Path(path).read_bytes()
            key = serialization.load_pem_public_key(data)
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"cannot load the engine's public key {path}: {exc}",
                hint="give the PEM public key matching the engine's signing key",
            ) from exc
        return cls(key)

    def verify(self, queue: str, body: bytes, signature: bytes | None) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        if not signature:
            return False
        try:
            self._key.verify(signature, _signed_bytes(queue, body), padding.PKCS1v15(),
                             hashes.SHA256())
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True
