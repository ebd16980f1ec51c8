"""URLs that no root URLconf includes: for the check that refuses an app whose pages are not wired."""

app_name = "unwired"
urlpatterns = []
