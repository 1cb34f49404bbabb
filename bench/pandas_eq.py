"""The main dashboard aggregations in pandas, for comparison with DuckDB.

Each function takes `Frames` (the warehouse's plans with their place, per-plan channels,
themes and responsibilities, sources, codebook and documents, loaded once into DataFrames:
the per-plan views are materialised here, DuckDB computes them on every query), the sidebar
`Filters` and the SQL file's own parameters, and returns the rows the SQL file returns (same
grain and row count; columns and order as close as is cheap). `filtered()` is
_filtered_plans.sql.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from dashboard.state import Filters

LEVEL_ORDER = {"province": 1, "district": 2, "commune": 3, "department": 4, "unknown": 9}


@dataclass
class Frames:
    plans: pd.DataFrame  # plan_facts
    plan_channels: pd.DataFrame
    plan_themes: pd.DataFrame
    plan_responsibilities: pd.DataFrame
    plan_sources: pd.DataFrame
    codebook: pd.DataFrame
    province_names: pd.DataFrame  # code, short_name (legacy provinces)
    documents: pd.DataFrame

    def memory_mb(self) -> float:
        total = 0
        for f in fields(self):
            total += int(getattr(self, f.name).memory_usage(deep=True).sum())
        return total / 1_000_000


def load_frames(con: Any) -> Frames:
    def q(sql: str) -> pd.DataFrame:
        return con.execute(sql).df()

    return Frames(
        plans=q("SELECT * FROM plan_facts"),
        plan_channels=q(
            "SELECT plan_id, channel_id, group_id, label_vi, label_en FROM plan_channels"
        ),
        plan_themes=q("SELECT plan_id, theme_id, group_id, label_vi, label_en FROM plan_themes"),
        plan_responsibilities=q("SELECT plan_id, agency_id, role FROM plan_responsibilities"),
        plan_sources=q("SELECT plan_id, doc_id FROM plan_sources"),
        codebook=q("SELECT * FROM codebook"),
        province_names=q(
            "SELECT code, min(short_name) AS short_name FROM localities "
            "WHERE era = 'legacy' AND level = 'province' GROUP BY code"
        ),
        documents=q(
            "SELECT doc_id, relpath, title, kind, published_date, synthetic, plan_id, "
            "plan_number, issuer_name, text FROM documents"
        ),
    )


def _mask(series: pd.Series) -> np.ndarray:
    return series.fillna(False).to_numpy(dtype=bool)


def filtered(fr: Frames, f: Filters) -> pd.DataFrame:
    """_filtered_plans.sql: the plans passing the sidebar filters."""
    p = fr.plans
    keep = np.ones(len(p), dtype=bool)
    year = pd.to_numeric(p["plan_year"])
    if f.year_min is not None:
        keep &= _mask(year >= f.year_min)
    if f.year_max is not None:
        keep &= _mask(year <= f.year_max)
    for values, column in (
        (f.regions, "region_id"),
        (f.levels, "issuer_level"),
        (f.provinces, "province_code"),
        (f.kinds, "kind"),
    ):
        if values:
            keep &= _mask(p[column].isin(values))
    if f.channel_groups:
        pc = fr.plan_channels
        keep &= _mask(p["plan_id"].isin(pc.loc[pc["group_id"].isin(f.channel_groups), "plan_id"]))
    if f.themes:
        pt = fr.plan_themes
        keep &= _mask(p["plan_id"].isin(pt.loc[pt["theme_id"].isin(f.themes), "plan_id"]))
    return p[keep]


# --- Overview ----------------------------------------------------------------------------


def overview_counts(fr: Frames, f: Filters) -> pd.DataFrame:
    fp = filtered(fr, f)
    sources = fr.plan_sources
    placed = fp[fp["province_code"].notna()]
    localities = (
        placed["province_code"].astype(str)
        + "|"
        + placed["district_code"].fillna("").astype(str)
        + "|"
        + placed["commune_code"].fillna("").astype(str)
    )
    year = pd.to_numeric(fp["plan_year"])
    return pd.DataFrame(
        [
            {
                "n_plans": len(fp),
                "n_documents": sources.loc[
                    sources["plan_id"].isin(fp["plan_id"]), "doc_id"
                ].nunique(),
                "n_localities": localities.nunique(),
                "n_provinces": fp["province_code"].nunique(),
                "n_years": year.nunique(),
                "year_first": year.min(),
                "year_last": year.max(),
            }
        ]
    )


def coverage_level(fr: Frames, f: Filters) -> pd.DataFrame:
    fp = filtered(fr, f)
    out = (
        fp.assign(level=fp["issuer_level"].fillna("unknown"))
        .groupby("level", as_index=False)
        .agg(
            n_plans=("plan_id", "size"),
            n_documents=("n_sources", "sum"),
            n_provinces=("province_code", "nunique"),
        )
    )
    out["_order"] = out["level"].map(LEVEL_ORDER).fillna(5)
    return out.sort_values(["_order", "level"]).drop(columns="_order").reset_index(drop=True)


def plans_per_year(fr: Frames, f: Filters) -> pd.DataFrame:
    fp = filtered(fr, f)
    dated = fp[fp["plan_year"].notna()]
    return (
        dated.groupby(["plan_year", "kind"], as_index=False)
        .size()
        .rename(columns={"size": "n_plans"})
        .sort_values(["plan_year", "kind"])
    )


# --- by locality -------------------------------------------------------------------------


def _locality_totals(fr: Frames, fp: pd.DataFrame) -> pd.DataFrame:
    names = fr.province_names.rename(columns={"code": "province_code"})
    tot = fp[["plan_id", "province_code", "province_name"]].merge(
        names, on="province_code", how="left"
    )
    tot["locality_name"] = tot["short_name"].fillna(tot["province_name"])
    tot["province_code"] = tot["province_code"].fillna("")
    return tot.groupby("province_code", as_index=False).agg(
        locality_name=("locality_name", "min"), n_locality_plans=("plan_id", "nunique")
    )


def _keys(fr: Frames, category: str, level: str) -> pd.DataFrame:
    book = fr.codebook[fr.codebook["category"] == category]
    group_id = book["group_id"].fillna("other")
    if level == "group":
        return (
            book.assign(key_id=group_id, group_id=group_id)
            .groupby("key_id", as_index=False)
            .agg(
                group_id=("group_id", "first"),
                label_vi=("group_vi", "min"),
                label_en=("group_en", "min"),
            )
        )
    return pd.DataFrame(
        {
            "key_id": book["id"],
            "group_id": group_id,
            "label_vi": book["label_vi"],
            "label_en": book["label_en"],
        }
    )


def _used_by_locality(
    fr: Frames, fp: pd.DataFrame, per_plan: pd.DataFrame, id_col: str, level: str
) -> pd.DataFrame:
    j = fp[["plan_id", "province_code"]].merge(per_plan, on="plan_id")
    j["province_code"] = j["province_code"].fillna("")
    j["group_id"] = j["group_id"].fillna("other")
    j["key_id"] = j["group_id"] if level == "group" else j[id_col]
    return j.groupby(["province_code", "key_id", "group_id"], as_index=False).agg(
        n_plans=("plan_id", "nunique")
    )


def channels_by_locality(fr: Frames, f: Filters, level: str) -> pd.DataFrame:
    fp = filtered(fr, f)
    used = _used_by_locality(fr, fp, fr.plan_channels, "channel_id", level)
    labels = _keys(fr, "channel", level)[["key_id", "label_vi", "label_en"]]
    used = used.merge(labels, on="key_id", how="left")
    out = used.merge(_locality_totals(fr, fp), on="province_code")
    out["share"] = out["n_plans"] / out["n_locality_plans"]
    return out.sort_values(
        ["n_locality_plans", "locality_name", "province_code", "key_id"],
        ascending=[False, True, True, True],
    ).reset_index(drop=True)


def _heatmap(
    fr: Frames, f: Filters, category: str, per_plan: pd.DataFrame, id_col: str, level: str
) -> pd.DataFrame:
    fp = filtered(fr, f)
    tot = _locality_totals(fr, fp)
    keys = _keys(fr, category, level)
    used = _used_by_locality(fr, fp, per_plan, id_col, level)[
        ["province_code", "key_id", "n_plans"]
    ]
    grid = tot.merge(keys, how="cross").merge(used, on=["province_code", "key_id"], how="left")
    grid["n_plans"] = grid["n_plans"].fillna(0).astype("int64")
    grid["share"] = grid["n_plans"] / grid["n_locality_plans"]
    return grid.sort_values(
        ["n_locality_plans", "locality_name", "province_code", "key_id"],
        ascending=[False, True, True, True],
    ).reset_index(drop=True)


def category_heatmap(fr: Frames, f: Filters, facet: str, level: str) -> pd.DataFrame:
    if facet == "channel":
        return _heatmap(fr, f, "channel", fr.plan_channels, "channel_id", level)
    return _heatmap(fr, f, "theme", fr.plan_themes, "theme_id", level)


# --- Responsibilities, Timeline ------------------------------------------------------------


def responsibilities_by_level(fr: Frames, f: Filters) -> pd.DataFrame:
    fp = filtered(fr, f)
    levels = fp[["plan_id"]].assign(issuer_level=fp["issuer_level"].fillna("unknown"))
    used = (
        levels.merge(fr.plan_responsibilities, on="plan_id")
        .groupby(["issuer_level", "agency_id", "role"], as_index=False)
        .agg(n_plans=("plan_id", "nunique"))
    )
    tot = levels.groupby("issuer_level", as_index=False).agg(n_level_plans=("plan_id", "nunique"))
    book = fr.codebook
    agencies = book.loc[book["category"] == "agency", ["id", "label_vi", "label_en"]].rename(
        columns={"id": "agency_id", "label_vi": "agency_label_vi", "label_en": "agency_label_en"}
    )
    roles = book.loc[book["category"] == "role", ["id", "label_vi", "label_en"]].rename(
        columns={"id": "role", "label_vi": "role_label_vi", "label_en": "role_label_en"}
    )
    out = used.merge(tot, on="issuer_level").merge(agencies, on="agency_id", how="left")
    out = out.merge(roles, on="role", how="left")
    out["agency_label_vi"] = out["agency_label_vi"].fillna("Cơ quan khác")
    out["agency_label_en"] = out["agency_label_en"].fillna("Other agency")
    out["share"] = out["n_plans"] / out["n_level_plans"]
    return out.sort_values(["issuer_level", "agency_id", "role"]).reset_index(drop=True)


def adoption_by_year(fr: Frames, f: Filters, category: str) -> pd.DataFrame:
    fp = filtered(fr, f)
    dated = fp.loc[fp["plan_year"].notna(), ["plan_id", "plan_year"]]
    tot = dated.groupby("plan_year", as_index=False).agg(n_year_plans=("plan_id", "nunique"))
    keys = _keys(fr, category, "id").assign(category=category)
    per_plan, id_col = (
        (fr.plan_channels, "channel_id") if category == "channel" else (fr.plan_themes, "theme_id")
    )
    used = (
        dated.merge(per_plan[["plan_id", id_col]], on="plan_id")
        .groupby(["plan_year", id_col], as_index=False)
        .agg(n_plans=("plan_id", "nunique"))
        .rename(columns={id_col: "key_id"})
    )
    grid = tot.merge(keys, how="cross").merge(used, on=["plan_year", "key_id"], how="left")
    grid["n_plans"] = grid["n_plans"].fillna(0).astype("int64")
    grid["share"] = grid["n_plans"] / grid["n_year_plans"]
    return grid.sort_values(["plan_year", "key_id"]).reset_index(drop=True)


# --- Documents -----------------------------------------------------------------------------


def _fold_table() -> dict[int, str | None]:
    """Per character, as DuckDB's lower(strip_accents(replace(đ -> d))) before lowercasing:
    letters with diacritics -> their base letter, combining marks removed, đ/Đ -> d/D."""
    table: dict[int, str | None] = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        if len(decomposed) > 1 and not unicodedata.combining(decomposed[0]):
            table[cp] = decomposed[0]
    for cp in range(0x300, 0x370):
        table[cp] = None
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


FOLD = _fold_table()
_SPACES = re.compile(r"\s+")


def _fold(series: pd.Series) -> pd.Series:
    return series.str.translate(FOLD).str.lower()


def documents_search(fr: Frames, f: Filters, text: str | None, limit: int) -> pd.DataFrame:
    fp = filtered(fr, f)
    raw = unicodedata.normalize("NFC", (text or "").strip()).replace("đ", "d").replace("Đ", "D")
    needle = _SPACES.sub(" ", raw.translate(FOLD).lower())
    plan_cols = [
        "plan_id",
        "plan_number",
        "plan_year",
        "issue_date",
        "issuer_level",
        "issuer_name",
        "province_code",
        "province_name",
        "district_name",
    ]
    docs = fr.documents.merge(fp[plan_cols], on="plan_id", suffixes=("", "_plan"))
    meta = (
        docs[
            [
                "title",
                "plan_number",
                "plan_number_plan",
                "issuer_name",
                "issuer_name_plan",
                "relpath",
            ]
        ]
        .fillna("")
        .astype(str)
        .agg(" ".join, axis=1)
    )
    flat = docs["text"].str.replace(r"\s+", " ", regex=True)
    if needle:
        text_pos = _fold(flat).str.find(needle) + 1
        meta_hit = _fold(meta.str.replace(r"\s+", " ", regex=True)).str.contains(
            needle, regex=False
        )
        hit = _mask(meta_hit) | (text_pos.to_numpy() > 0)
    else:
        text_pos = pd.Series(0, index=docs.index)
        hit = np.ones(len(docs), dtype=bool)
    hits = docs[hit].assign(
        _pos=text_pos[hit], _flat=flat[hit], _date=docs["published_date"].fillna(docs["issue_date"])
    )
    top = hits.sort_values(["_date", "relpath"], ascending=[False, True], na_position="last").head(
        int(limit)
    )
    top = top.assign(
        plan_number=top["plan_number"].fillna(top["plan_number_plan"]),
        issuer_name=top["issuer_name"].fillna(top["issuer_name_plan"]),
        snippet=[
            flat_text[max(pos - 81, 0) : max(pos - 81, 0) + 80 + len(needle) + 120]
            if pos > 0
            else None
            for flat_text, pos in zip(top["_flat"], top["_pos"], strict=True)
        ],
        n_total=len(hits),
    )
    return top.drop(
        columns=["_pos", "_flat", "_date", "text", "plan_number_plan", "issuer_name_plan"]
    )


EQUIVALENTS: dict[str, Callable[..., pd.DataFrame]] = {
    "overview_counts": overview_counts,
    "coverage_level": coverage_level,
    "plans_per_year": plans_per_year,
    "channels_by_locality": channels_by_locality,
    "category_heatmap": category_heatmap,
    "responsibilities_by_level": responsibilities_by_level,
    "adoption_by_year": adoption_by_year,
    "documents_search": documents_search,
}
