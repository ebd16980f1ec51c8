from django.urls import path, re_path

from themes import feeds, views

app_name = "themes"

# A theme's address is its path in the tree, any depth: /themes/labour-migration/ethical-recruitment/.
# Tab slugs are reserved (see models.RESERVED_SLUGS), so the tab patterns cannot shadow a sub-topic.
PATH = r"(?P<path>[-\w]+(?:/[-\w]+)*)"

urlpatterns = [
    path("", views.ThemeIndexView.as_view(), name="index"),
    re_path(rf"^{PATH}/resources/$", views.ThemeResourcesView.as_view(), name="resources"),
    re_path(rf"^{PATH}/news-and-media/$", views.ThemeNewsView.as_view(), name="news"),
    re_path(rf"^{PATH}/news-and-media/videos/(?P<pk>[0-9]+)/$", views.ThemeVideoView.as_view(), name="video"),
    re_path(rf"^{PATH}/news-and-media/rss/$", feeds.ThemeNewsFeed(), name="news_rss"),
    re_path(rf"^{PATH}/news-and-media/atom/$", feeds.ThemeNewsAtomFeed(), name="news_atom"),
    re_path(rf"^{PATH}/$", views.ThemeDetailView.as_view(), name="detail"),
]
