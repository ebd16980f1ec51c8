"""Search queries: PostgreSQL full text, or a simpler fallback on SQLite.

PostgreSQL: ``websearch_to_tsquery`` (quotes and operators typed by visitors cannot
raise errors) against the generated, weighted ``search_vector`` with the text
search configuration of the page's language; ranked with ``ts_rank``; snippets by
``ts_headline``. SQLite: every word must appear in the title, summary or body
(case-insensitive); ranked title > summary > body; snippets cut in Python. The
fallback has no stemming: "migrants" does not find "migrant".
"""

import re

from django.db import connection
from django.db.models import BooleanField, Case, Count, FloatField, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
MARK_START, MARK_END = "\x02", "\x03"
MAX_WORDS = 12


def is_postgres():
    return connection.vendor == "postgresql"


def words_of(query):
    return [w for w in re.findall(r"\w[\w'-]*", query.lower()) if len(w) > 1][:MAX_WORDS]


def search(queryset, query, language):
    """Filter and rank ``queryset`` (SearchEntry rows of one language) by ``query``."""
    if is_postgres():
        config = CONFIGS.get(language, "simple")
        tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
        return (
            queryset.annotate(
                matched=RawSQL(f"search_vector @@ {tsquery}", [config, query], output_field=BooleanField()),
                rank=RawSQL(f"ts_rank(search_vector, {tsquery})", [config, query], output_field=FloatField()),
                snippet_raw=RawSQL(
                    f"ts_headline(%s::regconfig, {_snippet_source()}, {tsquery}, %s)",
                    [config, config, query, f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"],
                    output_field=TextField(),
                ),
            )
            .filter(matched=True)
            .order_by("-translated", "-rank", "-date", "pk")
        )
    words = words_of(query)
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    score = Value(0, output_field=IntegerField())
    for word in words:
        score = (
            score
            + Case(When(title__icontains=word, then=Value(30)), default=Value(0))
            + Case(When(summary__icontains=word, then=Value(5)), default=Value(0))
            + Case(When(body__icontains=word, then=Value(1)), default=Value(0))
        )
    return queryset.annotate(rank=score).order_by("-translated", "-rank", "-date", "pk")


def tally(matches, facet_keys):
    """Counts over every match: ``([(kind, year, count)], {facet key: count})``.

    ``facet_keys`` are the ``"theme:3"`` keys worth counting (the choices offered).
    PostgreSQL reads the matches once (a materialised CTE feeding the type/year groups
    and, through ``unnest`` of the facet strings, the facet counts): one heap pass
    instead of one per kind of count. SQLite counts each facet with a filter.
    """
    plain = matches.order_by().values("kind", "year", "facets")
    facet_keys = list(facet_keys)
    if is_postgres():
        sql, params = plain.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({sql}) "
                "SELECT kind, year, NULL, count(*) FROM m GROUP BY kind, year "
                "UNION ALL "
                "SELECT NULL, NULL, f, count(*) FROM m CROSS JOIN LATERAL unnest(string_to_array(m.facets, ',')) AS f "
                "WHERE f = ANY(%s) GROUP BY f",
                [*params, facet_keys],
            )
            rows = cursor.fetchall()
        groups = [(kind, year, count) for kind, year, key, count in rows if key is None]
        return groups, {key: count for _kind, _year, key, count in rows if key is not None}
    groups = list(plain.values_list("kind", "year").annotate(n=Count("pk")).order_by())
    facets = {}
    if facet_keys:
        aggregates = {f"f{i}": Count("pk", filter=Q(facets__contains=f",{key},")) for i, key in enumerate(facet_keys)}
        row = plain.aggregate(**aggregates)
        facets = {facet_keys[int(name[1:])]: value for name, value in row.items() if value}
    return groups, facets


def _snippet_source():
    table = '"search_searchentry"'
    return f"coalesce(nullif({table}.body, ''), {table}.summary)"


def highlight(entry, query):
    """Safe HTML: a short excerpt with the matched words in ``<mark>``."""
    raw = getattr(entry, "snippet_raw", None)
    if raw:
        return mark_safe(escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
    text = entry.body or entry.summary or ""
    words = words_of(query)
    lower = text.lower()
    positions = [lower.find(w) for w in words if lower.find(w) >= 0]
    start = max(0, min(positions) - 80) if positions else 0
    excerpt = text[start : start + 260]
    excerpt = ("…" if start else "") + excerpt + ("…" if start + 260 < len(text) else "")
    html = escape(excerpt)
    for word in sorted(set(words), key=len, reverse=True):
        html = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    return mark_safe(html)
