from importlib.util import find_spec

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import views

# The Django admin login goes through allauth, which rate-limits it and asks for the 2nd factor.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Wagtail's own login form would bypass allauth's rate limits and second factor.
    path("cms/login/", views.admin_login_redirect),
    # Nor may its password reset, which mails anyone without limit: allauth's form instead.
    re_path(r"^cms/password_reset/(?P<rest>.*)$", views.admin_password_reset_redirect),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("certificates.public_urls")),
]

# The offline app: the service worker and the web app manifests (``lms.urls_pwa``, outside the
# language prefix: one worker for the whole site) and the offline API (``courses.urls_offline``:
# module manifests, sync). Mounted as soon as their modules exist.
for _area in ("lms.urls_pwa", "courses.urls_offline"):
    if find_spec(_area) is not None:
        urlpatterns.append(path("", include(_area)))

if settings.SERVE_MEDIA:
    # Media on local disk (the embedded default); production may use object storage instead.
    # Certificate PDFs are never public: they go through the access-checked download view.
    urlpatterns += [
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_serve),
    ]

urlpatterns += i18n_patterns(
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/confirm-email/resend/", views.verification_resend,
         name="account_verification_resend"),
    path("accounts/", include("allauth.urls")),
    path("privacy/", views.privacy, name="privacy"),
    path("learning/", include("courses.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("courses.urls_offline_i18n")),  # /<lang>/offline/: the offline page
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
