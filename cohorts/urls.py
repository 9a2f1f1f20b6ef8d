"""``/<lang>/cohorts/``: each area of the cohorts app mounts its own urlconf here; URL names
share the app namespace "cohorts", so each area prefixes its own.

The other areas' urlconfs are mounted as soon as their module exists, so that an area can land
its file without editing this one (an explicit line here is fine too).
"""

from importlib.util import find_spec

from django.urls import include, path

app_name = "cohorts"

urlpatterns = [
    path("", include("cohorts.urls_workspace")),
]

for _area in ("cohorts.urls_imports", "cohorts.urls_sessions", "cohorts.urls_evidence",
              "cohorts.urls_cascade"):
    if find_spec(_area) is not None:
        urlpatterns.append(path("", include(_area)))
