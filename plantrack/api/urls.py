"""/api/v1/: the router, token sign-in, the OpenAPI schema and its interactive docs (served locally)."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from plantrack.accounts.api import TokenObtainView
from plantrack.indicators.api import FigureViewSet, IndicatorViewSet
from plantrack.plans.api import PlanViewSet
from plantrack.reporting.api import CycleViewSet, EvidenceViewSet, PlanTaskTimelinessView, ReportViewSet


class Router(DefaultRouter):
    """Object ids in API paths are numbers: ``/reports/abc/`` matches no route and answers a JSON 404 (see
    plantrack.api.errors) instead of reaching a view with an id the database cannot compare."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(
            viewset, "lookup_field", "pk"
        )
        # At most 18 digits: every id fits a 64-bit column, so the database never sees a number it cannot compare.
        lookup_value = getattr(viewset, "lookup_value_regex", r"\d{1,18}")
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"


router = Router()
router.register("plans", PlanViewSet, basename="plan")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("figures", FigureViewSet, basename="figure")
router.register("cycles", CycleViewSet, basename="cycle")
router.register("reports", ReportViewSet, basename="report")
router.register("evidence", EvidenceViewSet, basename="evidence")

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    # The schema answers signed-in callers only (session or token); the docs page (Swagger UI split view: no inline script, so the CSP holds) sends a visitor to the login.
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path(
        "plans/<int:pk>/task-timeliness/",
        PlanTaskTimelinessView.as_view(),
        name="plan-task-timeliness",
    ),
    *router.urls,
]

# The API answers for itself (401/403 as JSON) instead of LoginRequiredMiddleware's redirect to the login page:
# token clients have no session. Every router view still enforces IsAuthenticated (settings.REST_FRAMEWORK); the
# token endpoint is open by nature. The schema and docs pages stay behind the login like every other page.
for pattern in [urlpatterns[0], urlpatterns[3], *router.urls]:
    login_not_required(pattern.callback)
