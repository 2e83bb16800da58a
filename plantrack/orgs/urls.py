from django.urls import path

from . import change_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("thay-doi/", change_views.orgchange_list, name="change_list"),
    path("thay-doi/moi/", change_views.orgchange_create, name="change_create"),
    path("thay-doi/<int:pk>/", change_views.orgchange_detail, name="change_detail"),
    path("thay-doi/<int:pk>/hoan-tac/", change_views.orgchange_undo_view, name="change_undo"),
]
