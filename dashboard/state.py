"""What the user is looking at: the sidebar filters and the language, kept in the URL.

The URL is the source of a view: `?y0=2020&y1=2023&region=mekong_delta&level=district,commune
&province=87&group=digital&theme=procedure_reform&kind=plan&lang=en` (lists comma-separated).
Every value is checked against the values the warehouse allows (`filter_values.sql`):
unknown values are dropped, never passed to SQL as text. Years outside the warehouse's range
are clamped; a bound equal to the first or last year is no bound (undated plans are kept only
while the year range is not narrowed).

The sidebar widgets are seeded from the URL at the start of a session (or when the URL was
changed from outside), and every run writes the canonical URL back, so a copied URL reopens
the same view on any page. Pages call `current_filters()` and `current_lang()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from dashboard import queries

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
# Filters field -> URL key (lists are comma-separated in the URL).
LIST_KEYS: dict[str, str] = {
    "regions": "region",
    "levels": "level",
    "provinces": "province",
    "channel_groups": "group",
    "themes": "theme",
    "kinds": "kind",
}
YEAR_KEYS = ("y0", "y1")
LANG_KEY = "lang"
URL_KEYS = (*YEAR_KEYS, *LIST_KEYS.values(), LANG_KEY)

# session_state keys
_WIDGET = {name: f"flt_{url}" for name, url in LIST_KEYS.items()}
_YEARS_WIDGET = "flt_years"
_LANG_WIDGET = "ui_lang"
_FILTERS = "_cchc_filters"
_URL_SNAPSHOT = "_cchc_url"


@dataclass(frozen=True)
class Filters:
    """The sidebar filters; hashable, so it can key caches. Empty tuple / None = no filter."""

    year_min: int | None = None
    year_max: int | None = None
    regions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    channel_groups: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == Filters()

    def n_active(self) -> int:
        years = int(self.year_min is not None or self.year_max is not None)
        return years + sum(1 for name in LIST_KEYS if getattr(self, name))


@dataclass(frozen=True)
class Allowed:
    """The values each filter may take in this warehouse, in display order, with labels."""

    years: tuple[int, ...] = ()
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # URL key -> values
    labels: Mapping[tuple[str, str], tuple[str | None, str | None]] = field(
        default_factory=dict
    )  # (URL key, value) -> (vi, en) from the warehouse

    def options(self, url_key: str) -> tuple[str, ...]:
        return tuple(self.values.get(url_key, ()))

    def label(self, url_key: str, value: str, lang: str) -> str | None:
        vi, en = self.labels.get((url_key, value), (None, None))
        return (en or vi) if lang == "en" else (vi or en)


# --- pure parsing --------------------------------------------------------------------------


def allowed_from_frame(frame: Any) -> Allowed:
    """Allowed values from the rows of filter_values.sql (field, value, label_vi, label_en)."""
    years: list[int] = []
    values: dict[str, list[str]] = {}
    labels: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for row in frame.itertuples(index=False):
        fld, value = str(row.field), str(row.value)
        if fld == "year":
            try:
                years.append(int(value))
            except ValueError:
                continue
            continue
        values.setdefault(fld, []).append(value)
        vi = row.label_vi if isinstance(row.label_vi, str) else None
        en = row.label_en if isinstance(row.label_en, str) else None
        labels[(fld, value)] = (vi, en)
    return Allowed(
        years=tuple(sorted(set(years))),
        values={key: tuple(dict.fromkeys(vals)) for key, vals in values.items()},
        labels=labels,
    )


def _raw(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _year(text: str) -> int | None:
    text = text.strip()
    if not text or len(text) > 6 or not text.lstrip("-").isdigit():
        return None
    return int(text)


def clean_list(values: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Keep the allowed values, once each, in the allowed order."""
    wanted = {str(v).strip() for v in values or () if isinstance(v, str)}
    return tuple(v for v in allowed if v in wanted)


def clean_years(
    year_min: int | None, year_max: int | None, years: tuple[int, ...]
) -> tuple[int | None, int | None]:
    """Clamp to the warehouse's years; a bound at the first/last year is no bound."""
    if not years:
        return None, None
    first, last = years[0], years[-1]
    lo = None if year_min is None else min(max(year_min, first), last)
    hi = None if year_max is None else min(max(year_max, first), last)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return (None if lo == first else lo), (None if hi == last else hi)


def parse_filters(params: Mapping[str, Any], allowed: Allowed) -> Filters:
    """Filters from URL parameters, keeping only the values the warehouse allows."""
    lists = {
        name: clean_list(_raw(params, url).split(","), allowed.options(url))
        for name, url in LIST_KEYS.items()
    }
    lo, hi = clean_years(_year(_raw(params, "y0")), _year(_raw(params, "y1")), allowed.years)
    return Filters(year_min=lo, year_max=hi, **lists)


def parse_lang(params: Mapping[str, Any]) -> str:
    value = _raw(params, LANG_KEY).strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def filters_to_params(filters: Filters) -> dict[str, str]:
    """The URL parameters of `filters` (only the active ones), lists comma-separated."""
    out: dict[str, str] = {}
    if filters.year_min is not None:
        out["y0"] = str(filters.year_min)
    if filters.year_max is not None:
        out["y1"] = str(filters.year_max)
    for name, url in LIST_KEYS.items():
        values = getattr(filters, name)
        if values:
            out[url] = ",".join(values)
    return out


def view_params(filters: Filters, lang: str) -> dict[str, str]:
    out = filters_to_params(filters)
    if lang != DEFAULT_LANG:
        out[LANG_KEY] = lang
    return out


# --- Streamlit side ------------------------------------------------------------------------


def allowed_values() -> Allowed:
    """The allowed filter values of the current warehouse (empty when it cannot be read)."""
    try:
        frame = queries.load_raw("filter_values")
    except (FileNotFoundError, queries.QueryError):
        return Allowed()
    return allowed_from_frame(frame)


def _url_params() -> dict[str, str]:
    return {key: st.query_params.get(key, "") for key in URL_KEYS if key in st.query_params}


def current_lang() -> str:
    """'vi' or 'en': the language switch, else the URL's lang, else Vietnamese."""
    value = st.session_state.get(_LANG_WIDGET)
    if value in LANGS:
        return str(value)
    return parse_lang(_url_params())


def current_filters() -> Filters:
    """The filters of this run (set by the sidebar), else those of the URL."""
    value = st.session_state.get(_FILTERS)
    if isinstance(value, Filters):
        return value
    return parse_filters(_url_params(), allowed_values())


def _seed(allowed: Allowed) -> None:
    """Set the widgets' values from the URL."""
    params = _url_params()
    filters = parse_filters(params, allowed)
    for name, key in _WIDGET.items():
        st.session_state[key] = list(getattr(filters, name))
    if allowed.years:
        st.session_state[_YEARS_WIDGET] = (
            filters.year_min if filters.year_min is not None else allowed.years[0],
            filters.year_max if filters.year_max is not None else allowed.years[-1],
        )
    st.session_state[_LANG_WIDGET] = parse_lang(params)


def sync_from_url(allowed: Allowed) -> None:
    """Seed the widgets from the URL at the start of a session, or when the URL was changed
    from outside (it differs from what the last run wrote and is not merely emptied by a page
    switch). Call at the top of app.py, before current_lang()."""
    url = _url_params()
    written = st.session_state.get(_URL_SNAPSHOT)
    first = _LANG_WIDGET not in st.session_state
    changed = written is not None and bool(url) and url != written
    if first or changed:
        _seed(allowed)


def reset_filters() -> None:
    """Widget callback: clear every filter (the language stays)."""
    for key in _WIDGET.values():
        st.session_state[key] = []
    st.session_state.pop(_YEARS_WIDGET, None)


def filters_from_widgets(allowed: Allowed) -> Filters:
    lists = {
        name: clean_list(st.session_state.get(key) or [], allowed.options(LIST_KEYS[name]))
        for name, key in _WIDGET.items()
    }
    years = st.session_state.get(_YEARS_WIDGET)
    lo = hi = None
    if isinstance(years, (tuple, list)) and len(years) == 2:
        lo, hi = clean_years(int(years[0]), int(years[1]), allowed.years)
    return Filters(year_min=lo, year_max=hi, **lists)


def write_url(filters: Filters, lang: str) -> None:
    """Make the URL say exactly this view (other parameters, e.g. doc=, are kept)."""
    wanted = view_params(filters, lang)
    for key in URL_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[_URL_SNAPSHOT] = wanted
    st.session_state[_FILTERS] = filters


def language_switch() -> str:
    """The language radio (sidebar); returns the language of this run."""
    from dashboard.i18n import t

    if st.session_state.get(_LANG_WIDGET) not in LANGS:
        st.session_state[_LANG_WIDGET] = DEFAULT_LANG
    names = {"vi": "Tiếng Việt", "en": "English"}
    st.sidebar.radio(
        t("lang.label"),
        LANGS,
        key=_LANG_WIDGET,
        format_func=lambda code: names[code],
        horizontal=True,
    )
    return current_lang()


def filter_sidebar(allowed: Allowed) -> Filters:
    """Draw the filters in the sidebar and return them (validated)."""
    from dashboard.i18n import group_label, label, t

    lang = current_lang()
    side = st.sidebar
    side.header(t("filters.header"))

    if len(allowed.years) >= 2:
        first, last = allowed.years[0], allowed.years[-1]
        current = st.session_state.get(_YEARS_WIDGET)
        if not (
            isinstance(current, (tuple, list))
            and len(current) == 2
            and first <= int(current[0]) <= int(current[1]) <= last
        ):
            st.session_state[_YEARS_WIDGET] = (first, last)
        side.slider(
            t("filters.years"),
            min_value=first,
            max_value=last,
            step=1,
            key=_YEARS_WIDGET,
            help=t("filters.years_help"),
        )
    elif allowed.years:
        side.caption(t("filters.one_year", year=allowed.years[0]))

    formats: dict[str, Callable[[str], str]] = {
        "regions": lambda v: label("region", v),
        "levels": lambda v: label("level", v),
        "provinces": lambda v: allowed.label("province", v, lang) or v,
        "channel_groups": lambda v: group_label("channel", v),
        "themes": lambda v: label("theme", v),
        "kinds": lambda v: label("kind", v),
    }
    for name, url_key in LIST_KEYS.items():
        key = _WIDGET[name]
        options = allowed.options(url_key)
        current = st.session_state.get(key) or []
        st.session_state[key] = [v for v in current if v in options]
        side.multiselect(
            t(f"filters.{url_key}"),
            options,
            key=key,
            format_func=formats[name],
            placeholder=t("filters.placeholder"),
        )

    filters = filters_from_widgets(allowed)
    if not filters.is_empty():
        side.button(
            t("filters.reset"),
            on_click=reset_filters,
            icon=":material/filter_alt_off:",
            key="flt_reset",
        )
    return filters
