"""Placeholders in certificate templates, and the small HTML subset their bodies may use.

Editors write ``{learner_name}``-style placeholders in a template's title and body. Everything is
checked when the template is saved (unknown placeholder, stray brace, unknown tag, unclosed tag),
so a template that saves always renders; values are HTML-escaped when substituted.
"""

import re
from collections.abc import Mapping
from html import escape
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "learner_name": _("the holder's full name"),
    "course_title": _("the module's title"),
    "completion_date": _("the date the module was completed"),
    "hours": _("the module's hours"),
    "grade": _("the final assessment score, in %"),
    "country": _("the holder's country"),
    "organisation": _("the holder's organisation"),
    "competencies": _("the competencies the module certifies"),
    # Filled when the certificate is printed from a cohort's template (its members' module
    # certificates and its attestations of participation); empty otherwise.
    "cohort": _("the cohort's name (cohort templates)"),
    "trainer": _("the cohort's trainers (cohort templates)"),
    "sessions_attended": _("sessions attended, e.g. 5 / 8 (cohort templates)"),
}

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "small", "span", "ul", "ol", "li"}
VOID_TAGS = {"br"}
ALLOWED_ATTRIBUTES = {"class"}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_BRACE = re.compile(r"[{}]")


def placeholder_help() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def placeholders_check(text: str) -> list[str]:
    """Error messages for the placeholders of ``text`` (empty when all are known)."""
    errors: list[str] = []
    unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    for name in unknown:
        errors.append(
            _("Unknown placeholder {%(name)s}. Use one of: %(known)s.")
            % {"name": name, "known": placeholder_help()}
        )
    if _BRACE.search(_PLACEHOLDER.sub("", text)):
        errors.append(_("A curly brace is not closed: write placeholders as {learner_name}."))
    return errors


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.errors.append(
                _("The tag <%(tag)s> is not allowed. Allowed tags: %(allowed)s.")
                % {"tag": tag, "allowed": ", ".join(sorted(ALLOWED_TAGS))}
            )
            return
        for name, _value in attrs:
            if name not in ALLOWED_ATTRIBUTES:
                self.errors.append(
                    _("The attribute %(attr)s is not allowed on <%(tag)s>.")
                    % {"attr": name, "tag": tag}
                )
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_TAGS:
            self.errors.append(_("<%(tag)s/> cannot be self-closing.") % {"tag": tag})

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(
                _("The closing tag </%(tag)s> does not match an opening tag.") % {"tag": tag}
            )
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_comment(self, data):
        self.errors.append(_("HTML comments are not allowed."))

    def handle_decl(self, decl):
        self.errors.append(_("Declarations are not allowed."))


def html_check(text: str) -> list[str]:
    """Error messages for broken or disallowed HTML in a template body."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors = list(dict.fromkeys(str(e) for e in checker.errors))
    if checker.stack:
        errors.append(
            str(_("Unclosed tag(s): %(tags)s.")
                % {"tags": ", ".join(f"<{t}>" for t in checker.stack)})
        )
    if "<" in checker.rawdata:  # an unterminated "<p" stays in the parser's buffer
        errors.append(str(_("The HTML ends in the middle of a tag.")))
    return errors


def validate_template_text(value: str, *, html: bool) -> None:
    """Raise one ValidationError listing every problem of a title (plain) or body (HTML)."""
    errors = [str(e) for e in placeholders_check(value or "")]
    if html:
        errors += html_check(value or "")
    elif "<" in (value or "") or ">" in (value or ""):
        errors.append(str(_("A title is plain text: remove the < and > characters.")))
    if errors:
        raise ValidationError(errors)


def placeholders_fill(
    text: str, values: Mapping[str, str], *, wrap: Mapping[str, str] | None = None
) -> str:
    """Substitute escaped values; ``wrap`` gives ready, safe HTML for some names (dir spans).

    Unknown names raise KeyError: a template that bypassed validation never renders half-filled.
    """
    wrap = wrap or {}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise KeyError(name)
        if name in wrap:
            return wrap[name]
        return escape(str(values.get(name, "") or ""))

    return _PLACEHOLDER.sub(replace, text)
