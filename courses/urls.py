from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("modules/", views.catalogue, name="catalogue"),
    path("modules/<int:page_id>/enrol/", views.enrol, name="enrol"),
    path("modules/<int:page_id>/withdraw/", views.withdraw, name="withdraw"),
    path("lessons/<int:page_id>/done/", views.lesson_complete, name="lesson_complete"),
    path("pages/<int:page_id>/quizzes/<int:quiz_id>/", views.quiz, name="quiz"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
]
