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
]
