from django.urls import path

import lms.converters  # noqa: F401  (registers <id:…>, ids that fit the database)

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("modules/", views.catalogue, name="catalogue"),
    path("modules/<id:page_id>/enrol/", views.enrol, name="enrol"),
    path("modules/<id:page_id>/withdraw/", views.withdraw, name="withdraw"),
    path("lessons/<id:page_id>/done/", views.lesson_complete, name="lesson_complete"),
    path("lessons/<id:page_id>/visit/", views.lesson_visit, name="lesson_visit"),
    path("pages/<id:page_id>/quizzes/<id:quiz_id>/", views.quiz, name="quiz"),
    path("attempts/<id:pk>/", views.attempt, name="attempt"),
]
