from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/sua/", views.inspection_edit, name="edit"),
    path("<int:pk>/dot/moi/", views.visit_create, name="visit_create"),
    path("dot/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("dot/<int:pk>/sua/", views.visit_edit, name="visit_edit"),
    path("dot/<int:pk>/bien-ban/", views.visit_minutes, name="visit_minutes"),
    path("dot/<int:pk>/kien-nghi/moi/", views.recommendation_create, name="recommendation_create"),
    path("kien-nghi/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("kien-nghi/<int:pk>/khac-phuc/", views.recommendation_respond, name="recommendation_respond"),
    path("kien-nghi/<int:pk>/dong/", views.recommendation_close, name="recommendation_close"),
    path("kien-nghi/<int:pk>/mo-lai/", views.recommendation_reopen, name="recommendation_reopen"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
]
