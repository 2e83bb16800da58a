from django.urls import path

from .views import reference

urlpatterns = [path("bench-reference/", reference, name="bench_reference")]
