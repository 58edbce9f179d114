"""The bare "ok" view exists only when the benchmark serves the app."""

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, resolve


def test_production_urls_have_no_bare_view():
    with pytest.raises(Resolver404):
        resolve("/bench/ok/", urlconf="config.urls")


def test_the_benchmark_urls_serve_it_beside_the_app():
    assert resolve("/bench/ok/", urlconf="bench.urls").url_name == "bench_ok"
    assert resolve("/journal/", urlconf="bench.urls").view_name == "journal:timeline"


@pytest.mark.django_db
def test_the_bare_view_answers_ok_under_the_benchmark_urls():
    with override_settings(ROOT_URLCONF="bench.urls"):
        response = Client().get("/bench/ok/", secure=True)
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_bench_app_is_installed_only_by_the_bench_settings():
    from django.conf import settings

    import bench.settings

    assert "bench" not in settings.INSTALLED_APPS
    assert "bench" in bench.settings.INSTALLED_APPS
    assert bench.settings.ROOT_URLCONF == "bench.urls"
