"""Documents: search the sources, open one to read its text with every fact highlighted."""

from __future__ import annotations

import re

import streamlit as st

from dashboard import components, queries
from dashboard.i18n import label, number, place, t
from dashboard.state import current_filters, current_lang

MAX_RESULTS = 200
DOC_ID = re.compile(r"[0-9a-f]{64}")

filters = current_filters()
lang = current_lang()

st.title(t("documents.title"))
st.caption(t("documents.caption"))

# --- search --------------------------------------------------------------------------------
if "doc_q" not in st.session_state:
    st.session_state["doc_q"] = str(st.query_params.get("q", ""))[:200]
query = st.text_input(
    t("documents.search"),
    key="doc_q",
    max_chars=200,
    placeholder=t("documents.search_placeholder"),
    help=t("documents.search_help"),
).strip()
if query and st.query_params.get("q") != query:
    st.query_params["q"] = query
elif not query and "q" in st.query_params:
    del st.query_params["q"]

results = queries.load("documents_search", filters, query, MAX_RESULTS)
if results.empty:
    components.empty_state("empty.search" if query else "empty.filters")
else:
    total = int(results["n_total"].iloc[0])
    if total > len(results):
        st.caption(t("documents.results_capped", n=total, shown=len(results)))
    else:
        st.caption(t("documents.results", n=total))
    st.dataframe(
        components.documents_frame(results),
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(results)),
    )

# --- the open document ---------------------------------------------------------------------
requested = str(st.query_params.get("doc", "")).strip().lower()
requested = requested if DOC_ID.fullmatch(requested) else ""
names = {row["doc_id"]: components.document_label(row) for row in results.to_dict("records")}
options = list(names)
if requested and requested not in names:
    extra = queries.load_raw("document_text", requested)
    if extra.empty:
        st.warning(t("documents.not_found", doc=requested), icon=":material/search_off:")
        requested = ""
    else:
        names[requested] = components.document_label(extra.iloc[0].to_dict())
        options.insert(0, requested)

choice = st.selectbox(
    t("documents.pick"),
    options,
    index=options.index(requested) if requested else None,
    format_func=lambda doc_id: names.get(doc_id, doc_id),
    placeholder=t("documents.pick_placeholder"),
)
if choice and choice != st.query_params.get("doc"):
    st.query_params["doc"] = choice
elif not choice and "doc" in st.query_params:
    del st.query_params["doc"]


def _open(doc_id: str) -> None:
    st.query_params["doc"] = doc_id


opened = queries.load_raw("document_text", choice) if choice else None
if opened is not None and opened.empty:
    st.warning(t("documents.not_found", doc=choice), icon=":material/search_off:")
elif opened is not None and choice:
    doc = opened.iloc[0].to_dict()
    facts = queries.load_raw("document_facts", choice)

    st.header(components.md_escape(doc.get("title") or doc.get("relpath")), divider="gray")
    if doc.get("synthetic"):
        st.badge(t("documents.synthetic"), icon=":material/science:", color="orange")

    text_col, side_col = st.columns([3, 2], gap="large")
    with text_col:
        st.subheader(t("documents.text"), help=t("documents.text_help"))
        present = set(facts["category"]) if not facts.empty else set()
        legend = {
            c: label("category", c) for c in components.CATEGORIES if c in present or c != "field"
        }
        st.markdown(components.legend_html(legend), unsafe_allow_html=True)
        text = str(doc.get("text") or "")
        with st.container(height=640 if len(text) > 2500 else "content", border=True):
            st.markdown(
                components.highlight_html(text, components.fact_spans(facts, lang)),
                unsafe_allow_html=True,
            )
        with st.expander(t("documents.facts", n=len(facts)), icon=":material/fact_check:"):
            if facts.empty:
                st.caption(t("documents.no_facts"))
            else:
                st.dataframe(components.facts_frame(facts, lang), hide_index=True, width="stretch")

    with side_col:
        st.subheader(t("documents.provenance"))
        yes, no = t("prov.answer_yes"), t("prov.answer_no")
        plan_bits = [
            doc.get("plan_plan_number") or "",
            str(doc.get("plan_plan_year") or ""),
            place(doc.get("district_name")) if doc.get("district_name") else "",
            place(doc.get("province_name")) if doc.get("province_name") else "",
        ]
        st.caption(t("prov.doc_id"))
        st.code(str(doc.get("doc_id")), language=None, wrap_lines=True)
        components.field_list(
            [
                (t("prov.file"), doc.get("relpath")),
                (
                    t("prov.format"),
                    f"{doc.get('fmt')}, {doc.get('encoding') or '?'}, "
                    + t("prov.bytes", n=number(doc.get("size_bytes"))),
                ),
                (t("prov.kind"), label("kind", doc.get("kind"))),
                (t("prov.published"), components.fmt_date(doc.get("published_date"))),
                (t("prov.url"), doc.get("url")),
                (t("prov.author"), doc.get("author")),
                (t("prov.outlet"), doc.get("source_name")),
                (t("prov.issuer"), doc.get("issuer_name")),
                (t("prov.locality_source"), label("locality_source", doc.get("locality_source"))),
                (t("prov.plan"), " · ".join(bit for bit in plan_bits if bit)),
                (t("prov.extractor"), doc.get("extractor_version")),
                (t("prov.codebook"), doc.get("codebook_version")),
                (t("prov.synthetic"), yes if doc.get("synthetic") else no),
            ]
        )
        url = str(doc.get("url") or "")
        if url.startswith(("https://", "http://")):
            st.link_button(t("prov.url"), url, icon=":material/open_in_new:")

        st.subheader(t("documents.other_sources"))
        sources = queries.load_raw("plan_sources", doc["plan_id"])
        others = sources[sources["doc_id"] != choice]
        if others.empty:
            st.caption(t("documents.no_other_sources"))
        for row in others.to_dict("records"):
            name = components.document_label(row)
            published = components.fmt_date(row.get("published_date"))
            st.button(
                t("documents.open_source", name=components.md_escape(name)),
                key=f"open_{row['doc_id']}",
                on_click=_open,
                args=(row["doc_id"],),
                help=published,
                icon=":material/article:",
            )
