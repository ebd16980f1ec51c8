"""The site's URLs plus one page that holds a script nobody allowed (an injection stand-in)."""

from django.http import HttpResponse
from django.urls import path

from iomsite.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

INJECTED = "<!doctype html><title>x</title><p>Hello</p><script>window.injected = true</script>"


def injected(request):
    return HttpResponse(INJECTED)


urlpatterns = [path("injected/", injected), *urlpatterns]
