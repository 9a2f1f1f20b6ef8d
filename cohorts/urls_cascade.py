"""The cascade: promotions awaiting a manager, and trainers' family trees."""

from django.urls import path

from lms import converters  # noqa: F401  (registers <id:…>)

from . import views_cascade as views

urlpatterns = [
    path("cascade/", views.cascade_pending, name="cascade_pending"),
    path("cascade/promote/<id:membership_pk>/", views.cascade_promote, name="cascade_promote"),
    path("cascade/tree/", views.cascade_tree, name="cascade_tree"),
    path("cascade/tree/<id:user_pk>/", views.cascade_tree_for, name="cascade_tree_for"),
]
