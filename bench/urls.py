"""The app's own URLs, plus the bare view the benchmark measures pages against."""

from django.urls import include, path

from bench.views import ok

urlpatterns = [
    path("bench/ok/", ok, name="bench_ok"),
    path("", include("config.urls")),
]
