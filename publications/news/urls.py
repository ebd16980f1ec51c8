from django.urls import path

from publications.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("feed/", feeds.NewsFeed(), name="feed"),
    path("feed/atom/", feeds.NewsAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
