"""Data: import files or a live Open Referral UK feed with a preview first, export in every format, CSV templates."""

from __future__ import annotations

import streamlit as st

from connector_graph.auth import Permission, allowed
from connector_graph.io import transfer
from connector_graph.views import data
from connector_graph.views.text import md_escape
from dashboard.widgets import friendly, page

store = page("Import and export", "Bring in spreadsheets, Kumu maps and service directories; take everything out.",
             needs=Permission.IMPORT)

st.subheader("Import")
FILES, FEED = "Files", "An Open Referral UK feed (web address)"
source = st.radio("Import from", [FILES, FEED], key="im_source", horizontal=True)
uploads: list = []
fmt = data.AUTO
feed_url = ""
if source == FILES:
    fmt = st.selectbox("Format", data.IMPORT_CHOICES, key="im_format",
                       format_func=lambda f: "recognise from the file" if f == data.AUTO else f)
    st.caption(data.IMPORT_HELP[fmt])
    files = st.file_uploader("Files", accept_multiple_files=True, key="im_files", type=data.UPLOAD_TYPES)
    uploads = [data.Upload(f.name, f.getvalue()) for f in files or []]
else:
    feed_url = st.text_input("Feed address", key="im_feed_url", placeholder="https://directory.example.gov.uk/api/v3").strip()
    st.caption(data.FEED_HELP)


def show(report) -> None:
    """The report of a preview or an import, line by line."""
    for line in report.lines(limit=50):
        st.text(line)


def outcome(report) -> None:
    """The one-line verdict of an import, then its report."""
    st.success(md_escape(report.summary()) + (". Written." if report.written else ". Nothing written."))
    show(report)


if source == FEED:
    if st.button("Check the feed (nothing is written)", key="im_feed_preview", disabled=not feed_url):
        with st.spinner("Reading every page of the feed…"), friendly(stop=False):
            report = data.preview_feed(store, feed_url)
            (st.success if report.ok else st.error)(
                "Ready to import." if report.ok else "Nothing can be imported until these records are fixed.")
            show(report)
            st.session_state["im_feed_checked"] = (feed_url, report.ok)
    if feed_url and st.session_state.get("im_feed_checked") == (feed_url, True):
        if st.button("Import the feed", type="primary", key="im_feed_run"):
            with st.spinner("Reading the feed again and importing…"), friendly(stop=False):
                outcome(data.import_feed(store, feed_url))
                st.session_state.pop("im_feed_checked", None)

if uploads and st.button("Check (nothing is written)", key="im_preview"):
    with st.spinner("Checking every row…"), friendly(stop=False):
        report = data.preview(store, uploads, fmt)
        (st.success if report.ok else st.error)(
            "Ready to import." if report.ok else "Nothing can be imported until these rows are fixed.")
        show(report)
        st.session_state["im_checked"] = (fmt, [u.name for u in uploads], report.ok)

checked = st.session_state.get("im_checked")
if uploads and checked == (fmt, [u.name for u in uploads], True):
    if st.button("Import", type="primary", key="im_run"):
        with st.spinner("Importing…"), friendly(stop=False):
            outcome(data.run_import(store, uploads, fmt))
            st.session_state.pop("im_checked", None)

templates = data.templates_zip()
st.download_button("Download the CSV templates (with an example row each)", templates.data, templates.filename,
                   templates.mime, key="im_templates")

st.subheader("Export")
if not allowed(Permission.EXPORT):
    st.write("Exports are for managers and admins.")
    st.stop()
out_fmt = st.selectbox("Format", transfer.EXPORT_FORMATS, key="ex_format")
st.caption(data.EXPORT_HELP[out_fmt])
pseudonymise = st.checkbox("Pseudonymise: replace names and ids with codes new to this export, drop free text",
                           value=True, key="ex_pseudo",
                           help="Keep this on unless the file stays inside your organisation's secure storage.")
if st.button("Prepare the export", key="ex_prepare"):
    with st.spinner("Exporting…"), friendly(stop=False):
        st.session_state["ex_ready"] = data.export_download(store, out_fmt, pseudonymise=pseudonymise)
ready = st.session_state.get("ex_ready")
if ready is not None:
    st.download_button(f"Download {ready.filename}", ready.data, ready.filename, ready.mime, key="ex_download",
                       on_click="ignore")
