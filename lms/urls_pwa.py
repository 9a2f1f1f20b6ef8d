"""The installable app's two files, outside the language prefix (mounted by ``lms.urls``)."""

from django.urls import path

from . import views_pwa

urlpatterns = [
    path("sw.js", views_pwa.service_worker, name="service_worker"),
    path("manifest/<str:lang>.webmanifest", views_pwa.web_manifest, name="web_manifest"),
]
