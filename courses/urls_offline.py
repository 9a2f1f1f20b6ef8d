"""``/offline/…``: the offline app's API, outside the language prefix (one service worker for
the whole site); see ``courses.offline``. Mounted by ``lms/urls.py`` as soon as it exists."""

from django.urls import path

import lms.converters  # noqa: F401  (registers <id:…>)

from . import views_offline

urlpatterns = [
    path("offline/modules/<id:page_id>.json", views_offline.module_manifest,
         name="offline_module_manifest"),
    path("offline/csrf/", views_offline.csrf, name="offline_csrf"),
    path("offline/sync/", views_offline.sync, name="offline_sync"),
]
