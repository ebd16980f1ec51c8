"""Search queries: PostgreSQL full text, or a simpler fallback on SQLite.

PostgreSQL: ``websearch_to_tsquery`` (quotes and operators typed by visitors cannot
raise errors) against the generated, weighted ``search_vector`` with the text
search configuration of the page's language, matched through one GIN index per
language; snippets by ``ts_headline``. Ranking: where the ``rum`` extension is
installed, a RUM index per language returns the matches in order of relevance
(``search_vector <=> query``, the inverse of ``ts_rank`` with the same weights), so a
page reads the rows up to it and no more; without it, ``ts_rank`` of every match.
SQLite: every word must appear in the title, summary or body (case-insensitive);
ranked title > summary > body; snippets cut in Python. The fallback has no stemming:
"migrants" does not find "migrant".

Bounded work: counts and pages stop at ``settings.IOMSITE_SEARCH_MAX_RESULTS`` matches
(see ``iomsite.search.views``).
"""

import functools
import re

from django.db import DatabaseError, connection, connections, transaction
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


def rank_indexes(using="default"):
    """The names of the RUM ranking indexes in this database (one query per process)."""
    return _rank_indexes(connections[using].settings_dict["NAME"], using)


@functools.cache
def _rank_indexes(_name, using):
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry' AND indexname = ANY(%s)",
            [[f"search_entry_rank_{language}" for language in CONFIGS]],
        )
        return frozenset(row[0] for row in cursor.fetchall())


def ensure_rank_indexes(db):
    """Create the ``rum`` extension if it can be, and a RUM index per language; True when they exist.

    Needs the extension's files (Debian: ``postgresql-15-rum``) and, to create the
    extension, a superuser; otherwise nothing changes and ranking uses ``ts_rank``.
    Called by the migration and by ``rebuild_search_index``.
    """
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum'), "
            "EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum'), "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        )
        installed, available, superuser = cursor.fetchone()
    if not installed:
        if not (available and superuser):
            return False
        try:
            with transaction.atomic(using=db.alias), db.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except DatabaseError:  # files present but not loadable (e.g. the server awaits a restart)
            return False
    with db.cursor() as cursor:
        for language in CONFIGS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_entry_rank_{language} ON search_searchentry "
                f"USING rum (search_vector rum_tsvector_ops) WHERE language = '{language}'"
            )
    _rank_indexes.cache_clear()
    return True


def search(queryset, query, language):
    """The entries of ``queryset`` (SearchEntry rows of one language) matching ``query``, best first.

    Ordered by relevance, then newest, then id; with the RUM index, ties in relevance
    come in the index's order (stable while the index does not change).
    """
    if is_postgres():
        config = CONFIGS.get(language, "simple")
        tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
        matches = queryset.annotate(
            matched=RawSQL(f"search_vector @@ {tsquery}", [config, query], output_field=BooleanField()),
            snippet_raw=RawSQL(
                f"ts_headline(%s::regconfig, {_snippet_source()}, {tsquery}, %s)",
                [config, config, query, f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"],
                output_field=TextField(),
            ),
        ).filter(matched=True)
        if f"search_entry_rank_{language}" in rank_indexes(queryset.db):
            distance = RawSQL(f"search_vector <=> {tsquery}", [config, query], output_field=FloatField())
            # The key breaks ties: equal distances (identical texts) came back in a different
            # order for each page's LIMIT when the planner sorts (a top-N heapsort is not
            # stable), so two pages could show the same result and skip another. With the
            # second key PostgreSQL sorts the matches instead of reading them in index order;
            # the RUM scan computes every match's distance either way.
            return matches.annotate(distance=distance).order_by("distance", "pk")
        rank = RawSQL(f"ts_rank(search_vector, {tsquery})", [config, query], output_field=FloatField())
        return matches.annotate(rank=rank).order_by("-rank", "-date", "pk")
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
    return queryset.annotate(rank=score).order_by("-rank", "-date", "pk")


def tally(matches, facet_keys, limit):
    """Counts over at most ``limit + 1`` matches: ``([(kind, year, translated, count)], {facet key: count})``.

    When the counts add up to more than ``limit``, they describe a sample, not every
    match: the caller says "more than ``limit``" and shows no numbers per filter.
    ``facet_keys`` are the ``"theme:3"`` keys worth counting (the choices offered).
    PostgreSQL reads the matches once (a materialised CTE feeding the groups and,
    through ``unnest`` of the facet strings, the facet counts); SQLite counts each
    facet with a filter.
    """
    capped = matches.order_by().values("kind", "year", "translated", "facets")[: limit + 1]
    facet_keys = list(facet_keys)
    if is_postgres():
        sql, params = capped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({sql}) "
                "SELECT kind, year, translated, NULL, count(*) FROM m GROUP BY kind, year, translated "
                "UNION ALL "
                "SELECT NULL, NULL, NULL, f, count(*) FROM m "
                "CROSS JOIN LATERAL unnest(string_to_array(m.facets, ',')) AS f WHERE f = ANY(%s) GROUP BY f",
                [*params, facet_keys],
            )
            rows = cursor.fetchall()
        groups = [(kind, year, translated, count) for kind, year, translated, key, count in rows if key is None]
        return groups, {key: count for *_group, key, count in rows if key is not None}
    sample = matches.model._default_manager.filter(pk__in=matches.order_by().values("pk")[: limit + 1])
    groups = list(sample.values_list("kind", "year", "translated").annotate(n=Count("pk")).order_by())
    facets = {}
    if facet_keys:
        aggregates = {f"f{i}": Count("pk", filter=Q(facets__contains=f",{key},")) for i, key in enumerate(facet_keys)}
        row = sample.aggregate(**aggregates)
        facets = {facet_keys[int(name[1:])]: value for name, value in row.items() if value}
    return groups, facets


class TranslatedFirst:
    """Search results for the paginator: entries in the page's language first, then those
    shown in English for want of a translation, each part best first; at most ``limit``.

    ``totals`` is ``(all, translated)`` as far as the caller knows them (either may be
    None); capped counts find the rest. A page is two queries whatever it spans: the keys
    of its window in each part (one statement, each part read by its own index, the
    offset walked on keys alone), then its rows, whose snippets are made for them only.
    """

    def __init__(self, results, limit, totals=(None, None), all_translated=False):
        self.results, self.limit = results, limit
        self.total, self.translated = totals
        self.all_translated = all_translated

    def _capped_count(self, queryset):
        return queryset.order_by().values("pk")[: self.limit + 1].count()

    def count(self):
        if self.total is None:
            self.total = self._capped_count(self.results)
        if self.translated is None:
            translated = self.results.filter(translated=True)
            self.translated = self.total if self.all_translated else self._capped_count(translated)
        return min(self.total, self.limit)

    def __len__(self):
        return self.count()

    @property
    def more(self):
        """True when there are more matches than the results shown."""
        self.count()
        return self.total > self.limit

    def __getitem__(self, window):
        stop = min(window.stop, self.count())
        start, first = window.start or 0, self.translated
        parts = []
        if start < first:
            parts.append(self.results.filter(translated=True).values_list("pk", flat=True)[start : min(stop, first)])
        if stop > first:
            parts.append(
                self.results.filter(translated=False).values_list("pk", flat=True)[max(0, start - first) : stop - first]
            )
        if not parts:
            return []
        keys = self.keys(parts)
        position = {pk: index for index, pk in enumerate(keys)}
        return sorted(self.results.filter(pk__in=keys).order_by(), key=lambda entry: position[entry.pk])

    @staticmethod
    def keys(parts):
        """The keys of each part's window, in order, in one query (each part read by its own index)."""
        statements, params = [], []
        for index, part in enumerate(parts):
            sql, part_params = part.query.sql_with_params()
            statements.append(f"SELECT * FROM ({sql}) AS part{index}")
            params.extend(part_params)
        with connections[parts[0].db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(statements), params)
            return [row[0] for row in cursor.fetchall()]


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
