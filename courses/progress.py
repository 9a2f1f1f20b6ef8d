"""How far a learner is in a module: the one definition, used by completion and by every page.

A module is complete when every requirement is met: its required (live, non-optional) lessons
are done, its final assessment (if any) is passed with the best score, and whatever other apps
register holds (cohorts: "attended 6 of 8 sessions, 80 % required"). The completion engine
(``courses.completion``), the module page, the lesson pages and "My learning" all read the same
list, so a progress bar never says 100 % while something is still missing.

What a completed module leads to (a certificate) is an *outcome*, registered by the app that
produces it, so that courses shows "your certificate" without importing that app.

Lists are built from ``Enrolment.objects.with_progress()`` annotations and from providers that
answer for a whole list at once, so a page costs the same number of queries for 1 or 50
enrolments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from lms.templatetags.passerelle import percent

if TYPE_CHECKING:
    from .models import Enrolment

LESSONS = "lessons"
FINAL_ASSESSMENT = "final_assessment"


@dataclass(frozen=True)
class Requirement:
    """One condition of completion, as the learner sees it.

    ``done`` of ``needed`` units (lessons, sessions; 0 or 1 for a test); ``met`` decides.
    ``url`` leads to what is missing; ``hint`` is the call to action (the link text when there
    is a ``url``), for example "take it".
    """

    key: str
    label: str
    done: int
    needed: int
    met: bool
    url: str | None = None
    hint: str = ""


@dataclass(frozen=True)
class Progress:
    """The requirements of one enrolment, their percentage and the next thing to do."""

    requirements: tuple[Requirement, ...]
    percent: int
    complete: bool
    next_step: Requirement | None

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(requirement for requirement in self.requirements if not requirement.met)

    @property
    def lessons(self) -> Requirement | None:
        return next((r for r in self.requirements if r.key == LESSONS), None)


@dataclass(frozen=True)
class Outcome:
    """What a completed module led to, shown by courses: a certificate, a badge…

    ``state`` is "ready" (``url`` leads to it), "pending" (being prepared) or "revoked".
    """

    label: str
    url: str | None
    state: str  # "ready" | "pending" | "revoked"

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"

    @property
    def is_revoked(self) -> bool:
        return self.state == "revoked"


RequirementProvider = Callable[..., Mapping[int, "Requirement | None"]]
OutcomeProvider = Callable[..., Mapping[int, Outcome]]

_requirement_providers: list[RequirementProvider] = []
_outcome_providers: list[OutcomeProvider] = []


def register_requirement(provider: RequirementProvider) -> RequirementProvider:
    """Add a requirement every completion needs; usable as a decorator.

    ``provider(*, enrolments: Sequence[Enrolment]) -> dict[enrolment id, Requirement | None]``
    answers for a whole list in a constant number of queries; ``None`` (or no entry) means the
    requirement does not apply to that enrolment.
    """
    if provider not in _requirement_providers:
        _requirement_providers.append(provider)
    return provider


def unregister_requirement(provider: RequirementProvider) -> None:
    if provider in _requirement_providers:
        _requirement_providers.remove(provider)


def register_outcome_provider(provider: OutcomeProvider) -> OutcomeProvider:
    """Add a source of outcomes; usable as a decorator.

    ``provider(*, user, enrolments: Sequence[Enrolment]) -> dict[enrolment id, Outcome]``, one
    query per call whatever the number of enrolments.
    """
    if provider not in _outcome_providers:
        _outcome_providers.append(provider)
    return provider


def unregister_outcome_provider(provider: OutcomeProvider) -> None:
    if provider in _outcome_providers:
        _outcome_providers.remove(provider)


def outcomes_for(*, user, enrolments: Sequence[Enrolment]) -> dict[int, list[Outcome]]:
    """Every registered outcome of each enrolment: {enrolment id: [Outcome, …]}."""
    result: dict[int, list[Outcome]] = {enrolment.pk: [] for enrolment in enrolments}
    if not enrolments or not getattr(user, "is_authenticated", False):
        return result
    for provider in list(_outcome_providers):
        for enrolment_id, outcome in provider(user=user, enrolments=enrolments).items():
            if outcome is not None and enrolment_id in result:
                result[enrolment_id].append(outcome)
    return result


# --- Requirements -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressLinks:
    """Where the missing things are, in the reader's language.

    ``lesson_urls`` maps a lesson's translation key to its URL; ``final_urls`` maps an enrolment
    id to the URL of its module's final assessment.
    """

    lesson_urls: Mapping[str, str]
    final_urls: Mapping[int, str]


NO_LINKS = ProgressLinks(lesson_urls={}, final_urls={})


def _with_percents(template: str, **values) -> str:
    """A translated sentence with percentages formatted for the language and isolated left to
    right (``lms`` template filter), safe to show as HTML."""
    return mark_safe(escape(template) % {name: percent(value) for name, value in values.items()})


def lessons_requirement(*, enrolment: Enrolment, links: ProgressLinks) -> Requirement | None:
    """Required lessons, from ``with_progress()`` annotations; None if the module has none."""
    needed = enrolment.progress_required
    if not needed:
        return None
    done = min(enrolment.progress_done, needed)
    met = done >= needed
    key = enrolment.progress_first_required_undone_key
    url = None if met or key is None else links.lesson_urls.get(str(key))
    return Requirement(
        key=LESSONS,
        label=ngettext(
            "%(done)s of %(needed)s lesson done", "%(done)s of %(needed)s lessons done", needed
        ) % {"done": done, "needed": needed},
        done=done, needed=needed, met=met, url=url,
        hint="" if met else gettext("continue with the next lesson"),
    )


def final_requirement(*, enrolment: Enrolment, links: ProgressLinks) -> Requirement | None:
    """The final assessment: met when the best score reaches its pass mark."""
    if enrolment.progress_final_quiz_id is None:
        return None
    best, mark = enrolment.progress_final_best, enrolment.progress_final_pass_mark
    met = best is not None and best >= mark
    if met:
        label = _with_percents(
            gettext("Final assessment passed (best score %(score)s)"), score=best
        )
    elif best is None:
        label = _with_percents(
            gettext("Final assessment not taken yet (pass mark %(mark)s)"), mark=mark
        )
    else:
        label = _with_percents(
            gettext("Final assessment not passed yet: best score %(score)s, %(mark)s needed"),
            score=best, mark=mark,
        )
    return Requirement(
        key=FINAL_ASSESSMENT, label=label, done=int(met), needed=1, met=met,
        url=None if met else links.final_urls.get(enrolment.pk),
        hint="" if met else gettext("take it"),
    )


def requirements_for_many(
    *, enrolments: Sequence[Enrolment], links: ProgressLinks = NO_LINKS
) -> dict[int, list[Requirement]]:
    """The requirements of each enrolment (annotated by ``with_progress()``), providers
    included: {enrolment id: [Requirement, …]}. One query per registered provider."""
    result: dict[int, list[Requirement]] = {}
    for enrolment in enrolments:
        own = (lessons_requirement(enrolment=enrolment, links=links),
               final_requirement(enrolment=enrolment, links=links))
        result[enrolment.pk] = [requirement for requirement in own if requirement is not None]
    if enrolments:
        for provider in list(_requirement_providers):
            for enrolment_id, requirement in provider(enrolments=enrolments).items():
                if requirement is not None and enrolment_id in result:
                    result[enrolment_id].append(requirement)
    return result


def requirements_for(enrolment: Enrolment, *, links: ProgressLinks = NO_LINKS) -> list[Requirement]:
    """The requirements of one enrolment (re-read with ``with_progress()`` if not annotated)."""
    if not hasattr(enrolment, "progress_required"):
        from .models import Enrolment

        enrolment = Enrolment.objects.with_progress().select_related("course").get(pk=enrolment.pk)
    return requirements_for_many(enrolments=[enrolment], links=links)[enrolment.pk]


def progress_of(requirements: Sequence[Requirement]) -> Progress:
    """Percent of the units done, never 100 while a requirement is unmet."""
    requirements = tuple(requirements)
    needed = sum(max(requirement.needed, 0) for requirement in requirements)
    done = sum(min(max(r.done, 0), max(r.needed, 0)) for r in requirements)
    complete = all(requirement.met for requirement in requirements)
    if complete:
        percent = 100
    else:
        percent = min(99, int(done * 100 / needed)) if needed else 0
    missing = [requirement for requirement in requirements if not requirement.met]
    next_step = next((r for r in missing if r.url), missing[0] if missing else None)
    return Progress(
        requirements=requirements, percent=percent, complete=complete, next_step=next_step
    )
