"""Home page weight on a slow link and its query count, anonymous and logged in."""

import gzip
import re

from bench import figure

STATIC_REF = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+\.(?:css|js))"')


def page_weight_kb(client, url: str) -> float:
    """Gzip bytes of the HTML plus every CSS and JS it references (no images), in KB."""
    from django.contrib.staticfiles import finders

    response = client.get(url)
    html = response.content
    total = len(gzip.compress(html, 6))
    for ref in set(STATIC_REF.findall(html.decode())):
        path = finders.find(ref.removeprefix("/static/"))
        if path:
            with open(path, "rb") as fh:
                total += len(gzip.compress(fh.read(), 6))
    return total / 1024


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (site root, locales) as in a running server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def run() -> None:
    from django.test import Client

    from lms.demo import demo_accounts_ensure, demo_site_ensure

    demo_site_ensure()
    users = demo_accounts_ensure()
    anonymous = Client()
    figure("home_page_weight_kb", page_weight_kb(anonymous, "/fr/"), "≤ 25")
    logged_in = Client()
    logged_in.force_login(users[0])
    anon_q = count_queries(anonymous, "/fr/")
    user_q = count_queries(logged_in, "/fr/")
    figure("home_page_queries", f"{anon_q} anonymous, {user_q} logged in", "≤ 8")
