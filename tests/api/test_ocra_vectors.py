"""The tests' own OCRA implementation (ocra.py) against the RFC 6287 Appendix C
test vectors, so that it can be trusted as an independent check of the server's
challenge/response devices (R20-R23)."""

import pytest

from ocra import DEVICE_SUITES, device_response, ocra

KEY20 = b"12345678901234567890"
KEY32 = b"12345678901234567890123456789012"
KEY64 = b"1234567890123456789012345678901234567890123456789012345678901234"

ONE_WAY_SHA1_6_QN08 = ["237653", "243178", "653583", "740991", "608993",
                       "388898", "816933", "224598", "750600", "294470"]
SHA256_8_QN08_PSHA1 = ["83238735", "01501458", "17957585", "86776967", "86807031"]
SHA256_8_C_QN08_PSHA1 = ["65347737", "86775851", "78192410", "71565254", "10104329",
                         "65983500", "70069104", "91771096", "75011558", "08522129"]
SHA512_8_C_QN08 = ["07016083", "63947962", "70123924", "25341727", "33203315",
                   "34205738", "44343969", "51946085", "20403879", "31409299"]
SHA512_8_QN08_T1M = ["95209754", "55907591", "22048402", "24218844", "36209546"]


@pytest.mark.parametrize("i", range(10))
def test_rfc6287_sha1_6_qn08(i):
    assert ocra("OCRA-1:HOTP-SHA1-6:QN08", KEY20, str(i) * 8) == ONE_WAY_SHA1_6_QN08[i]


@pytest.mark.parametrize("i", range(5))
def test_rfc6287_sha256_8_qn08_psha1(i):
    assert ocra("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY32, str(i) * 8,
                pin="1234") == SHA256_8_QN08_PSHA1[i]


def test_rfc6287_pin_hash_given_directly():
    import hashlib
    h = hashlib.sha1(b"1234").digest()
    assert ocra("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY32, "00000000", pin_hash=h) == "83238735"


@pytest.mark.parametrize("c", range(10))
def test_rfc6287_sha256_8_counter_qn08_psha1(c):
    assert ocra("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", KEY32, "12345678", pin="1234",
                counter=c) == SHA256_8_C_QN08_PSHA1[c]


@pytest.mark.parametrize("c", range(10))
def test_rfc6287_sha512_8_counter_qn08(c):
    assert ocra("OCRA-1:HOTP-SHA512-8:C-QN08", KEY64, str(c) * 8,
                counter=c) == SHA512_8_C_QN08[c]


@pytest.mark.parametrize("i", range(5))
def test_rfc6287_sha512_8_qn08_time(i):
    assert ocra("OCRA-1:HOTP-SHA512-8:QN08-T1M", KEY64, str(i) * 8,
                timesteps=0x132D0B6) == SHA512_8_QN08_T1M[i]


def test_device_suites_r20_r23():
    """R20-R23: the suite of each challenge/response device."""
    assert DEVICE_SUITES == {
        "dsc_plus": "OCRA-1:HOTP-SHA1-8:QN06-PSHA1",
        "dsc": "OCRA-1:HOTP-SHA1-8:QN06-PSHA1",
        "platinum": "OCRA-1:HOTP-SHA1-8:QN06",
        "gold": "OCRA-1:HOTP-SHA1-8:QN06",
        "ibkey": "OCRA-1:HOTP-SHA256-8:QN06",
    }


def test_r21_pin_changes_the_response_r23_does_not_use_it():
    secret = KEY20.hex()
    a = device_response("dsc_plus", secret, "123456", "1234")
    b = device_response("dsc_plus", secret, "123456", "4321")
    assert a != b and len(a) == 8 and a.isdigit()
    assert device_response("platinum", secret, "123456", "1234") == \
        device_response("platinum", secret, "123456", None)


def test_numeric_question_leading_zeros():
    """A challenge such as "000123" is the number 123 (hex "7B"), not the text."""
    assert ocra("OCRA-1:HOTP-SHA1-8:QN06", KEY20, "000123") == \
        ocra("OCRA-1:HOTP-SHA1-8:QN06", KEY20, "0123")
    assert ocra("OCRA-1:HOTP-SHA1-8:QN06", KEY20, "000123") != \
        ocra("OCRA-1:HOTP-SHA1-8:QN06", KEY20, "123000")


def test_malformed_inputs_rejected():
    with pytest.raises(ValueError):
        ocra("OCRA-1:HOTP-SHA1-8:QN06", KEY20, "12a456")
    with pytest.raises(ValueError):
        ocra("OCRA-1:HOTP-SHA1-8:QN06-PSHA1", KEY20, "123456")
    with pytest.raises(ValueError):
        ocra("OCRA-2:HOTP-SHA1-8:QN06", KEY20, "123456")
