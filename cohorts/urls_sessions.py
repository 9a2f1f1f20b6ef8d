"""Sessions, the register, QR check-in, participant cards, "My sessions" and calendars."""

from django.urls import path

from lms import converters  # noqa: F401  (registers <id:…>)

from . import views_sessions as views

urlpatterns = [
    path("<id:pk>/sessions/", views.sessions_list, name="sessions_list"),
    path("<id:pk>/sessions/new/", views.sessions_edit, name="sessions_create"),
    path("<id:pk>/sessions/<id:session_pk>/edit/", views.sessions_edit, name="sessions_edit"),
    path("<id:pk>/sessions/<id:session_pk>/delete/", views.sessions_delete,
         name="sessions_delete"),
    path("<id:pk>/sessions/<id:session_pk>/register/", views.sessions_register,
         name="sessions_register"),
    path("<id:pk>/sessions/<id:session_pk>/qr/", views.sessions_qr, name="sessions_qr"),
    path("<id:pk>/sessions/<id:session_pk>/qr.json", views.sessions_qr_code,
         name="sessions_qr_code"),
    path("<id:pk>/sessions/<id:session_pk>/qr/print/", views.sessions_qr_print,
         name="sessions_qr_print"),
    path("sessions/<id:session_pk>/event.ics", views.sessions_event_ics,
         name="sessions_event_ics"),
    path("checkin/<id:session_pk>/<str:code>/", views.sessions_checkin, name="sessions_checkin"),
    path("checkin/<id:session_pk>/print/<str:token>/", views.sessions_checkin_print,
         name="sessions_checkin_print"),
    # Before card/<token>/: "offline" is no card's token (a token has a colon-separated signature).
    path("card/offline/", views.sessions_card_offline, name="sessions_card_offline"),
    path("card/<str:token>/", views.sessions_card_scan, name="sessions_card_scan"),
    path("my-sessions/", views.my_sessions, name="my_sessions"),
    path("my-sessions/card/", views.my_sessions_card, name="my_sessions_card"),
    path("my-sessions/calendar.ics", views.sessions_feed, name="sessions_feed"),
    path("my-sessions/feed/<str:token>/calendar.ics", views.sessions_feed_token,
         name="sessions_feed_token"),
]
