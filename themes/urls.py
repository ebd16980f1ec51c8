from django.urls import path, re_path

from themes import views

app_name = "themes"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.detail, name="detail"),
]
