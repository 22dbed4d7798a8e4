"""An independent OCRA (RFC 6287) implementation used to answer the server's challenges.

Only what the tests need: HOTP-SHA{1,256,512} with 0 or 4..10 digits, an optional
counter (C), a question (QNnn, QAnn, QHnn), an optional PIN hash (PSHA1/256/512)
and an optional time step count (T). Written from the RFC text, so that it
cross-checks the server's C code rather than mirroring it.
"""

import hashlib
import hmac

HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}

# The suites of the devices that answer a 6-digit challenge (SPEC §4).
DEVICE_SUITES = {
    "dsc_plus": "OCRA-1:HOTP-SHA1-8:QN06-PSHA1",
    "dsc": "OCRA-1:HOTP-SHA1-8:QN06-PSHA1",
    "platinum": "OCRA-1:HOTP-SHA1-8:QN06",
    "gold": "OCRA-1:HOTP-SHA1-8:QN06",
    "ibkey": "OCRA-1:HOTP-SHA256-8:QN06",
}


def _parse_suite(suite):
    parts = suite.split(":")
    if len(parts) != 3 or parts[0] != "OCRA-1":
        raise ValueError("bad OCRA suite: %r" % suite)
    crypto = parts[1].split("-")
    if len(crypto) != 3 or crypto[0] != "HOTP" or crypto[1] not in HASHES:
        raise ValueError("bad crypto function: %r" % parts[1])
    digits = int(crypto[2])
    if digits != 0 and not 4 <= digits <= 10:
        raise ValueError("bad digit count: %d" % digits)
    spec = {"hash": HASHES[crypto[1]], "digits": digits, "counter": False, "question": None,
            "pin": None, "session": None, "time": None}
    for item in parts[2].split("-"):
        if item == "C":
            spec["counter"] = True
        elif item.startswith("Q") and len(item) == 4 and item[1] in "NAH":
            spec["question"] = (item[1], int(item[2:]))
        elif item.startswith("P") and item[1:] in HASHES:
            spec["pin"] = HASHES[item[1:]]
        elif item.startswith("S") and len(item) == 4:
            spec["session"] = int(item[1:])
        elif item.startswith("T") and item[-1] in "SMH":
            spec["time"] = item[1:]
        else:
            raise ValueError("bad data input item: %r" % item)
    if spec["question"] is None:
        raise ValueError("suite without a question: %r" % suite)
    return spec


def _question_bytes(kind, maxlen, question):
    if not 4 <= len(question) <= maxlen:
        raise ValueError("question length %d outside 4..%d" % (len(question), maxlen))
    if kind == "N":
        if not question.isdigit() or not question.isascii():
            raise ValueError("numeric question with non-digits: %r" % question)
        hexdigits = "%X" % int(question, 10)
    elif kind == "H":
        hexdigits = question
        bytes.fromhex(hexdigits if len(hexdigits) % 2 == 0 else hexdigits + "0")
    else:
        hexdigits = question.encode("ascii").hex()
    # Right-pad with '0' characters to 256 hex digits, i.e. 128 bytes.
    hexdigits = hexdigits + "0" * (256 - len(hexdigits))
    return bytes.fromhex(hexdigits)


def ocra(suite, key, question, pin=None, pin_hash=None, counter=0, session=b"", timesteps=0):
    """Returns the OCRA response (a string of digits) of `suite` for `question`.

    key is bytes; pin is the plaintext PIN (hashed per the suite) or pin_hash
    its hash already computed."""
    spec = _parse_suite(suite)
    data = suite.encode("ascii") + b"\x00"
    if spec["counter"]:
        data += counter.to_bytes(8, "big")
    data += _question_bytes(spec["question"][0], spec["question"][1], question)
    if spec["pin"] is not None:
        if pin_hash is None:
            if pin is None:
                raise ValueError("suite needs a PIN")
            pin_hash = spec["pin"](pin.encode("utf-8")).digest()
        data += pin_hash
    if spec["session"] is not None:
        data += session.ljust(spec["session"], b"\x00")[: spec["session"]]
    if spec["time"] is not None:
        data += timesteps.to_bytes(8, "big")
    mac = hmac.new(key, data, spec["hash"]).digest()
    if spec["digits"] == 0:
        return mac.hex()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF
    return str(code % 10 ** spec["digits"]).zfill(spec["digits"])


def device_response(device_type, secret_hex, challenge, pin=None):
    """The 8-digit answer a challenge/response device of device_type shows."""
    suite = DEVICE_SUITES[device_type]
    return ocra(suite, bytes.fromhex(secret_hex), challenge, pin=pin if "-P" in suite else None)
