"""Admin URLs of the workflow, included before ``admin.site.urls`` (they take precedence)."""

from django.contrib import admin
from django.urls import path

from iomsite.workflow import views

urlpatterns = [
    path("r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(views.view_on_site)),
]
urlpatterns.append(path("explore/", admin.site.admin_view(views.explore), name="workflow_explore"))
urlpatterns.append(path("explore/choose/", admin.site.admin_view(views.choose), name="workflow_explore_choose"))
