"""The trainer workspace and the learner's side of open cohorts and invitations."""

from django.urls import path

from lms import converters  # noqa: F401  (registers <id:…>)

from . import views_workspace as views

urlpatterns = [
    path("", views.my_cohorts, name="my_cohorts"),
    path("new/", views.workspace_create, name="workspace_create"),
    path("<id:pk>/", views.workspace_detail, name="workspace_detail"),
    path("<id:pk>/edit/", views.workspace_edit, name="workspace_edit"),
    path("<id:pk>/members/", views.workspace_members, name="workspace_members"),
    path("<id:pk>/members/add/", views.workspace_member_add, name="workspace_member_add"),
    path("<id:pk>/members/<id:membership_pk>/withdraw/", views.workspace_member_withdraw,
         name="workspace_member_withdraw"),
    path("<id:pk>/members/invite/", views.workspace_invite, name="workspace_invite"),
    path("<id:pk>/progress/", views.workspace_progress, name="workspace_progress"),
    path("<id:pk>/progress.csv", views.workspace_progress_export, {"fmt": "csv"},
         name="workspace_progress_csv"),
    path("<id:pk>/progress.xlsx", views.workspace_progress_export, {"fmt": "xlsx"},
         name="workspace_progress_xlsx"),
    path("open/<id:pk>/", views.open_cohort, name="open_cohort"),
    path("open/<id:pk>/request/", views.open_cohort_request, name="open_cohort_request"),
    path("open/<id:pk>/cancel/", views.open_cohort_cancel, name="open_cohort_cancel"),
    path("join/<slug:token>/", views.join, name="join"),
]
