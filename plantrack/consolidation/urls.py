from django.urls import path

from . import views

app_name = "consolidation"
urlpatterns = [
    path("", views.consolidated_list, name="list"),
    path("nhieu-nam/", views.multiyear_report, name="multiyear"),
    path("ky/<int:cycle_pk>/", views.consolidated_detail, name="detail"),
    path("ky/<int:cycle_pk>/soan/", views.consolidated_edit, name="edit"),
    path("ky/<int:cycle_pk>/tao/", views.build_start, name="build_start"),
    path("lan-tao/<int:pk>/", views.build_run_detail, name="run_detail"),
    path("lan-tao/<int:pk>/trang-thai/", views.build_run_status, name="run_status"),
    path("lan-tao/<int:pk>/<str:kind>/", views.build_run_download, name="run_download"),
]
