import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

@pytest.mark.django_db
def test_probe(site_tree, learner_client):
    learner_client.get("/fr/")
    for url in ["/fr/", "/ar/"]:
        with CaptureQueriesContext(connection) as ctx:
            r = learner_client.get(url)
        print(url, r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("   ", q["sql"][:200])
