"""Cite this: one CSL-JSON item per publication or chapter, and every format made from it.

The formatted styles (APA, Chicago, Harvard) come from citeproc-py with the CSL styles
committed in ``publications/csl/``; BibTeX and RIS are written here from the same item, so
the downloads never disagree with the text on the page (decision 021).
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CSL_DIR = Path(__file__).resolve().parent / "csl"
# (key, label, CSL file). Labels are the styles' own names: not translated.
STYLES = (
    ("apa", "APA", "apa.csl"),
    ("chicago", "Chicago", "chicago-author-date-17th-edition.csl"),
    ("harvard", "Harvard", "harvard-cite-them-right.csl"),
)
LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES"}
# Download formats: (file extension, content type).
FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
BIBTEX_LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
_CHAPTER_NUMBER = re.compile(r"(?:chapter|chapitre|cap[ií]tulo)\s+(\S+)", re.IGNORECASE)


def parse_names(text):
    """Editors' lines → CSL names: ``Family, Given`` is a person; a line without a comma an organisation."""
    names = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        family, comma, given = line.partition(",")
        if comma and family.strip() and given.strip():
            names.append({"family": family.strip(), "given": given.strip()})
        else:
            names.append({"literal": line.rstrip(",").strip()})
    return names


def chapter_number(number):
    """``Chapter 2`` → ``2``; a label without the word (``Annex A``) is kept whole."""
    match = _CHAPTER_NUMBER.search(number or "")
    return match.group(1) if match else (number or "").strip()


def page_range(pages):
    """``13–42`` (en dash, hyphen or double hyphen) → ``("13", "42")``; one page → ``("7", "")``."""
    first, _dash, last, *_rest = re.split(r"\s*(–|—|-+)\s*", (pages or "").strip(), maxsplit=1) + ["", ""]
    return first, last


def _publisher(publication, site_name):
    return publication.publisher or site_name


def _issued(publication):
    # Cited by the year it came out: the 2018 report appeared in November 2017.
    when = publication.publication_date
    return {"date-parts": [[when.year, when.month, when.day]]} if when else {"date-parts": [[publication.year]]}


def publication_item(publication, url, site_name):
    """The CSL-JSON item for a publication (``book`` when it has an ISBN, else ``report``)."""
    authors = parse_names(publication.authors)
    editors = parse_names(publication.editors)
    publisher = _publisher(publication, site_name)
    item = {
        "id": publication.slug,
        "type": "book" if publication.isbn else "report",
        "title": publication.title,
        "issued": _issued(publication),
        "publisher": publisher,
        "URL": url,
    }
    # No named author: the organisation is the author, and editors follow the title. (An editor-led
    # reference would print the editors twice: citeproc-py does not drop a variable it substituted.)
    item["author"] = authors or [{"literal": publisher}]
    if editors:
        item["editor"] = editors
    if publication.series_id:
        item["collection-title"] = publication.series.title
        if publication.edition:
            item["collection-number"] = str(publication.edition)
    for key, value in (
        ("publisher-place", publication.place),
        ("ISBN", publication.isbn),
        ("ISSN", publication.issn),
        ("DOI", publication.doi),
    ):
        if value:
            item[key] = value
    if publication.language != "other":
        item["language"] = publication.language
    return item


def chapter_item(entry, url, site_name):
    """The CSL-JSON item for a chapter: its own authors, else the publication's, in the publication."""
    publication = entry.publication
    book = publication_item(publication, "", site_name)
    item = {
        "id": f"{publication.slug}-{entry.slug}",
        "type": "chapter",
        "title": entry.title,
        "container-title": publication.title,
        "issued": book["issued"],
        "publisher": book["publisher"],
        "URL": url,
        # As the organisation's reports suggest: a chapter without named authors is the organisation's.
        "author": parse_names(entry.authors) or parse_names(publication.authors) or [{"literal": book["publisher"]}],
    }
    if "editor" in book:
        item["editor"] = book["editor"]
    for key in ("collection-title", "collection-number", "publisher-place", "ISBN", "ISSN", "language"):
        if key in book:
            item[key] = book[key]
    number = chapter_number(entry.number)
    if number:
        item["chapter-number"] = number
    if entry.pages:
        item["page"] = entry.pages
    if entry.doi:
        item["DOI"] = entry.doi
    return item


@lru_cache(maxsize=16)
def _style(filename, locale):
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(CSL_DIR / filename), locale=locale, validate=False)


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {key: _escaped(part) for key, part in value.items()}
    return value


def formatted(item, style_file, language=None):
    """One bibliography entry as safe HTML (citeproc copies text as is: the item is escaped first)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    locale = LOCALES.get((language or get_language() or "en")[:2], "en-US")
    source = CiteProcJSON([_escaped(item)])
    bibliography = CitationStylesBibliography(_style(style_file, locale), source, formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return mark_safe(str(bibliography.bibliography()[0]))


def citations(item, language=None):
    """[(key, label, html)] for the Cite this block."""
    return [(key, label, formatted(item, filename, language)) for key, label, filename in STYLES]


def _year(item):
    return str(item["issued"]["date-parts"][0][0])


def _bibtex_name(name):
    if "literal" in name:
        return "{" + name["literal"] + "}"  # braces: BibTeX keeps an organisation's name whole
    return f"{name['family']}, {name['given']}"


_BIBTEX_SPECIAL = str.maketrans({char: "\\" + char for char in "&%$#_{}"})


def _bibtex_value(value):
    return str(value).translate(_BIBTEX_SPECIAL).replace("~", r"\textasciitilde{}").replace("^", r"\^{}")


def bibtex_key(item):
    first = (item.get("author") or item.get("editor") or [{"literal": "anon"}])[0]
    name = first.get("family") or first.get("literal", "")
    word = next((w for w in re.findall(r"[a-z0-9]+", item["title"].lower()) if len(w) > 3), "item")
    initials = "".join(re.findall(r"\b[A-Z]", name)) if "literal" in first else name  # IOM
    return re.sub(r"[^A-Za-z0-9]", "", initials).lower() + _year(item) + word


def bibtex(item):
    kind = {"book": "book", "report": "techreport", "chapter": "incollection"}[item["type"]]
    names = {"author": item.get("author", []), "editor": item.get("editor", [])}
    fields = []
    for key in ("author", "editor"):
        if names[key]:
            fields.append((key, " and ".join(_bibtex_name(name) for name in names[key]), False))
    fields.append(("title", item["title"], True))
    if kind == "incollection":
        fields.append(("booktitle", item["container-title"], True))
        if "chapter-number" in item:
            fields.append(("chapter", item["chapter-number"], True))
        if "page" in item:
            first, last = page_range(item["page"])
            fields.append(("pages", f"{first}--{last}" if last else first, False))
    if "collection-title" in item:
        fields.append(("series", item["collection-title"], True))
    if "collection-number" in item:
        fields.append(("number", item["collection-number"], True))
    fields.append(("year", _year(item), True))
    fields.append(("institution" if kind == "techreport" else "publisher", item["publisher"], True))
    for key, csl in (("address", "publisher-place"), ("isbn", "ISBN"), ("issn", "ISSN"), ("doi", "DOI")):
        if csl in item:
            fields.append((key, item[csl], key != "doi"))
    fields.append(("url", item["URL"], False))
    if item.get("language") in BIBTEX_LANGUAGES:
        fields.append(("language", BIBTEX_LANGUAGES[item["language"]], True))
    body = ",\n".join(
        f"  {key} = {{{_bibtex_value(value) if escape_it else value}}}" for key, value, escape_it in fields
    )
    return f"@{kind}{{{bibtex_key(item)},\n{body}\n}}\n"


def _ris_name(name):
    return name["literal"] if "literal" in name else f"{name['family']}, {name['given']}"


def ris(item):
    kind = {"book": "BOOK", "report": "RPRT", "chapter": "CHAP"}[item["type"]]
    lines = [("TY", kind)]
    lines += [("AU", _ris_name(name)) for name in item.get("author", [])]
    lines += [("A2" if kind == "CHAP" else "ED", _ris_name(name)) for name in item.get("editor", [])]
    lines.append(("TI", item["title"]))
    if kind == "CHAP":
        lines.append(("T2", item["container-title"]))
        if "chapter-number" in item:
            lines.append(("SE", item["chapter-number"]))
        if "page" in item:
            first, last = page_range(item["page"])
            lines.append(("SP", first))
            if last:
                lines.append(("EP", last))
    if "collection-title" in item:
        lines.append(("T3", item["collection-title"]))
    if "collection-number" in item:
        lines.append(("VL" if kind != "CHAP" else "M1", item["collection-number"]))
    lines.append(("PY", _year(item)))
    parts = item["issued"]["date-parts"][0]
    if len(parts) == 3:
        lines.append(("DA", f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}"))
    lines.append(("PB", item["publisher"]))
    for tag, csl in (("CY", "publisher-place"), ("SN", "ISBN"), ("DO", "DOI"), ("UR", "URL"), ("LA", "language")):
        if item.get(csl):
            lines.append((tag, item[csl]))
    if "ISSN" in item:
        lines.append(("SN", item["ISSN"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(item):
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def render(item, extension):
    return {"bib": bibtex, "ris": ris, "json": csl_json}[extension](item)


def meta_tags(item, pdf_url=""):
    """``citation_*`` meta tags as Google Scholar reads them: [(name, content)]."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", _ris_name(name)) for name in item.get("author", [])]
    parts = item["issued"]["date-parts"][0]
    tags.append(("citation_publication_date", "/".join(f"{part:02d}" for part in parts)))
    if item["type"] == "chapter":
        tags.append(("citation_inbook_title", item["container-title"]))
        if "page" in item:
            first, last = page_range(item["page"])
            tags.append(("citation_firstpage", first))
            if last:
                tags.append(("citation_lastpage", last))
    elif item["type"] == "report":
        tags.append(("citation_technical_report_institution", item["publisher"]))
    tags.append(("citation_publisher", item["publisher"]))
    for name, csl in (("citation_isbn", "ISBN"), ("citation_issn", "ISSN"), ("citation_doi", "DOI")):
        if csl in item:
            tags.append((name, item[csl]))
    if "language" in item:
        tags.append(("citation_language", item["language"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("citation_abstract_html_url", item["URL"]))
    return tags
