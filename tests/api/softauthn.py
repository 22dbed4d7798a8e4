"""A software WebAuthn authenticator for the tests (SPEC §10.5): it makes
ES256 or Ed25519 credentials with the `cryptography` package, builds
attestation objects (format "none") and assertions with `cbor2`, and can be
told to misbehave in one field at a time (origin, RP ID, flags, counter,
type, challenge, format, algorithm). The unit test vectors of
tests/unit/passkey were made with it, and the API tests drive the server with it.
"""

import base64
import hashlib
import json
import struct

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

ES256 = -7
ED25519 = -8

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authenticator:
    def __init__(self, alg=ES256, credential_id=None, private_value=None, seed=None):
        self.alg = alg
        if alg == ES256:
            if private_value is not None:
                self.key = ec.derive_private_key(private_value, ec.SECP256R1())
            else:
                self.key = ec.generate_private_key(ec.SECP256R1())
        else:
            if seed is not None:
                self.key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
            else:
                self.key = ed25519.Ed25519PrivateKey.generate()
        self.credential_id = credential_id or hashlib.sha256(self.public_raw()).digest()[:16]
        self.sign_count = 0

    def public_raw(self):
        pub = self.key.public_key()
        if self.alg == ES256:
            return pub.public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.UncompressedPoint)[1:]
        return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def cose_key(self, alg=None):
        raw = self.public_raw()
        if self.alg == ES256:
            return {1: 2, 3: alg if alg is not None else ES256, -1: 1, -2: raw[:32], -3: raw[32:]}
        return {1: 1, 3: alg if alg is not None else ED25519, -1: 6, -2: raw}

    def sign(self, data):
        if self.alg == ES256:
            return self.key.sign(data, ec.ECDSA(hashes.SHA256()))
        return self.key.sign(data)

    @staticmethod
    def client_data(kind, challenge, origin, cross_origin=None):
        cd = {"type": kind, "challenge": challenge, "origin": origin}
        if cross_origin is not None:
            cd["crossOrigin"] = cross_origin
        return json.dumps(cd, separators=(",", ":")).encode()

    def create_raw(self, challenge, origin, rp_id="localhost", up=True, uv=True,
                   kind="webauthn.create", fmt="none", att_stmt=None, alg=None,
                   cross_origin=None):
        """(clientDataJSON, attestationObject) of a registration; challenge is base64url."""
        flags = FLAG_AT | (FLAG_UP if up else 0) | (FLAG_UV if uv else 0)
        auth = (hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
                + struct.pack(">I", self.sign_count) + bytes(16)
                + struct.pack(">H", len(self.credential_id)) + self.credential_id
                + cbor2.dumps(self.cose_key(alg)))
        att = cbor2.dumps({"fmt": fmt, "attStmt": att_stmt or {}, "authData": auth})
        return self.client_data(kind, challenge, origin, cross_origin), att

    def get_raw(self, challenge, origin, rp_id="localhost", up=True, uv=True,
                kind="webauthn.get", count=None, cross_origin=None):
        """(clientDataJSON, authenticatorData, signature) of an assertion; the
        counter moves forward by one unless count is given."""
        if count is None:
            self.sign_count += 1
            count = self.sign_count
        flags = (FLAG_UP if up else 0) | (FLAG_UV if uv else 0)
        auth = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", count)
        cd = self.client_data(kind, challenge, origin, cross_origin)
        sig = self.sign(auth + hashlib.sha256(cd).digest())
        return cd, auth, sig

    def create(self, challenge, origin, **kw):
        """A registration as the browser's PublicKeyCredential JSON."""
        cd, att = self.create_raw(challenge, origin, **kw)
        return {"id": b64u(self.credential_id), "rawId": b64u(self.credential_id),
                "type": "public-key",
                "response": {"clientDataJSON": b64u(cd), "attestationObject": b64u(att),
                             "transports": ["internal"]}}

    def get(self, challenge, origin, **kw):
        """An assertion as the browser's PublicKeyCredential JSON."""
        cd, auth, sig = self.get_raw(challenge, origin, **kw)
        return {"id": b64u(self.credential_id), "rawId": b64u(self.credential_id),
                "type": "public-key",
                "response": {"clientDataJSON": b64u(cd), "authenticatorData": b64u(auth),
                             "signature": b64u(sig)}}
