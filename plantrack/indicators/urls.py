from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_pk>/", views.scorecard, name="scorecard"),
    path("<int:pk>/", views.target_detail, name="target"),
    path("<int:pk>/bieu-do.svg", views.target_chart_svg, name="chart_svg"),
    path("<int:pk>/bieu-do.png", views.target_chart_png, name="chart_png"),
    path("cach-do/<int:pk>/", views.definition_edit, name="definition_edit"),
    path("nhap-so-lieu/", views.figure_entry, name="figure_entry"),
    path("ke-hoach/<int:plan_pk>/thiet-lap-do-luong/", views.measurement_setup, name="setup"),
    path("<int:pk>/thiet-lap-do-luong/", views.measurement_edit, name="measure"),
]
