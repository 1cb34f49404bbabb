"""Upload: add documents to the uploads folder, then rebuild the warehouse from the documents
folder.

1. "Check and save" checks the chosen files (`etl.uploads`: type, size, count, duplicates by
   sha256, a safe name), reads and extracts the accepted ones in a separate process (the
   build's per-file time limit; a hostile file cannot hang the page) and saves those that can be
   read in the uploads folder ($CCHC_ATLAS_UPLOADS, default data/raw/uploads), never over
   another file. Each file's outcome is listed: kind, issuer, plan number, year and counts of
   channels, themes, audiences and assignments, or why it was not saved.
2. "Rebuild the warehouse" rebuilds $CCHC_ATLAS_DB from the documents folder ($CCHC_ATLAS_DOCS,
   default data/raw, which holds the uploads folder: the page says so, and warns when the uploads
   folder is elsewhere) in a subprocess (`etl.load.rebuild.start_rebuild`): running / done with
   its summary / failed with the reason / refused while another rebuild runs. The dashboard
   serves the previous warehouse until the new one is complete; when it is, the warehouse caches
   are dropped so every page shows the new data.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.components import md_escape
from dashboard.i18n import label, number, t
from etl import uploads
from etl.load import rebuild as rb
from etl.reading.document import DEFAULT_MAX_BYTES, DEFAULT_MAX_PACKAGE_BYTES

RESULTS = "_upload_results"  # the outcome of the last "Check and save"
ROUND = "_upload_round"  # bumped after each check: a fresh, empty uploader
JOB = "_upload_job"  # the rebuild this session started
POLL_SECONDS = 2.0
LIMITS = uploads.UploadLimits()

uploads_folder = uploads.uploads_dir()
docs_folder = uploads.docs_dir()
db = queries.db_path()


# --- checking and saving ---------------------------------------------------------------------


def check_and_save(files: list[Any]) -> list[dict[str, Any]]:
    """Validate, preview and store the uploaded files; one plain row per file."""
    batch = [(str(f.name), bytes(f.getvalue())) for f in files]
    verdicts = uploads.validate_batch(batch, uploads.existing_hashes(uploads_folder), LIMITS)
    rows: list[dict[str, Any]] = [
        {"file": v.original, "code": v.code, "params": dict(v.params), "saved_as": None}
        for v in verdicts
    ]
    accepted = [i for i, v in enumerate(verdicts) if v.ok]
    if not accepted:
        return rows
    with tempfile.TemporaryDirectory(prefix="cchc-upload-") as tmp:
        root = Path(tmp)
        staged: list[Path] = []
        for i in accepted:
            name = uploads.unique_name(verdicts[i].name, [p.name for p in staged])
            path = root / name
            path.write_bytes(batch[i][1])
            staged.append(path)
        previews = uploads.preview_files(staged, root)
    for i, preview in zip(accepted, previews, strict=True):
        row = rows[i]
        if not preview.ok:
            row["code"] = "unreadable"
            row["params"] = {"stage": preview.stage or "read", "problem": preview.problem or ""}
            continue
        saved = uploads.store(uploads_folder, verdicts[i].name, batch[i][1])
        row.update(
            code="saved",
            saved_as=saved.name,
            kind=preview.kind,
            issuer=preview.issuer,
            level=preview.level,
            plan_number=preview.plan_number,
            plan_year=preview.plan_year,
            channels=preview.channels,
            themes=preview.themes,
            audiences=preview.audiences,
            responsibilities=preview.responsibilities,
        )
    return rows


def message_of(row: dict[str, Any]) -> str:
    return t(f"upload.message.{row['code']}", **row["params"])


def results_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = []
    for row in rows:
        saved = row["code"] == "saved"
        out.append(
            {
                t("upload.col.file"): row["file"],
                t("upload.col.status"): t(f"upload.status.{row['code']}"),
                t("upload.col.saved_as"): row["saved_as"],
                t("upload.col.kind"): label("kind", row.get("kind")) if saved else None,
                t("upload.col.issuer"): row.get("issuer"),
                t("upload.col.level"): label("level", row.get("level")) if saved else None,
                t("upload.col.plan_number"): row.get("plan_number"),
                t("upload.col.plan_year"): row.get("plan_year"),
                t("upload.col.channels"): row.get("channels"),
                t("upload.col.themes"): row.get("themes"),
                t("upload.col.audiences"): row.get("audiences"),
                t("upload.col.responsibilities"): row.get("responsibilities"),
                t("upload.col.message"): None if saved else message_of(row),
            }
        )
    frame = pd.DataFrame(out)
    for column in ("plan_year", "channels", "themes", "audiences", "responsibilities"):
        name = t(f"upload.col.{column}")
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Int64")
    return frame


def show_results(rows: list[dict[str, Any]]) -> None:
    st.subheader(t("upload.results"))
    saved = [r for r in rows if r["code"] == "saved"]
    refused = [r for r in rows if r["code"] != "saved"]
    if saved:
        st.success(t("upload.saved_n", n=number(len(saved))), icon=":material/task_alt:")
        for row in saved:
            if row["saved_as"] != row["file"]:
                st.caption(
                    t(
                        "upload.renamed",
                        name=md_escape(row["file"]),
                        saved=md_escape(row["saved_as"]),
                    )
                )
    if refused:
        lines = [t("upload.refused_n", n=number(len(refused)))]
        lines += [
            "- "
            + t("upload.refused_one", name=md_escape(r["file"]), message=md_escape(message_of(r)))
            for r in refused
        ]
        st.warning("\n".join(lines), icon=":material/block:")
    st.dataframe(results_frame(rows), hide_index=True, width="stretch", key="up_results_table")


# --- the page --------------------------------------------------------------------------------

st.title(t("upload.title"))
st.caption(t("upload.intro"))
st.markdown(
    t("upload.folders", uploads=uploads_folder, docs=docs_folder, db=db),
    help=t("upload.folders_help"),
)
if not uploads.uploads_in_docs(docs_folder, uploads_folder):
    st.warning(t("upload.outside"), icon=":material/folder_off:")

st.session_state.setdefault(ROUND, 0)
files = st.file_uploader(
    t("upload.pick"),
    type=None,  # any name reaches `etl.uploads`, which says why it refuses one (Streamlit's own
    # check raises on a name outside `type`: a page error instead of a message)
    accept_multiple_files=True,
    key=f"up_files_{st.session_state[ROUND]}",
    max_upload_size=max(DEFAULT_MAX_BYTES, DEFAULT_MAX_PACKAGE_BYTES) // (1024 * 1024),  # MB
    help=t(
        "upload.pick_help",
        files=LIMITS.max_files,
        total=uploads.format_size(LIMITS.max_total_bytes),
        text=uploads.format_size(DEFAULT_MAX_BYTES),
        package=uploads.format_size(DEFAULT_MAX_PACKAGE_BYTES),
    ),
)
if st.button(
    t("upload.check"), type="primary", disabled=not files, icon=":material/upload:", key="up_check"
):
    with st.spinner(t("upload.checking")):
        st.session_state[RESULTS] = check_and_save(list(files or []))
    st.session_state[ROUND] += 1  # a new, empty uploader: the same files are not saved twice
    st.rerun()

results = st.session_state.get(RESULTS)
if results:
    show_results(results)


def stored_files() -> pd.DataFrame:
    rows = []
    if uploads_folder.is_dir():
        for path in sorted(uploads_folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                info = path.stat()
                rows.append(
                    {
                        t("upload.stored_col_file"): path.relative_to(uploads_folder).as_posix(),
                        t("upload.stored_col_size"): info.st_size,
                        t("upload.stored_col_modified"): datetime.fromtimestamp(
                            info.st_mtime, UTC
                        ).strftime("%Y-%m-%d %H:%M UTC"),
                    }
                )
    return pd.DataFrame(rows)


stored = stored_files()
with st.expander(t("upload.stored", n=number(len(stored)))):
    if stored.empty:
        st.caption(t("upload.stored_none"))
    else:
        st.dataframe(stored, hide_index=True, width="stretch", key="up_stored_table")

# --- rebuilding ------------------------------------------------------------------------------

st.subheader(t("upload.rebuild_title"))
st.caption(t("upload.rebuild_help", docs=docs_folder))


def built_from() -> str | None:
    """The documents folder of the warehouse in use (None when it cannot be read)."""
    try:
        info = queries.load_raw("build_info")
    except (FileNotFoundError, queries.QueryError):
        return None
    values = dict(zip(info["key"], info["value"], strict=True))
    folder = values.get("docs_folder")
    return str(folder) if folder else None


def _same_folder(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


source = built_from() if db.is_file() else None
if source and not _same_folder(source, docs_folder):
    st.info(t("upload.other_source", built_from=source, docs=docs_folder), icon=":material/info:")


def _job() -> rb.RebuildJob | None:
    job = st.session_state.get(JOB)
    return job if isinstance(job, rb.RebuildJob) and job.db == str(db) else None


def rebuild_active() -> bool:
    status = rb.current_status(db)
    job = _job()
    return (status is not None and status.state == "running") or (
        job is not None and not job.finished
    )


def show_status() -> None:
    """The last rebuild of this warehouse (by anyone), and this session's refusal if any."""
    status = rb.current_status(db)
    job = _job()
    if job is not None and job.finished and job.state == "refused":
        st.warning(t("upload.refused", message=md_escape(job.message)), icon=":material/block:")
    if status is not None and status.state == "running":
        st.info(
            t("upload.running", started=status.started_at or "?", pid=status.pid or "?"),
            icon=":material/sync:",
        )
    elif job is not None and not job.finished:
        st.info(t("upload.starting"), icon=":material/sync:")
    elif job is not None and job.state == "failed" and (status is None or status.pid is None):
        st.error(t("upload.failed", started="?", reason=md_escape(job.message)))
    elif status is None:
        st.caption(t("upload.never"))
    elif status.state == "done":
        st.success(
            t(
                "upload.done",
                finished=status.finished_at or "?",
                documents=number(status.documents),
                plans=number(status.plans),
                errors=number(status.n_errors),
            ),
            icon=":material/task_alt:",
        )
        if status.errors:
            with st.expander(t("upload.errors", n=number(status.n_errors))):
                frame = pd.DataFrame(
                    status.errors,
                    columns=[
                        t("upload.err_col_file"),
                        t("upload.err_col_stage"),
                        t("upload.err_col_problem"),
                    ],
                )
                st.dataframe(frame, hide_index=True, width="stretch", key="up_errors_table")
    else:
        st.error(
            t("upload.failed", started=status.started_at or "?", reason=md_escape(status.reason)),
            icon=":material/error:",
        )


active = rebuild_active()
if active:

    @st.fragment(run_every=POLL_SECONDS)
    def watch_status() -> None:
        show_status()
        if not rebuild_active():
            st.rerun(scope="app")  # done: enable the button, redraw the sidebar's filters

    watch_status()
else:
    show_status()

if st.button(
    t("upload.rebuild"),
    type="primary",
    disabled=active,
    icon=":material/sync:",
    key="up_rebuild",
):
    st.session_state[JOB] = rb.start_rebuild(docs_folder, db)
    st.rerun()
