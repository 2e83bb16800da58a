from django.urls import path

from . import amendment_views, views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/phan-cong/", views.plan_matrix, name="matrix"),
    path("<int:pk>/sua-doi/", amendment_views.amendment_list, name="amendment_list"),
    path("sua-doi/<int:pk>/", amendment_views.amendment_detail, name="amendment_detail"),
    path("sua-doi/<int:pk>/them/", amendment_views.amendment_change_add, name="amendment_change_add"),
    path(
        "sua-doi/<int:pk>/xoa/<int:change_pk>/",
        amendment_views.amendment_change_remove,
        name="amendment_change_remove",
    ),
    path("sua-doi/<int:pk>/ap-dung/", amendment_views.amendment_apply, name="amendment_apply"),
    path("sua-doi/<int:pk>/hoan-tac/", amendment_views.amendment_undo, name="amendment_undo"),
]
