"""Channels, themes, audiences and social platforms: codebook matches in the fact zones."""

from __future__ import annotations

from etl.match.matcher import Hit, compiled_category, find_hits
from etl.models import Evidence, Mention
from etl.text.segment import Span
from etl.text.views import TextViews

CATEGORIES = ("channel", "theme", "audience", "platform")
# where one phrase names one thing (a channel); audiences and themes may nest legitimately
CONTAINMENT_CATEGORIES = frozenset({"channel"})


def drop_contained(hits: list[Hit]) -> list[Hit]:
    """Within one category, a match inside a longer match of another id is not a mention."""
    kept = []
    for hit in hits:
        inside = any(
            other.id != hit.id
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            for other in hits
        )
        if not inside:
            kept.append(hit)
    return kept


def extract_mentions(views: TextViews, zones: list[Span]) -> dict[str, list[Mention]]:
    result: dict[str, list[Mention]] = {}
    for category in CATEGORIES:
        hits = find_hits(views, compiled_category(category), zones)
        if category in CONTAINMENT_CATEGORIES:
            hits = drop_contained(hits)
        result[category] = [
            Mention(
                category=category,
                id=hit.id,
                evidence=Evidence(hit.start, hit.end, views.text[hit.start : hit.end]),
                rule=hit.rule,
            )
            for hit in hits
        ]
    return result
