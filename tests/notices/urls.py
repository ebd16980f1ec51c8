from django.urls import path

from tests.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.NoticeDetail.as_view(), name="detail"),
]
