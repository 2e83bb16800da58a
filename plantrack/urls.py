from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("plantrack.core.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch must work before login (it is on the login page).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("ke-hoach/", include("plantrack.plans.urls")),
    path("nhap-ke-hoach/", include("plantrack.plans.importing.urls")),
    path("co-quan/", include("plantrack.orgs.urls")),
    path("bao-cao/", include("plantrack.reporting.urls")),
    path("chi-tieu/", include("plantrack.indicators.urls")),
    path("bao-cao-tong-hop/", include("plantrack.consolidation.urls")),
    path("thong-bao/", include("plantrack.notifications.urls")),
    path("theo-doi/", include("plantrack.monitoring.urls")),
    path("api/v1/", include("plantrack.api.urls")),
    path("tai-khoan/", include("plantrack.accounts.urls")),
    path("nhat-ky-bao-mat/", include("plantrack.security.urls")),
    path("quan-tri/", admin.site.urls),
]
