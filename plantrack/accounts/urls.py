from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("phien-dang-nhap/dang-xuat-noi-khac/", views.sessions_end_others, name="sessions_end_others"),
    path("phien-dang-nhap/gia-han/", views.session_keepalive, name="session_keepalive"),
    path("xac-thuc-hai-buoc/bat/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/nhap-ma/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/tat/", views.otp_disable, name="otp_disable"),
    # Forgotten password (before login; Django marks these views login_not_required).
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # User management (administrators).
    path("quan-ly/", views.user_list, name="user_list"),
    path("quan-ly/moi/", views.user_create, name="user_create"),
    path("quan-ly/nhap-excel/", views.users_import, name="users_import"),
    path("quan-ly/nhap-excel/xac-nhan/", views.users_import_confirm, name="users_import_confirm"),
    path("quan-ly/nhap-excel/mau.xlsx", views.users_import_template, name="users_import_template"),
    path("quan-ly/<int:pk>/", views.user_edit, name="user_edit"),
    path("quan-ly/<int:pk>/vai-tro-them/", views.user_membership_add, name="user_membership_add"),
    path(
        "quan-ly/<int:pk>/vai-tro-them/<int:membership_pk>/xoa/",
        views.user_membership_remove,
        name="user_membership_remove",
    ),
    path("quan-ly/<int:pk>/khoa/", views.user_deactivate, name="user_deactivate"),
    path("quan-ly/<int:pk>/mo-lai/", views.user_reactivate, name="user_reactivate"),
    path("quan-ly/<int:pk>/mo-khoa-dang-nhap/", views.user_unlock, name="user_unlock"),
    path("quan-ly/<int:pk>/dat-lai-mat-khau/", views.user_password_reset, name="user_password_reset"),
]
