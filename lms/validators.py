"""Validators shared by the apps' forms and services."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible marks
# (LRM, RLM, ALM): in a name or a reason shown to others they only serve to reorder what is read
# (U+202E turns "fdp.exe" into "exe.pdf"). Our templates isolate text with <bdi> instead.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
MARKUP_CHARACTERS = "<>{}[]\\"


def no_bidi_controls(value: str) -> None:
    """Refuse text with invisible direction-control characters."""
    if any(ch in BIDI_CONTROLS for ch in value):
        raise ValidationError(
            _("Remove the invisible text-direction characters from this text."), code="bidi"
        )


def plain_name(value: str) -> str:
    """A name as typed, spaces normalised; refuses markup and invisible characters."""
    value = " ".join(unicodedata.normalize("NFC", value).split())
    no_bidi_controls(value)
    if any(ch in MARKUP_CHARACTERS for ch in value) or any(
        unicodedata.category(ch).startswith("C") for ch in value
    ):
        raise ValidationError(
            _("A name cannot contain the characters < > { } [ ] \\ or invisible characters."),
            code="invalid",
        )
    return value
