"""Compare: 2-4 provinces side by side, or one province in 2-4 plan years: channel groups and
themes (grouped or mirrored bars), the six reform areas (radar), what one has and the others
lack, who leads and coordinates, and the gaps against a baseline (the national profile of the
same years, or the locality's previous plan; and what most plans of the same level have).

Presentation mode for trainers (`present=1`): no sidebar, large type, one chart per screen with
Previous/Next. The view is in the URL: `by` (loc | year), `loc` (province codes), `years` (in
mode 'year'), `base` (national | previous), `mirror=1`, `present=1` and `slide` (1-based), so
`?present=1&loc=01,79` opens straight into a presentation. Charts save as PNG from their
toolbar; the comparison downloads as CSV (UTF-8 with BOM).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components, queries, state
from dashboard.charts import compare as charts
from dashboard.i18n import place, place_in, t, translate
from dashboard.state import current_filters, current_lang

MODES = ("loc", "year")
BASELINES = ("national", "previous")
SLIDES = ("channels", "themes", "radar", "unique", "agencies", "gaps")
MAX = charts.MAX_ENTITIES
KEYS = {
    "by": "cmp_by",
    "loc": "cmp_loc",
    "one": "cmp_one",
    "years": "cmp_years",
    "base": "cmp_base",
    "mirror": "cmp_mirror",
    "present": "cmp_present",
}
SLIDE = "_cmp_slide"
MEMORY = "_compare_view"
URL_KEYS = ("by", "loc", "years", "base", "mirror", "present", "slide")
PRESENT_FONT = 20
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 1rem 3rem 2rem 3rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"],
.stButton button p, [data-testid="stTable"] td, [data-testid="stTable"] th {
    font-size: 1.45rem !important; line-height: 1.5 !important; }
h1 { font-size: 2.8rem !important; }
h2, h3 { font-size: 2.1rem !important; }
</style>
"""

filters = current_filters()
lang = current_lang()
allowed = state.allowed_values()
base_filters = replace(filters, provinces=())  # the compared provinces replace the filter


def tr(key: str, **fmt: Any) -> str:
    """t() in this run's language, for widgets' format functions (they may be called
    outside the run, e.g. by AppTest)."""
    return translate(key, lang, **fmt)


# --- the view: URL <-> widgets ---------------------------------------------------------------


def _param(key: str) -> str:
    value = st.query_params.get(key)
    return str(value).strip() if value is not None else ""


def parse_codes(text: str) -> list[str]:
    wanted = [v.strip() for v in text.split(",") if v.strip()]
    options = set(allowed.options("province"))
    return list(dict.fromkeys(v for v in wanted if v in options))[:MAX]


def parse_years(text: str) -> list[int]:
    years = set(allowed.years)
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if part.isdigit() and int(part) in years and int(part) not in out:
            out.append(int(part))
    return sorted(out)[:MAX]


def view_from_url(default_codes: list[str]) -> dict[str, Any]:
    """The view a URL describes (checked values; defaults where it says nothing)."""
    codes = parse_codes(_param("loc"))
    years = parse_years(_param("years"))
    by = _param("by")
    if by not in MODES:
        by = "year" if len(codes) == 1 and len(years) >= 2 else "loc"
    slide = _param("slide")
    return {
        "by": by,
        "loc": codes if (codes and by == "loc") else (codes or default_codes)[:MAX],
        "one": codes[0] if codes else (default_codes[0] if default_codes else None),
        "years": years,
        "base": _param("base") if _param("base") in BASELINES else "national",
        "mirror": _param("mirror") == "1",
        "present": _param("present") == "1",
        "slide": int(slide) - 1 if slide.isdigit() and 1 <= int(slide) <= len(SLIDES) else 0,
    }


def seed_view(default_codes: list[str]) -> dict[str, Any]:
    """Seed the widgets missing from the session: from this session's last view of the page,
    else (first visit) from the URL."""
    memory = st.session_state.get(MEMORY)
    if not isinstance(memory, dict):
        memory = view_from_url(default_codes)
        st.session_state[MEMORY] = memory
    for name, key in KEYS.items():
        if key not in st.session_state:
            st.session_state[key] = memory[name]
    if SLIDE not in st.session_state:
        st.session_state[SLIDE] = memory["slide"]
    return memory


def write_view(view: dict[str, Any]) -> None:
    codes = view["loc"] if view["by"] == "loc" else [c for c in [view["one"]] if c]
    wanted: dict[str, str | None] = {
        "by": view["by"],
        "loc": ",".join(codes) or None,
        "years": ",".join(str(y) for y in view["years"]) if view["by"] == "year" else None,
        "base": view["base"],
        "mirror": "1" if view["mirror"] else None,
        "present": "1" if view["present"] else None,
        "slide": str(view["slide"] + 1) if view["present"] else None,
    }
    for key in URL_KEYS:
        value = wanted.get(key)
        if value is None or value == "":
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state[MEMORY] = view


def step(delta: int) -> None:
    st.session_state[SLIDE] = (int(st.session_state.get(SLIDE, 0)) + delta) % len(SLIDES)


# --- data -------------------------------------------------------------------------------------


def province_choices() -> tuple[list[str], dict[str, str]]:
    """Provinces with filtered plans (most plans first) and their picker labels."""
    frame = queries.load("localities", base_filters)
    frame = frame[frame["province_code"] != ""].sort_values(
        ["n_plans", "locality_name"], ascending=[False, True]
    )
    labels = {
        str(r["province_code"]): t(
            "compare_page.option", name=place(r["locality_name"]), n=int(r["n_plans"])
        )
        for r in frame.to_dict("records")
    }
    return list(labels), labels


def province_label(code: str, labels: dict[str, str]) -> str:
    if code in labels:
        return labels[code]
    return tr(
        "compare_page.option",
        name=place_in(allowed.label("province", code, "vi") or code, lang),
        n=0,
    )


def slug(view: dict[str, Any]) -> str:
    if view["by"] == "year":
        return f"{view['one']}-" + "-".join(str(y) for y in view["years"])
    return "-".join(view["loc"])


# --- page --------------------------------------------------------------------------------------

codes_with_plans, province_labels = province_choices()
view = seed_view(codes_with_plans[:2])

present_now = bool(st.session_state.get(KEYS["present"]))
if present_now:
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)

if not present_now:
    st.title(t("compare_page.title"))
    st.caption(t("compare_page.intro"))

controls = st.container(border=not present_now)
with controls:
    if present_now:
        top = st.columns([4, 1.3], vertical_alignment="center")
        top[1].toggle(t("compare_page.present"), key=KEYS["present"])
        setup = st.expander(t("compare_page.setup"), expanded=False)
    else:
        setup = st.container()
    with setup:
        c_by, c_pick, c_base = st.columns([1.3, 3, 1.5])
        by = c_by.radio(
            t("compare_page.by"),
            MODES,
            key=KEYS["by"],
            format_func=lambda m: tr(f"compare_page.by_{m}"),
        )
        if by == "loc":
            options = codes_with_plans + [
                c for c in st.session_state.get(KEYS["loc"]) or [] if c not in codes_with_plans
            ]
            st.session_state[KEYS["loc"]] = [
                c for c in st.session_state.get(KEYS["loc"]) or [] if c in options
            ][:MAX]
            c_pick.multiselect(
                t("compare_page.localities"),
                options,
                key=KEYS["loc"],
                max_selections=MAX,
                format_func=lambda c: province_label(c, province_labels),
                placeholder=t("compare_page.localities_placeholder"),
                help=t("compare_page.localities_help", n=MAX),
            )
        else:
            one_options = codes_with_plans + [
                c for c in [st.session_state.get(KEYS["one"])] if c and c not in codes_with_plans
            ]
            if st.session_state.get(KEYS["one"]) not in one_options:
                st.session_state[KEYS["one"]] = one_options[0] if one_options else None
            p1, p2 = c_pick.columns(2)
            one = p1.selectbox(
                t("compare_page.locality"),
                one_options,
                key=KEYS["one"],
                format_func=lambda c: province_label(c, province_labels),
                placeholder=t("compare_page.localities_placeholder"),
            )
            year_frame = (
                queries.load("compare_entities", base_filters, "year", [one], [])
                if one
                else pd.DataFrame(columns=["entity", "n_plans"])
            )
            year_labels = {
                int(r["entity"]): t("compare_page.year_option", year=r["entity"], n=r["n_plans"])
                for r in year_frame.to_dict("records")
            }
            year_options = sorted(set(year_labels) | set(st.session_state.get(KEYS["years"]) or []))
            st.session_state[KEYS["years"]] = sorted(
                y for y in st.session_state.get(KEYS["years"]) or [] if y in year_options
            )[:MAX]
            if not st.session_state[KEYS["years"]]:
                st.session_state[KEYS["years"]] = sorted(year_labels)[-2:]
            p2.multiselect(
                t("compare_page.years"),
                year_options,
                key=KEYS["years"],
                max_selections=MAX,
                format_func=lambda y: year_labels.get(
                    y, tr("compare_page.year_option", year=y, n=0)
                ),
                placeholder=t("compare_page.years_placeholder"),
                help=t("compare_page.years_help", n=MAX),
            )
        c_base.radio(
            t("compare_page.baseline"),
            BASELINES,
            key=KEYS["base"],
            format_func=lambda b: tr(f"compare_page.base_{b}"),
            help=t("compare_page.baseline_help"),
        )
        o1, o2 = st.columns(2)
        o1.toggle(t("compare_page.mirror"), key=KEYS["mirror"], help=t("compare_page.mirror_help"))
        if not present_now:
            o2.toggle(
                t("compare_page.present"),
                key=KEYS["present"],
                help=t("compare_page.present_help"),
            )

view = {
    "by": by,
    "loc": list(st.session_state.get(KEYS["loc"]) or []) if by == "loc" else view["loc"],
    "one": st.session_state.get(KEYS["one"]) if by == "year" else view.get("one"),
    "years": list(st.session_state.get(KEYS["years"]) or []) if by == "year" else view["years"],
    "base": st.session_state.get(KEYS["base"], "national"),
    "mirror": bool(st.session_state.get(KEYS["mirror"])),
    "present": bool(st.session_state.get(KEYS["present"])),
    "slide": int(st.session_state.get(SLIDE, 0)) % len(SLIDES),
}
if by == "loc" and not view["one"] and view["loc"]:
    view["one"] = view["loc"][0]
write_view(view)

if by == "loc":
    mode_codes: list[str] = view["loc"]
    mode_years: list[int] = []
    if not mode_codes:
        st.info(t("compare_page.pick_localities", n=MAX), icon=":material/touch_app:")
        st.stop()
else:
    mode_codes = [view["one"]] if view["one"] else []
    mode_years = view["years"]
    if not mode_codes or not mode_years:
        st.info(t("compare_page.pick_years", n=MAX), icon=":material/touch_app:")
        st.stop()

entities = queries.load("compare_entities", base_filters, by, mode_codes, mode_years)
if entities.empty:
    components.empty_state("compare_page.empty")
    st.stop()

names = charts.entity_names(entities, by, lang)
# keep the order the user chose
if by == "loc":
    names = {c: names[c] for c in mode_codes if c in names}
else:
    names = {str(y): names[str(y)] for y in mode_years if str(y) in names}
place_name = place(entities["name_vi"].iloc[0]) if lang == "vi" else entities["name_en"].iloc[0]
suffix = f" — {place_name}" if by == "year" else ""
if len(names) < 2:
    st.caption(t("compare_page.only_one"))

# --- the numbers ---
args = (by, mode_codes, mode_years)
channels_group = queries.load("compare_channels", base_filters, *args, "group")
channels_id = queries.load("compare_channels", base_filters, *args, "channel")
themes_id = queries.load("compare_themes", base_filters, *args, "theme")
agencies = queries.load("compare_agencies", base_filters, *args)
profile = queries.load("compare_profile", base_filters, *args)
first = (
    int(pd.to_numeric(entities["year_first"]).min())
    if entities["year_first"].notna().any()
    else None
)
last = (
    int(pd.to_numeric(entities["year_last"]).max()) if entities["year_last"].notna().any() else None
)
base_years = (
    mode_years
    if by == "year"
    else (list(range(first, last + 1)) if first is not None and last is not None else [])
)
national = queries.load("baseline_national", base_filters, base_years)
levels = queries.load("baseline_level", base_filters, base_years)
nat_channels = national[(national["category"] == "channel") & (national["level"] == "group")]
nat_themes = national[(national["category"] == "theme") & (national["level"] == "id")]
show_national = view["base"] == "national"
font = PRESENT_FONT if view["present"] else None
export = f"cchc-compare-{slug(view)}"

figs = {
    "channels": charts.grouped_bars(
        channels_group,
        lang=lang,
        names=names,
        category="channel",
        level="group",
        mode=by,
        baseline=nat_channels if show_national else None,
        mirrored=view["mirror"],
        font_size=font,
        title_suffix=suffix,
    ),
    "themes": charts.grouped_bars(
        themes_id,
        lang=lang,
        names=names,
        category="theme",
        level="theme",
        mode=by,
        baseline=nat_themes if show_national else None,
        mirrored=view["mirror"],
        font_size=font,
        title_suffix=suffix,
    ),
    "radar": charts.radar(
        themes_id,
        lang=lang,
        names=names,
        baseline=nat_themes if show_national else None,
        font_size=font,
        title_suffix=suffix,
    ),
}
unique = charts.unique_items(channels_id, themes_id, lang=lang, names=names)
agency_table = charts.agencies_table(agencies, lang=lang, names=names)
gaps = charts.level_gaps(profile, levels, lang=lang, names=names)
if show_national:
    profile_ids = pd.concat(
        [channels_id.assign(category="channel"), themes_id.assign(category="theme")],
        ignore_index=True,
    )
    baseline_table = charts.baseline_national_table(profile_ids, national, lang=lang, names=names)
else:
    previous = queries.load("baseline_previous", base_filters, *args)
    baseline_table = charts.baseline_previous_table(previous, lang=lang, names=names)

titles = {s: t(f"compare_page.slide_{s}") for s in SLIDES}


def draw_table(frame: pd.DataFrame, empty_key: str, *, big: bool = False) -> None:
    if frame.empty:
        st.caption(t(empty_key))
    elif big:
        st.table(frame.set_index(frame.columns[0]))
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


def draw_slide(name: str, *, big: bool) -> None:
    if name in figs:
        fig = figs[name]
        if big:
            fig.update_layout(height=max(int(fig.layout.height or 0), 640))
        components.chart(fig, key=f"cmp_{name}", export_name=f"{export}-{name}", selectable=False)
    elif name == "unique":
        if len(names) < 2:
            st.caption(t("compare_page.only_one"))
        else:
            draw_table(unique, "compare_page.unique_none", big=big)
    elif name == "agencies":  # long lists of agencies: a table that wraps its text
        draw_table(agency_table, "compare_page.agencies_none", big=True)
    elif name == "gaps":
        st.caption(t("compare_page.gaps_help", pct=f"{charts.GAP_THRESHOLD:.0%}"))
        draw_table(gaps, "compare_page.gaps_none", big=big)


if view["present"]:
    index = view["slide"]
    with top[0]:
        st.markdown(f"## {components.md_escape(', '.join(names.values()) + suffix)}")
    nav = st.columns([1, 3, 1], vertical_alignment="center")
    nav[0].button(
        t("compare_page.previous"),
        on_click=step,
        args=(-1,),
        icon=":material/arrow_back:",
        key="cmp_prev",
        width="stretch",
    )
    nav[1].markdown(
        t("compare_page.slide_of", i=index + 1, n=len(SLIDES), title=titles[SLIDES[index]])
    )
    nav[2].button(
        t("compare_page.next"),
        on_click=step,
        args=(1,),
        icon=":material/arrow_forward:",
        key="cmp_next",
        width="stretch",
    )
    draw_slide(SLIDES[index], big=True)
    st.stop()

# --- normal mode: everything, one section after the other ---
summary = ", ".join(
    t("compare_page.summary_item", name=names.get(str(r["entity"]), r["entity"]), n=r["n_plans"])
    for r in entities.to_dict("records")
    if str(r["entity"]) in names
)
st.markdown(f"**{t('compare_page.compared')}** {components.md_escape(summary)}{suffix}")
if show_national:
    st.caption(
        t(
            "compare_page.national_note",
            n=int(national["n_total"].iloc[0]) if not national.empty else 0,
            years=(f"{base_years[0]}–{base_years[-1]}" if base_years else "–"),
        )
    )
st.caption(t("compare_page.export_help"))

left, right = st.columns(2)
with left:
    draw_slide("channels", big=False)
with right:
    draw_slide("radar", big=False)
draw_slide("themes", big=False)
st.subheader(titles["agencies"])
draw_slide("agencies", big=False)
st.subheader(titles["unique"])
draw_slide("unique", big=False)

st.subheader(t(f"compare_page.baseline_{view['base']}"))
draw_table(baseline_table, "compare_page.baseline_none")
st.subheader(titles["gaps"])
draw_slide("gaps", big=False)

csv = charts.comparison_frame(channels_group, themes_id, national, lang=lang, names=names)
st.download_button(
    t("compare_page.csv"),
    data=charts.csv_bytes(csv),
    file_name=f"{export}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="cmp_csv",
)
