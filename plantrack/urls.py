from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from plantrack.accounts.forms import LoginForm
from plantrack.core.health import healthz
from plantrack.home import views as home_views
from plantrack.orgs import urls as orgs_urls

# The agency page shows what the agency owes across plans (orgs and plans), so its view lives in home; it keeps
# its place and name in the orgs namespace ("orgs:detail").
orgs_patterns = [path("<int:pk>/", home_views.agency_detail, name="detail"), *orgs_urls.urlpatterns]

urlpatterns = [
    path("", include("plantrack.home.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch must work before login (it is on the login page).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # For load balancers and monitoring: no login, only ok/fail per check (docs/deploy.md).
    path("healthz", healthz, name="healthz"),
    path("ke-hoach/", include("plantrack.plans.urls")),
    path("nhap-ke-hoach/", include("plantrack.plans.importing.urls")),
    path("co-quan/", include((orgs_patterns, orgs_urls.app_name))),
    path("bao-cao/", include("plantrack.reporting.urls")),
    path("chi-tieu/", include("plantrack.indicators.urls")),
    path("bao-cao-tong-hop/", include("plantrack.consolidation.urls")),
    path("thong-bao/", include("plantrack.notifications.urls")),
    path("theo-doi/", include("plantrack.monitoring.urls")),
    path("kiem-tra/", include("plantrack.inspection.urls")),
    path("api/v1/", include("plantrack.api.urls")),
    path("tai-khoan/", include("plantrack.accounts.urls")),
    path("nhat-ky-bao-mat/", include("plantrack.security.urls")),
    path("quan-tri/", admin.site.urls),
]

# JSON under /api/, the usual error pages elsewhere.
handler404 = "plantrack.api.errors.not_found"
handler500 = "plantrack.api.errors.server_error"
