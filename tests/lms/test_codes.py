import re

from lms.codes import ALPHABET, code_display, code_generate, code_normalise


def test_code_generate_is_12_crockford_symbols():
    code = code_generate()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", code)
    assert not set(code) & set("ILOU")


def test_code_display_groups_by_four():
    assert code_display("7KQ2M9XD3FHT") == "7KQ2-M9XD-3FHT"


def test_code_normalise_accepts_what_people_type():
    assert code_normalise("7kq2-m9xd-3fht") == "7KQ2M9XD3FHT"
    assert code_normalise(" 7KQ2 M9XD 3FHT ") == "7KQ2M9XD3FHT"
    assert code_normalise("7KQ2–M9XD—3FHT") == "7KQ2M9XD3FHT"  # dashes a phone puts in
    assert code_normalise("OIL2-M9XD-3FHT") == "0112M9XD3FHT"  # O → 0, I and L → 1


def test_code_normalise_rejects_what_cannot_be_a_code():
    assert code_normalise("") is None
    assert code_normalise("7KQ2-M9XD") is None
    assert code_normalise("7KQ2-M9XD-3FHU") is None  # U is not in the alphabet
    assert code_normalise("x" * 500) is None
    assert code_normalise("7KQ2/M9XD/3FHT") is None


def test_codes_are_random_not_sequential():
    codes = [code_generate() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    # Every symbol appears in every position (a counter would leave the first ones fixed).
    for position in (0, 5, 11):
        assert len({c[position] for c in codes}) == len(ALPHABET)
    # Two codes drawn one after the other share no more symbols than chance allows.
    same = sum(a[i] == b[i] for a, b in zip(codes, codes[1:], strict=False) for i in range(12))
    assert same / (12 * (len(codes) - 1)) < 0.06  # chance is 1/32 ≈ 0.031
