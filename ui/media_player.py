"""The player of a transcript's recording: play from the selected segment's time.

:func:`media_player` shows nothing when no recording is attached, a warning naming the path when
the file has moved, and otherwise a switch that turns the player on. The player is drawn only
while the switch is on: Streamlit reads and hashes the whole file on every run that draws it,
which a coder should pay only while listening. The switch stays on from segment to segment; each
selected segment moves the player to its start (segments carry times when the transcript came
from VTT/SRT or timestamped text).
"""

from __future__ import annotations


import streamlit as st

from coding import Project
from coding.media import media_info
from coding.store import Store

from .i18n import t
from .text import fmt_time, md_escape

PLAYER_KEY = "qc_media_on"
PLAYING = "qc_media_playing"  # whether the coder turned the player on (kept while the switch is not drawn)
MAX_PLAY_MB = 300  # larger files are not sent to the browser (memory on the server, time on every run)


def _media(source, transcript: str):
    """The transcript's :class:`coding.media.MediaInfo` (None without one) from a Ctx, a path or an open Project.

    Given a path, it opens the bare store, not a Project: this runs on every click on the coding page.
    """
    if isinstance(source, Project):
        return _media(source.store, transcript)
    if isinstance(source, Store):
        return media_info(source, transcript) if source.transcript_id(transcript) is not None else None
    with Store.open(source.path if hasattr(source, "path") else str(source)) as store:  # a file or a URL
        return _media(store, transcript)


def _remember() -> None:
    st.session_state[PLAYING] = bool(st.session_state.get(PLAYER_KEY))


def media_player(ctx_or_project, transcript: str, start_seconds: float | None) -> None:
    """Show the player of ``transcript``'s recording, starting at ``start_seconds`` (the selected segment's
    start; None: the segment has no time, play from the beginning). Nothing when there is no recording."""
    info = _media(ctx_or_project, transcript)
    if info is None:
        return
    if info.status != "ok":
        st.warning(t(f"media.{info.status}", transcript=md_escape(transcript), path=md_escape(str(info.path))),
                   icon=":material/music_off:")
        return
    if info.size > MAX_PLAY_MB * 1024 * 1024:
        st.caption(t("media.too_big_to_play", size=f"{info.size / 1024 / 1024:.0f}"))
        return
    start = max(0, int(start_seconds or 0))
    label = t("media.play_from", time=fmt_time(start)) if start_seconds is not None else t("media.play")
    # The switch's own state goes when it is not drawn (several segments selected, another page): keep it apart.
    if st.toggle(label, value=bool(st.session_state.get(PLAYING)), key=PLAYER_KEY, on_change=_remember):
        play = st.video if info.kind == "video" else st.audio
        play(str(info.path), format=info.mime, start_time=start)
