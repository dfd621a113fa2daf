"""Widgets every page shares: the store, friendly errors, downloads and pickers."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar

import os
import signal
import urllib.parse

import streamlit as st

from connector_graph import submissions
from connector_graph.analysis.shared import Latest, freshness_note
from connector_graph.auth import Permission, allowed
from connector_graph.errors import ConnectorGraphError, Forbidden, StoreUnavailable
from connector_graph.store import Store
from connector_graph.views.directory import Choice
from connector_graph.views.text import md_escape
from dashboard.state import get_store, where_label

if TYPE_CHECKING:  # pandas loads with the first table, not with the first page's heading
    import pandas as pd

T = TypeVar("T")

#: How many values :func:`remembered` keeps per session (the least recently loaded go first).
REMEMBERED_KEPT = 32


def page(title: str, intro: str | None = None, *, needs: Permission = Permission.VIEW) -> Store:
    """Draw the page title and return the store, or stop the page with one clear sentence."""
    st.title(title)
    if intro:
        st.caption(intro)
    if not allowed(needs):
        st.error("Your role does not allow this page. Ask an admin if you need it.")
        st.stop()
    store = get_store()
    if store is None:
        st.stop()
    st.sidebar.caption(where_label(store))
    return store


def drawing(html: str, *, height: int) -> None:
    """A self-contained HTML drawing (a network view) in its own frame, kept by nothing once drawn.

    ``st.iframe`` asks :func:`urllib.parse.urlsplit` whether its text is a
    web address, and that function remembers its last 128 answers with the
    text they were asked about (an LRU cache, Python 3.11 and later). A
    drawing is a megabyte or more and differs with every change to the
    network, so the server would keep up to 128 of them for its whole life.
    The cache is emptied once the frame is made.
    """
    st.iframe(html, height=height)
    forget = getattr(urllib.parse.urlsplit, "cache_clear", None)
    if forget is not None:
        forget()


def message_for(exc: ConnectorGraphError) -> str:
    """One sentence for the user about a failure (never a stack trace)."""
    if isinstance(exc, StoreUnavailable):
        return f"The network's database cannot be reached right now, so nothing was saved: {exc}. What you typed is kept; try again."
    if isinstance(exc, Forbidden):
        return f"Your role does not allow this: {exc}"
    return str(exc)


def freshness(result: Latest) -> None:
    """Say how old a shared analysis result is while a newer one is being made (nothing when current)."""
    if note := freshness_note(result):
        st.caption(note)


@contextmanager
def friendly(stop: bool = True) -> Iterator[None]:
    """Show a library error as one sentence instead of a traceback (and stop the page)."""
    try:
        yield
    except ConnectorGraphError as exc:
        st.error(md_escape(message_for(exc)))
        if stop:
            st.stop()


def download(
    frame: pd.DataFrame, filename: str, label: str = "Download as CSV", key: str | None = None, *, aggregate: bool = False
) -> None:
    """A formula-safe CSV download, offered only to roles that may export.

    ``aggregate`` tables (counts per ward, month or group) are downloaded with
    counts from 1 to 4 shown as "<5", so no small group can be identified.
    """
    if allowed(Permission.EXPORT) and not frame.empty:
        import pandas as pd

        from connector_graph.io.safe_csv import to_safe_csv
        from connector_graph.io.suppress import suppress_small_counts

        if aggregate:
            rates = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
            frame = suppress_small_counts(frame, derived=rates)
            label += " (counts under 5 hidden)"
        st.download_button(label, to_safe_csv(frame), filename, "text/csv", key=key or f"dl-{filename}")


def table(
    frame: pd.DataFrame, filename: str, *, empty: str = "Nothing to show.", height: int | None = None, aggregate: bool = False
) -> None:
    """A table with its download button, or ``empty`` when there are no rows."""
    if frame.empty:
        st.write(empty)
        return
    if height is None:
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.dataframe(frame, hide_index=True, width="stretch", height=height)
    download(frame, filename, aggregate=aggregate)


def pick_actor(
    label: str,
    options: Sequence[Choice],
    *,
    key: str,
    help: str | None = None,
    placeholder: str = "Type a name to search",
    on_change: Callable[[], None] | None = None,
) -> str | None:
    """A searchable picker of actors; returns the chosen id or ``None``."""
    labels = {c.id: c.label for c in options}
    return st.selectbox(
        label,
        list(labels),
        index=None,
        format_func=lambda actor_id: labels.get(actor_id, actor_id),
        key=key,
        help=help,
        placeholder=placeholder,
        on_change=on_change,
    )


#: Session state: the submission keys this session has written with, newest last (a few are enough).
SPENT_KEYS = "spent_submission_keys"
_SPENT_KEPT = 20


def url_key(name: str) -> str:
    """The submission key kept in the page's address under ``name`` (a fresh one is put there if none).

    The browser keeps the address, so after a server restart the page
    reconnects with the same key and a retried submission writes the same
    record id (see :mod:`connector_graph.submissions`). A key this session
    has already written with (see :func:`spend_url_key`) is never returned:
    the address can lag a rerun behind the server, and a press on the next
    form must make a new record, not be taken for a retry of the last one.
    """
    key = submissions.valid_key(st.query_params.get(name))
    if key is None or key in st.session_state.get(SPENT_KEYS, ()):
        key = submissions.fresh_key()
        st.query_params[name] = key
    return key


def renew_url_key(name: str) -> None:
    """A new submission key for this form (the address's key names a record that is someone else's)."""
    st.query_params[name] = submissions.fresh_key()


def spend_url_key(name: str, key: str) -> None:
    """Note that this session wrote (or found written) the record of ``key``; the address gets a new key.

    Call it after the rest of the confirmation's bookkeeping: the session
    remembers the key before the address changes, and changing the address
    is where a rerun asked for meanwhile (the user already picking the next
    person) stops this one, so nothing after it is sure to run.
    """
    spent = st.session_state.setdefault(SPENT_KEYS, [])
    spent.append(key)
    del spent[:-_SPENT_KEPT]
    renew_url_key(name)


def restore_from_url(fields: dict[str, str]) -> None:
    """Give state keys (``fields``: state key -> address parameter) the values the address holds, when unset.

    So choices that are not widgets (search pickers) come back after a
    server restart, when the browser reconnects to a new session.
    """
    for key, param in fields.items():
        value = st.query_params.get(param)
        if key not in st.session_state and value:
            st.session_state[key] = value[:200]


def note_in_url(fields: dict[str, str]) -> None:
    """Keep the current values of these state keys in the page's address (see :func:`restore_from_url`)."""
    for key, param in fields.items():
        value = st.session_state.get(key)
        if value and st.query_params.get(param) != value:
            st.query_params[param] = str(value)
        elif not value and param in st.query_params:
            del st.query_params[param]


#: Fault injection for tests of crash recovery: ``CONNECTOR_GRAPH_FAULT=crash-after-save`` makes the
#: dashboard kill its own process (SIGKILL) right after a form's record is committed, before the page
#: can confirm it. Never set it in production.
FAULT_SETTING = "CONNECTOR_GRAPH_FAULT"


def crash_point(name: str) -> None:
    """Die at once with SIGKILL when :data:`FAULT_SETTING` is ``crash-<name>`` (tests only)."""
    if os.environ.get(FAULT_SETTING) == f"crash-{name}":
        os.kill(os.getpid(), signal.SIGKILL)


def ask(flag: str) -> None:
    """Button callback: note that the user asked for ``flag``'s action.

    Callbacks run before the page, outside the signed-in user's context, so
    they only note the request; the page does the work (as the user, with
    the role just re-read) through :func:`asked`, before drawing its widgets,
    which may then be reset.
    """
    st.session_state[f"_asked_{flag}"] = True


def asked(flag: str) -> bool:
    """True once after the button that called :func:`ask` with ``flag`` was pressed."""
    return bool(st.session_state.pop(f"_asked_{flag}", False))


def remembered(key: str, load: Callable[[], T]) -> T:
    """``load()``, remembered for this session; while the store cannot be reached, the last value.

    So a page whose database has just gone away still draws its form with
    what the user typed (Streamlit forgets the values of widgets it does
    not draw), says so in one sentence, and saves nothing until it is back.
    """
    memory = st.session_state.setdefault("_remembered", {})
    try:
        value = load()
    except StoreUnavailable as exc:
        if key not in memory:
            raise
        st.warning(md_escape(f"The network's database cannot be reached right now ({exc}); the lists show what was "
                             "there a moment ago and nothing can be saved until it is back."))
        return memory[key]
    memory.pop(key, None)
    memory[key] = value  # newest last; the session keeps only the last few, so its state stays small
    while len(memory) > REMEMBERED_KEPT:
        memory.pop(next(iter(memory)))
    return value


def ask_for(flag: str, value: object) -> None:
    """Button callback: like :func:`ask`, and remember which record the button was drawn for.

    So the page acts on the record the user saw next to the button, never
    on whatever a list holds at that position on the next run.
    """
    st.session_state[f"_asked_{flag}"] = value


def asked_for(flag: str) -> object | None:
    """The value :func:`ask_for` noted for ``flag``, once; ``None`` when the button was not pressed."""
    return st.session_state.pop(f"_asked_{flag}", None)


def keep_values(keys: Sequence[str]) -> None:
    """Give these widgets back the values they had when the user last saw them.

    Streamlit forgets a widget's value when a run does not draw it (another
    page was visited); call this before drawing the widgets and
    :func:`note_values` after, and what was typed survives navigation.
    """
    for key in keys:
        if key not in st.session_state and f"_kept_{key}" in st.session_state:
            st.session_state[key] = st.session_state[f"_kept_{key}"]


def note_values(keys: Sequence[str]) -> None:
    """Note the widgets' current values for :func:`keep_values`."""
    for key in keys:
        if key in st.session_state:
            st.session_state[f"_kept_{key}"] = st.session_state[key]


def _box_keys(key: str) -> tuple[str, str]:
    """The widget keys of the search box and list the picker ``key`` draws now (its current generation)."""
    generation = st.session_state.get(f"{key}_gen", 0) or ""
    return f"{key}_q{generation}", f"{key}_r{generation}"


def _picked(key: str, radio: str) -> None:
    """Radio callback of :func:`search_picker`: the result tapped becomes the choice.

    A tap on another button right after the pick can reach the server
    before the browser has dropped the list of results; the list's stale
    state then arrives as a "change" to nothing, or (for a list the picker
    has since replaced) as a change to an old result. Only a real result in
    the picker's current list is taken, so such a tap never empties or
    overwrites the choice just made. The run that follows the tap still
    draws the list, with the result chosen (see :func:`search_picker`).
    """
    state = st.session_state
    tapped = state.get(radio)
    if tapped is None or radio != _box_keys(key)[1]:
        return
    state[key] = tapped
    state[f"{key}_fresh"] = True


def settle_picks(keys: Sequence[str]) -> None:
    """Make what each empty picker's current list has ticked its choice; call before acting on any button.

    The list's callback (:func:`_picked`) normally does this, but a press on
    a button right after the tap (the next run asked for while the tap's is
    starting) can stop the callbacks before the list's has run; the tick
    then sits in the list with nothing chosen, and a second tap on it is no
    change. What the user sees ticked is what counts.
    """
    state = st.session_state
    for key in keys:
        if state.get(key):
            continue
        ticked = state.get(_box_keys(key)[1])
        if ticked is not None:
            state[key] = ticked
            state[f"{key}_fresh"] = True


def clear_pick(key: str) -> None:
    """Empty the search picker ``key``: no choice, and a new, empty search box and list next time.

    The picker's box and list move to a new generation, so the next search
    starts blank and a tap on any result (even the one tapped last time) is
    a change that chooses it. A rerun that stopped the run after a tap (the
    user pressing the next button at once) can leave the old box and list,
    with the old result still ticked, in the widgets' state; drawn again
    they would show that result as chosen while nothing is, and tapping it
    would change nothing.
    """
    state = st.session_state
    state[key] = None
    state.pop(f"{key}_fresh", None)
    state[f"{key}_gen"] = state.get(f"{key}_gen", 0) + 1


def _unpick(key: str) -> None:
    clear_pick(key)


def search_picker(
    label: str,
    *,
    key: str,
    search: Callable[[str], Sequence[Choice]],
    describe: Callable[[str], Choice | None],
    help: str | None = None,
) -> str | None:
    """Choose one actor by searching the store as the user types; returns the chosen id or ``None``.

    The choice is kept under ``key`` (not a widget, so it survives reruns
    and other pages). Until something is chosen the picker is a search box:
    the text typed (on Enter) is searched in the store and a short ranked
    list of results appears to tap. Nothing is loaded beforehand, so it
    works the same with a hundred actors or a hundred thousand.
    """
    state = st.session_state
    chosen = state.get(key)
    if chosen and state.pop(f"{key}_fresh", False):
        # Just tapped: draw the same search box and list (the result now chosen) once more, so nothing
        # below moves while the finger may already be on its way to "Log introduction". A button that
        # slides away between press and release loses the tap; the short form shows on the next run,
        # and the next search starts from a new, empty box.
        _search_box(label, key=key, search=search, help=help)
        state[f"{key}_gen"] = state.get(f"{key}_gen", 0) + 1
        return chosen
    if chosen:
        choice = describe(chosen)
        if choice is not None:
            st.markdown(f"**{md_escape(label)}:** {md_escape(choice.label)}")
            st.button("Change", key=f"{key}_change", on_click=_unpick, args=(key,), help=f"Choose someone else as: {label}")
            return chosen
    _search_box(label, key=key, search=search, help=help)
    return None


def _search_box(label: str, *, key: str, search: Callable[[str], Sequence[Choice]], help: str | None) -> None:
    """The search box of :func:`search_picker` and, once text is entered, its list of results to tap."""
    box, radio = _box_keys(key)
    query = st.text_input(label, key=box, placeholder="Type a name, then press Enter", help=help, max_chars=200)
    if query.strip():
        options = search(query)
        if not options:
            st.caption(md_escape(f"No one matches “{query.strip()}”. Check the spelling, or add them as someone new."))
        else:
            labels = {c.id: c.label for c in options}
            st.radio(f"Matches for {label}", list(labels), index=None, key=radio,
                     format_func=lambda actor_id: md_escape(labels.get(actor_id, actor_id)),
                     on_change=_picked, args=(key, radio))


def warm_up_streamlit() -> None:
    """Load what Streamlit loads on first use of a message that is not plain ASCII (its emoji catalogue and
    the pattern built from it): otherwise someone's first save waits for it, a second or more on a busy server."""
    try:
        from streamlit.string_util import extract_leading_emoji

        extract_leading_emoji("Logged ✓")
    except (ImportError, AttributeError):  # another Streamlit: nothing to warm
        pass
