"""Public verification URLs, outside the language prefix so that printed QR codes never change."""

from django.urls import path

from . import public_views as views

urlpatterns = [
    path("verify/", views.verify_form, name="certificate_verify_form"),
    path("verify/<str:code>/", views.verify_detail, name="certificate_verify"),
    path("verify/<str:code>/credential.json", views.credential_json,
         name="certificate_credential_json"),
    path("verify/<str:code>/credential.jwt", views.credential_jwt,
         name="certificate_credential_jwt"),
    path(".well-known/jwks.json", views.jwks, name="certificate_jwks"),
    path(".well-known/jwks/<str:thumbprint>.json", views.jwk, name="certificate_jwk"),
    path("credentials/status/1", views.status_list, name="certificate_status_list"),
    path("credentials/status/1.jwt", views.status_list, {"signed": True},
         name="certificate_status_list_jwt"),
    path("issuer", views.issuer, name="certificate_issuer"),
    path("achievements/<uuid:key>", views.achievement, name="certificate_achievement"),
]
