"""Every URL pattern of the project, filled with hostile values, never answers 500.

The walk reads the live resolver, so a pattern added later is walked too. Each converter (or
regex group) gets an oversized id (2^63 and 40 digits), a 300-character name or an odd string,
and each URL is requested anonymously and as a learner, with GET and POST.
"""

import re
import uuid
from itertools import product

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from lms.converters import IdConverter

pytestmark = pytest.mark.django_db

LONG = "x" * 300
# One value per kind of parameter in each variant: every parameter of a URL takes the same variant.
VARIANTS = {
    "2^63": {"int": str(2**63), "str": LONG, "path": f"images/{LONG}.png", "any": LONG},
    "40 digits": {"int": "9" * 40, "str": "9" * 40, "path": "9" * 40, "any": "9" * 40},
    "odd": {
        "int": "0",
        "str": "%E2%80%AE%00..",
        "path": "documents/..%2F..%2Fetc%2Fpasswd",
        "any": "%E2%80%AE%00..",
    },
}
ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _route_value(converter, variant: dict) -> str:
    if isinstance(converter, (IntConverter, IdConverter)):
        return variant["int"]
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=2**128 - 1))
    if isinstance(converter, PathConverter):
        return variant["path"]
    return variant["str"]


def _regex_fill(regex: str, variant: dict) -> str:
    """Replace each top-level group of a regex by a value; keep the literal text between."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, depth, group = [], 0, []
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\" and i + 1 < len(regex):
            (group if depth else out).append(regex[i : i + 2])
            i += 2
            continue
        if ch == "(":
            depth += 1
            if depth == 1:
                group = []
                i += 1
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                body = "".join(group)
                out.append(variant["int"] if r"\d" in body else variant["any"])
                i += 1
                continue
        (group if depth else out).append(ch)
        i += 1
    return re.sub(r"\\(.)", r"\1", "".join(out))


def _fill(pattern, variant: dict) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return ROUTE_PARAM.sub(
            lambda m: _route_value(pattern.converters[m.group("name")], variant), pattern._route
        )
    if isinstance(pattern, RegexPattern):
        return _regex_fill(pattern._regex, variant)
    raise AssertionError(f"unknown pattern type {pattern!r}")


def _walk(patterns, prefixes=("",)):
    for entry in patterns:
        filled = [p + _fill(entry.pattern, v) for p in prefixes for v in VARIANTS.values()]
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, tuple(dict.fromkeys(filled)))
        else:
            yield from filled


def project_urls() -> list[str]:
    return sorted({"/" + url.lstrip("/") for url in _walk(get_resolver().url_patterns)})


def test_the_walk_covers_the_project_and_fills_oversized_ids():
    urls = project_urls()
    assert len(urls) > 300
    assert f"/fr/learning/modules/{2**63}/enrol/" in urls
    assert f"/fr/learning/lessons/{'9' * 40}/done/" in urls
    assert f"/media/images/{LONG}.png" in urls
    assert "/documents/" + str(2**63) + "/" + LONG in urls


def test_no_url_pattern_answers_500_to_hostile_values(site_tree, learner, settings, tmp_path):
    # Real media folders, so that an overlong name reaches the file system (ENAMETOOLONG).
    settings.MEDIA_ROOT = tmp_path
    for folder in ("images", "documents", "original_images"):
        (tmp_path / folder).mkdir()
    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(learner)
    failures = []
    for url, (who, client), method in product(
        project_urls(), (("anonymous", anonymous), ("learner", logged_in)), ("get", "post")
    ):
        response = getattr(client, method)(url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url[:120]} as {who}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url",
    [
        f"/fr/learning/modules/{2**63}/enrol/",
        f"/fr/learning/modules/{2**63}/withdraw/",
        f"/fr/learning/lessons/{2**63}/done/",
        f"/fr/learning/lessons/{2**63}/visit/",
        f"/fr/learning/pages/1/quizzes/{2**63}/",
        f"/fr/learning/attempts/{'9' * 19}/",
        f"/fr/certificates/manage/bulk/{2**63}/",
        f"/fr/certificates/manage/bulk/{2**63}/certificates.zip",
    ],
)
def test_ids_too_large_for_the_database_do_not_reach_the_apps_views(url):
    from django.urls import Resolver404, resolve

    # Only Wagtail's page catch-all may still match (and answers 404): no app view gets the id.
    try:
        assert resolve(url).namespace not in {"courses", "certificates"}
    except Resolver404:
        pass


def test_the_id_converter_keeps_every_real_id():
    from django.urls import resolve, reverse

    assert resolve(f"/fr/learning/lessons/{10**18 - 1}/done/").kwargs == {"page_id": 10**18 - 1}
    assert reverse("courses:enrol", kwargs={"page_id": 42}) == "/fr/learning/modules/42/enrol/"
