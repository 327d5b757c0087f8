"""Cached views of one report text shared by segmentation, the narrative extractor and the table parsers.

``views(text)`` returns the normalised text (same length as the original, see ``pipeline.text.normalize``), its
compact form (all whitespace removed) and the original offset of every compact character. Each per-report
stage asks for the same views, so they are computed once per text (small LRU cache keyed by the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.numbers import compact_view
from pipeline.text import normalize


@dataclass(frozen=True)
class TextViews:
    """Normalised text, compact text and compact → original offsets."""

    norm: str
    compact: str
    index: list[int]


@lru_cache(maxsize=32)
def compact_of(norm: str) -> tuple[str, list[int]]:
    """Compact form of a normalised text and its offsets, cached."""
    return compact_view(norm)


@lru_cache(maxsize=32)
def normalized(text: str) -> str:
    """``normalize(text)``, cached (the same text is normalised by several stages)."""
    return normalize(text)


@lru_cache(maxsize=32)
def views(text: str) -> TextViews:
    """The cached views of ``text``."""
    norm = normalized(text)
    compact, index = compact_of(norm)
    return TextViews(norm, compact, index)
