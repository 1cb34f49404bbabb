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
    """Within one category, a match inside a longer match of another id is not a mention.

    A sweep over the hits in start order: only hits still open at a hit's start can contain
    it, and there are few of those at any point."""
    ordered = sorted(hits, key=lambda h: (h.start, -h.end))
    open_hits: list[Hit] = []
    inside: set[int] = set()
    for position, hit in enumerate(ordered):
        open_hits = [o for o in open_hits if o.end > hit.start]
        if any(
            o.id != hit.id and hit.end <= o.end and (o.end - o.start) > (hit.end - hit.start)
            for o in open_hits
        ):
            inside.add(position)
        open_hits.append(hit)
    kept = [hit for position, hit in enumerate(ordered) if position not in inside]
    kept.sort(key=lambda h: (h.start, h.end, h.category, h.id))
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
