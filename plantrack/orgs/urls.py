from django.urls import path

from . import change_views, views

# The agency page (name "detail") is added by the project URLconf: its view lives in plantrack.home.
app_name = "orgs"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("thay-doi/", change_views.orgchange_list, name="change_list"),
    path("thay-doi/moi/", change_views.orgchange_create, name="change_create"),
    path("thay-doi/<int:pk>/", change_views.orgchange_detail, name="change_detail"),
    path("thay-doi/<int:pk>/hoan-tac/", change_views.orgchange_undo_view, name="change_undo"),
]
