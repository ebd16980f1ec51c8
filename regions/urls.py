from django.urls import path, re_path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.detail, name="detail"),
]
