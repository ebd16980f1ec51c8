from django.urls import path, re_path

from publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="index"),
    path("feed/", feeds.LatestPublicationsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPublicationsAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    re_path(r"^(?P<slug>[-\w]+)/cite\.(?P<extension>bib|ris|json)$", views.cite_download, name="cite"),
    re_path(
        r"^(?P<slug>[-\w]+)/(?P<entry_slug>[-\w]+)/cite\.(?P<extension>bib|ris|json)$",
        views.cite_download,
        name="entry_cite",
    ),
    path("<slug:slug>/seen-<int:pk>.gif", views.seen, {"kind": "p"}, name="seen"),
    path("<slug:slug>/<slug:entry_slug>/seen-<int:pk>.gif", views.seen, {"kind": "c"}, name="entry_seen"),
    path("<slug:slug>/<slug:entry_slug>/", views.entry_detail, name="entry"),
]
