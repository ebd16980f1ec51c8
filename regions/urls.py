from django.urls import path, re_path

from regions import views

app_name = "regions"

# A node's path is its slugs from the root: americas-and-the-caribbean/central-america/honduras.
NODE = r"^(?P<path>[-\w]+(?:/[-\w]+)*)"

urlpatterns = [
    path("", views.RegionIndex.as_view(), name="index"),
    path("offices/", views.OfficeList.as_view(), name="offices"),
    re_path(NODE + r"/figures\.csv$", views.figures_csv, name="figures_csv"),
    re_path(NODE + r"/figures\.json$", views.figures_json, name="figures_json"),
    re_path(NODE + r"/trends/$", views.RegionTrends.as_view(), name="trends"),
    re_path(NODE + r"/coverage/$", views.RegionCoverage.as_view(), name="coverage"),
    re_path(NODE + r"/resources/$", views.RegionResources.as_view(), name="resources"),
    re_path(NODE + r"/$", views.RegionOverview.as_view(), name="detail"),
]
