from django.shortcuts import render
from django.views.generic import DetailView

from iomsite.preview import PreviewMixin
from tests.notices.models import Notice


def index(request):
    return render(request, "notices/index.html", {"notices": Notice.objects.published()})


class NoticeDetail(PreviewMixin, DetailView):
    model = Notice
    template_name = "notices/detail.html"
