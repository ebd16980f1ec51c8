from django.urls import path

from publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="index"),
    path("feed/", feeds.LatestPublicationsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPublicationsAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path("<slug:slug>/<slug:entry_slug>/", views.entry_detail, name="entry"),
]
