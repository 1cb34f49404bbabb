"""CCHC Atlas dashboard: `streamlit run dashboard/app.py` (warehouse: $CCHC_ATLAS_DB).

The frame around every page: page config, language switch, sidebar filters (kept in the
URL), the demo badge, and the navigation over the pages in dashboard/app_pages/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import components, queries, state
from dashboard.i18n import t

PAGES = (
    ("overview", ":material/insights:"),
    ("map", ":material/map:"),
    ("channels", ":material/campaign:"),
    ("themes", ":material/category:"),
    ("responsibilities", ":material/account_tree:"),
    ("timeline", ":material/timeline:"),
    ("compare", ":material/compare_arrows:"),
    ("documents", ":material/description:"),
    ("downloads", ":material/download:"),
    ("upload", ":material/upload_file:"),
)

status = queries.warehouse_status()
allowed = state.allowed_values() if status.readable else state.Allowed()
state.sync_from_url(allowed)

# A local image: a Material-icon page icon becomes a favicon fetched from a font CDN, and the
# app must send nothing out; the pages' own Material icons come from Streamlit's bundled font.
ICON = Path(__file__).parent / "assets" / "icon.png"

st.set_page_config(
    page_title="CCHC Atlas",
    page_icon=str(ICON),
    layout="wide",
    initial_sidebar_state="expanded",
)

navigation = st.navigation(
    [
        st.Page(
            f"app_pages/{name}.py",
            title=t(f"page.{name}"),
            icon=icon,
            default=(name == "overview"),
        )
        for name, icon in PAGES
    ]
)

lang = state.language_switch()
if not status.readable:  # the URL is left as it is: it opens the view once the file exists
    st.title(t("app.title"))
    components.warehouse_problem(status)
    st.stop()

filters = state.filter_sidebar(allowed)
state.write_url(filters, lang)
st.sidebar.caption(t("app.tagline"))

components.demo_badge()
if status.state == "empty":
    components.warehouse_problem(status)

navigation.run()
