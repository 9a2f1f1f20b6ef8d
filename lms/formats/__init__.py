"""Number formats for plain text, where a template's ``percent`` filter cannot go (labels built in
Python, e-mails). Per-language date and number settings live in ``lms/formats/<lang>/formats.py``
(``FORMAT_MODULE_PATH``)."""

from django.template.defaultfilters import floatformat

NARROW_NBSP = "\u202f"
# Unicode's left-to-right isolate and its closing mark: the plain-text twin of <bdi dir="ltr">.
LRI, PDI = "\u2066", "\u2069"


def percent_text(value, decimals: str = "-1") -> str:
    """``66.666`` → ``"⁦66,7 %⁩"`` in French and Arabic: the active language's number format,
    a narrow no-break space, and isolates so that the figure keeps its order inside Arabic."""
    if value is None or value == "":
        return ""
    return f"{LRI}{floatformat(value, decimals)}{NARROW_NBSP}%{PDI}"
