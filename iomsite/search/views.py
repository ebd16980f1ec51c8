from collections import Counter

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from iomsite.pagination import paginate
from iomsite.registry import registry
from iomsite.search.backends import highlight, search
from iomsite.search.forms import SearchForm
from iomsite.search.index import sync_scheduled
from iomsite.search.models import SearchEntry

PER_PAGE = 20


def facet_choices():
    """``[(facet, [(pk, title)])]``: the published top-level nodes of each facet tree."""
    return [
        (facet, list(facet.model._default_manager.published().filter(level=0).values_list("pk", "title")))
        for facet in registry.search_facets
    ]


@require_safe
def search_view(request):
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        body = loader.render_to_string("400.html", request=request)
        return HttpResponseBadRequest(body)
    sync_scheduled()
    language = get_language()
    kinds = [(spec.kind, spec.label) for spec in registry.search_models]
    facets = facet_choices()
    form = SearchForm(request.GET or None, kinds=kinds, facets=facets)
    context = {"form": form, "facets": facets, "kinds": kinds}
    if not form.is_valid() or not form.cleaned_data.get("q"):
        context["searched"] = False
        return render(request, "search/search.html", context)

    data = form.cleaned_data
    query = data["q"]
    matches = search(SearchEntry.objects.filter(language=language).live(), query, language)
    context["counts"] = _counts(matches, facets)
    results = matches
    if data.get("type"):
        results = results.filter(kind=data["type"])
    if data.get("year"):
        results = results.filter(year=data["year"])
    for facet, _choices in facets:
        if data.get(facet.name):
            results = results.filter(facets__contains=f",{facet.name}:{data[facet.name]},")
    page = paginate(request, results, PER_PAGE)
    labels = dict(kinds)
    for entry in page.object_list:
        entry.snippet = highlight(entry, query)
        entry.kind_label = labels.get(entry.kind, entry.kind)
    context.update({"searched": True, "query": query, "page": page})
    return render(request, "search/search.html", context)


def _counts(matches, facets):
    """Counts per type, year and top-level facet node over every match, in SQL (two queries)."""
    from django.db.models import Count, Q

    plain = matches.order_by()
    kinds, years = Counter(), Counter()
    for kind, year, count in plain.values_list("kind", "year").annotate(n=Count("pk")).order_by():
        kinds[kind] += count
        if year:
            years[year] += count
    facet_counts = Counter()
    aggregates = {
        f"f{index}": Count("pk", filter=Q(facets__contains=f",{facet.name}:{pk},"))
        for index, (facet, pk) in enumerate((facet, pk) for facet, choices in facets for pk, _title in choices)
    }
    if aggregates:
        keys = [f"{facet.name}:{pk}" for facet, choices in facets for pk, _title in choices]
        row = plain.aggregate(**aggregates)
        facet_counts.update({keys[int(name[1:])]: value for name, value in row.items() if value})
    return {
        "kinds": kinds,
        "years": sorted(years.items(), reverse=True),
        "facets": facet_counts,
        "total": sum(kinds.values()),
    }
