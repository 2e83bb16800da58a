from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("plantrack.core.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ke-hoach/", include("plantrack.plans.urls")),
    path("co-quan/", include("plantrack.orgs.urls")),
    path("bao-cao/", include("plantrack.reporting.urls")),
    path("thong-bao/", include("plantrack.notifications.urls")),
    path("api/v1/", include("plantrack.api.urls")),
    path("quan-tri/", admin.site.urls),
]

