from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from iomsite.pagination import paginate
from iomsite.preview import PreviewMixin
from publications.news.forms import NewsFilterForm
from publications.news.models import Article

PER_PAGE = 12


@require_safe
def article_list(request):
    published = Article.objects.published()
    form = NewsFilterForm(request.GET, published=published)
    articles = form.apply(published).newest_first().select_related("kind", "image")
    page = paginate(request, articles, PER_PAGE)
    # The feed follows the same filters (a region's or a theme's news); a year is not a feed.
    feed_query = urlencode({name: value for name, value in form.cleaned_data.items() if value and name != "year"})
    context = {
        "page": page,
        "form": form,
        "feed_query": feed_query,
        "crumbs": [(_("News"), reverse("news:index"))],
    }
    return render(request, "news/article_list.html", context)


class ArticleDetailView(PreviewMixin, DetailView):
    model = Article
    context_object_name = "article"
    template_name = "news/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("kind", "image")

    def get_context_data(self, **kwargs):
        from consultations.models import ConsultationEvent
        from publications.models import Publication
        from regions.models import Region
        from themes.models import Theme

        context = super().get_context_data(**kwargs)
        article = self.object
        link_fields = ("title", "slug", "path")
        context.update(
            crumbs=[(_("News"), reverse("news:index")), (article.title, "")],
            themes=list(Theme.objects.published().filter(news_articles=article).only(*link_fields)),
            regions=list(Region.objects.published().filter(news_articles=article).only(*link_fields)),
            publications=list(
                Publication.objects.published().filter(news_articles=article).select_related("cover").newest_first()
            ),
            events=list(
                ConsultationEvent.objects.published()
                .in_published_series()
                .filter(news_articles=article)
                .select_related("series")
                .order_by("-start_date")
            ),
        )
        return context
