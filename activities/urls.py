from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("preferenze/", views.preferences, name="preferences"),
]
