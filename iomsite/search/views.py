import hashlib
from collections import Counter

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from iomsite import content
from iomsite.content import resolve
from iomsite.freshness import remember
from iomsite.models.base import live_q
from iomsite.pagination import paginate
from iomsite.search.backends import TranslatedFirst, highlight, search, tally
from iomsite.search.forms import SearchForm
from iomsite.search.index import next_due, sync_scheduled
from iomsite.search.models import SearchEntry

PER_PAGE = 20


def facet_choices():
    """``[(facet, [(pk, title)])]``: the published top-level nodes of each facet tree.

    Top-level nodes have no ancestors, so the plain publishing rule is the tree's rule
    (without the tree check over every node).
    """
    return [
        (facet, list(facet.model._default_manager.filter(live_q(), parent=None).values_list("pk", "title")))
        for facet in content.search_facets()
    ]


@require_safe
def search_view(request):
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        body = loader.render_to_string("400.html", request=request)
        return HttpResponseBadRequest(body)
    sync_scheduled()
    language = get_language()
    kinds = [(spec.kind, spec.label) for spec in content.search_specs()]
    facets = facet_choices()
    form = SearchForm(request.GET or None, kinds=kinds, facets=facets)
    context = {"form": form, "facets": facets, "kinds": kinds}
    if not form.is_valid() or not form.cleaned_data.get("q"):
        context["searched"] = False
        return render(request, "search/search.html", context)

    data = form.cleaned_data
    query = data["q"]
    matches = search(SearchEntry.objects.filter(language=language).live(), query, language)
    limit = settings.IOMSITE_SEARCH_MAX_RESULTS
    counts = _cached_counts(matches, facets, limit, language, query)
    results = matches
    if data.get("type"):
        results = results.filter(kind=data["type"])
    if data.get("year"):
        results = results.filter(year=data["year"])
    for facet, _choices in facets:
        if data.get(facet.name):
            results = results.filter(facets__contains=f",{facet.name}:{data[facet.name]},")
    ranked = TranslatedFirst(
        results, limit, totals=_filtered_totals(counts, data, facets), all_translated=language == settings.LANGUAGE_CODE
    )
    page = paginate(request, ranked, PER_PAGE)
    labels = dict(kinds)
    for entry in page.object_list:
        entry.snippet = highlight(entry, query)
        entry.kind_label = labels.get(entry.kind, entry.kind)
    for spec in content.search_specs():
        hits = [entry for entry in page.object_list if entry.kind == spec.kind]
        if spec.results and hits:
            resolve(spec.results)(hits, query)
    context.update(searched=True, query=query, page=page, counts=counts, more=ranked.more, limit=limit)
    return render(request, "search/search.html", context)


def _counts(matches, facets, limit):
    """Counts per type, year and top-level facet node (one query on PostgreSQL).

    Over at most ``limit + 1`` matches: beyond that, ``capped`` is true and the numbers
    per type, year and facet are not shown (they would describe a sample).
    """
    keys = [f"{facet.name}:{pk}" for facet, choices in facets for pk, _title in choices]
    groups, facet_counts = tally(matches, keys, limit)
    kinds, years = Counter(), Counter()
    for kind, year, _translated, count in groups:
        kinds[kind] += count
        if year:
            years[year] += count
    total = sum(kinds.values())
    return {
        "groups": groups,
        "kinds": kinds,
        "years": sorted(years.items(), reverse=True),
        "facets": Counter(facet_counts),
        "total": total,
        "capped": total > limit,
    }


def _cached_counts(matches, facets, limit, language, query):
    """``_counts`` kept in the shared cache: every page and filter of a search shares them.

    Keyed by the content version (bumped once the index is written), the next scheduled
    change the index will catch up with, the language, the limit and the words; kept no
    longer than that change.
    """
    due = next_due()
    raw = f"{int(due.timestamp()) if due else 0}|{language}|{limit}|{query}"
    name = "search:counts:" + hashlib.sha256(raw.encode()).hexdigest()
    return remember(name, lambda: (_counts(matches, facets, limit), due))


def _filtered_totals(counts, data, facets):
    """``(results, translated results)`` under the type and year filters, as far as the counts tell.

    A sample (more matches than the limit) tells only that there are more than the limit
    when no filter is set; a theme or region filter, nothing. Unknown totals are None:
    the results count them (capped).
    """
    filtered = any(data.get(name) for name in ("type", "year")) or any(data.get(f.name) for f, _c in facets)
    if counts["capped"]:
        return (counts["total"], None) if not filtered else (None, None)
    if any(data.get(facet.name) for facet, _choices in facets):
        return (None, None)
    kind, year = data.get("type"), data.get("year")
    chosen = [(tr, n) for k, y, tr, n in counts["groups"] if (not kind or k == kind) and (not year or y == year)]
    return sum(n for _tr, n in chosen), sum(n for tr, n in chosen if tr)
