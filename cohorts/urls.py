"""``/<lang>/cohorts/``: each area of the cohorts app mounts its own urlconf here (one line
each); URL names share the app namespace "cohorts", so each area prefixes its own."""

from django.urls import include, path

app_name = "cohorts"

urlpatterns = [
    path("", include("cohorts.urls_workspace")),
]
