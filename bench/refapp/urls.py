from django.urls import include, path

from .views import reference

urlpatterns = [
    # Behind the product's whole middleware stack, login required like every product page.
    path("bench-reference/", reference, name="bench_reference"),
    path("", include("plantrack.urls")),
]
