"""Ways into a cohort-only module that other apps offer, without courses importing them.

A cohort-only module cannot be joined alone. An app that can let someone in (cohorts: its open
cohorts' "request a place") registers a provider; the module and lesson pages show the options
instead of "ask your trainer" (``templates/courses/includes/join_group.html``, through the
``{% join_options %}`` tag of ``courses_join``).

``provider(*, course, user) -> list[JoinOption]``: ``course`` is the source-locale module,
``user`` may be anonymous; a constant number of queries per call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JoinOption:
    """One way to join: ``label`` (a cohort's name), ``url`` (its page or form, which the
    provider's app serves), ``detail`` (dates, places left, or "you are number 3 on the
    waiting list")."""

    label: str
    url: str
    detail: str = ""


JoinProvider = Callable[..., list[JoinOption]]
_join_providers: list[JoinProvider] = []


def register_join_provider(provider: JoinProvider) -> JoinProvider:
    """Add a source of join options; usable as a decorator."""
    if provider not in _join_providers:
        _join_providers.append(provider)
    return provider


def unregister_join_provider(provider: JoinProvider) -> None:
    if provider in _join_providers:
        _join_providers.remove(provider)


def join_options_for(*, course, user) -> list[JoinOption]:
    """Every registered option for this module (source page) and person, in order."""
    options: list[JoinOption] = []
    for provider in list(_join_providers):
        options.extend(provider(course=course, user=user))
    return options
