"""Verification codes: 12 random Crockford base32 symbols, shown as ``XXXX-XXXX-XXXX``.

60 bits from ``secrets``: never sequential, not guessable (a million certificates leave a random
guess a chance of one in a billion), and easy to read aloud or type: no I, L, O or U, and what a
person types is normalised (case, spaces, dashes, I/L → 1, O → 0).
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 12
GROUP = 4
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def code_generate() -> str:
    """A new random code in canonical form (12 symbols, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(raw: str) -> str | None:
    """The canonical form of what someone typed, or None when it cannot be a code."""
    if not raw or len(raw) > 64:
        return None
    cleaned = _SEPARATORS.sub("", raw).upper().translate(_CONFUSABLE)
    return cleaned if _VALID.match(cleaned) else None


def code_display(code: str) -> str:
    """``7KQ2M9XD3FHT`` → ``7KQ2-M9XD-3FHT``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
