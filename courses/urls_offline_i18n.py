"""``/<lang>/offline/``: the offline page, in each language (mounted inside ``i18n_patterns``
by ``lms/urls.py``)."""

from django.urls import path

from . import views_offline

urlpatterns = [
    path("offline/", views_offline.offline_page, name="offline_page"),
]
