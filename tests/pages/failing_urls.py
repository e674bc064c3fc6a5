"""The site's addresses plus one that fails, to see the 500 page (ROOT_URLCONF in a test)."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", fail), *site]
