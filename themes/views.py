from django.http import Http404


def index(request):
    raise Http404("Not built yet.")


def detail(request, path):
    raise Http404("Not built yet.")
