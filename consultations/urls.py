from django.urls import path, re_path

from consultations import feeds, views

app_name = "consultations"

SERIES = r"(?P<series>[-a-zA-Z0-9_]+)"
EVENT = SERIES + r"/(?P<year>[0-9]{4})/(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("feed/atom/", feeds.AtomEventFeed(), name="atom"),
    path("<slug:slug>/", views.SeriesDetailView.as_view(), name="series"),
    path("<slug:slug>/calendar.ics", views.series_calendar, name="series_ical"),
    path("<slug:slug>/feed/", feeds.EventFeed(), name="series_feed"),
    path("<slug:slug>/feed/atom/", feeds.AtomEventFeed(), name="series_atom"),
    re_path(rf"^{EVENT}/$", views.EventDetailView.as_view(), name="event"),
    re_path(rf"^{EVENT}\.ics$", views.event_calendar, name="event_ical"),
]

urlpatterns += [
    re_path(rf"^{EVENT}/register/$", views.register, name="register"),
    re_path(rf"^{EVENT}/register/check-your-inbox/$", views.check_inbox, name="check_inbox"),
    path("registration/confirm/<str:token>/", views.confirm_registration, name="confirm"),
    path("registration/cancel/<str:token>/", views.cancel_registration, name="cancel"),
]
