from django.urls import path

from . import views

app_name = "plan_import"
urlpatterns = [
    path("", views.plan_import_upload, name="import_upload"),
    path("<int:pk>/", views.plan_import_review, name="import_review"),
]
