"""The LanguageTool service: annotated text, offsets, the real server's life cycle, the
client's error paths and the CLI. The server is real; only the error paths use fakes (a
closed port, a socket that never answers)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from postlint import languagetool as lt


def matches_for(server: lt.ServerState, text: str, skips=(), **kwargs):
    return lt.check_annotated(server.url, lt.annotate(text, skips), "en-GB", **kwargs)


# --- Annotated text and offsets (no server) ---------------------------------------------


def test_annotation_concatenates_back_to_the_text():
    text = "Hi @NHS see https://nhs.uk 💙 now"
    skips = [lt.Skip(3, 7, "Essex"), lt.Skip(12, 26), lt.Skip(27, 28), lt.Skip(5, 6)]
    parts = lt.annotate(text, skips)
    assert "".join(p.get("text", p.get("markup", "")) for p in parts) == text
    assert parts[1] == {"markup": "@NHS", "interpretAs": "Essex"}  # overlap joined
    assert {"markup": "💙"} in parts


def test_utf16_map_counts_astral_characters_twice():
    text = "a💙b🇬🇧c"
    units = lt.Utf16Map(text)
    assert not units.simple
    # UTF-16: a(0) 💙(1,2) b(3) 🇬(4,5) 🇧(6,7) c(8)
    assert units.index(3) == 2 and text[units.index(3)] == "b"
    assert text[units.index(8)] == "c"
    assert units.span(1, 2) == (1, 2)
    assert units.index(2) == 2  # a unit inside a surrogate pair rounds up
    assert lt.Utf16Map("plain").simple


def test_find_jar_dir_prefers_configured_then_env(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    jars = tmp_path / "jars"
    jars.mkdir()
    (jars / "languagetool-server-6.6.jar").write_bytes(b"")
    monkeypatch.setenv("POSTLINT_LANGUAGETOOL_DIR", str(jars))
    assert lt.find_jar_dir(empty) == jars  # an empty configured folder is no use
    assert lt.find_jar_dir(jars) == jars


def test_missing_jars_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTLINT_LANGUAGETOOL_DIR", str(tmp_path / "nothing"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(lt.LanguageToolError, match=r"setup\.sh"):
        lt.start_server(state_dir=tmp_path / "state")


# --- The real server ---------------------------------------------------------------------


def test_server_is_local_and_checks_annotated_text(languagetool_server):
    assert languagetool_server.url.startswith("http://127.0.0.1:")
    assert lt.status() == languagetool_server  # found through the session's state dir
    text = "Thanks @Colr for the color guide 💙 #Centr"
    skips = [lt.Skip(7, 12, "Essex"), lt.Skip(33, 34), lt.Skip(35, 41)]
    found = matches_for(languagetool_server, text, skips)
    units = lt.Utf16Map(text)
    spans = [text[slice(*units.span(m["offset"], m["length"]))] for m in found]
    spelling = [s for s, m in zip(spans, found, strict=True) if "MORFOLOGIK" in m["rule"]["id"]]
    assert spelling == ["color"]  # the handle and the hashtag are markup, never misspelt


def test_offsets_after_emoji_map_to_the_word(languagetool_server):
    text = "💉💉💉 Book your jab at the health center today."
    found = matches_for(languagetool_server, text, [lt.Skip(0, 3)])
    units = lt.Utf16Map(text)
    words = [text[slice(*units.span(m["offset"], m["length"]))] for m in found]
    assert "center" in words


def test_postlint_rules_are_loaded(languagetool_server):
    found = matches_for(languagetool_server, "Your welcome to join us.")
    assert any(m["rule"]["id"] == "POSTLINT_YOUR_WELCOME" for m in found)


def test_bad_request_is_an_error_not_a_crash(languagetool_server):
    with pytest.raises(lt.LanguageToolError, match="HTTP 400"):
        lt.check_annotated(languagetool_server.url, [{"text": "Hello."}], "xx-NOPE")


def test_status_and_ensure_reuse_the_running_server(languagetool_server, languagetool_state):
    url = lt.ensure_server(lt.ServiceOptions())
    assert url == languagetool_server.url
    assert lt.idle_file(languagetool_state).exists()
    state = json.loads((languagetool_state / "server.json").read_text())
    assert state["pid"] == languagetool_server.pid
    assert state["owner_pid"] == os.getpid()


def test_own_server_life_cycle_and_idle_watchdog(languagetool_server, tmp_path):
    """A second server in its own state dir: starts, is found, stops itself when idle."""
    state_dir = tmp_path / "state"
    started = time.monotonic()
    state = lt.start_server(state_dir=state_dir, idle_minutes=0.03, warm_up=False)  # ~2 s
    assert time.monotonic() - started < 60
    assert lt.status(state_dir) == state and lt.ping(state.url)
    assert lt.start_server(state_dir=state_dir, warm_up=False).pid == state.pid  # no second server
    deadline = time.monotonic() + 30
    while lt.pid_alive(state.pid) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not lt.pid_alive(state.pid), "the watchdog did not stop the idle server"
    assert lt.status(state_dir) is None
    while lt.pid_alive(state.watchdog_pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # the watchdog exits right after stopping the server
    assert not lt.pid_alive(state.watchdog_pid)


def test_stop_kills_server_and_watchdog(languagetool_server, tmp_path):
    state_dir = tmp_path / "state"
    state = lt.start_server(state_dir=state_dir, warm_up=False)
    assert lt.stop_server(state_dir) is True
    assert not lt.pid_alive(state.pid)
    time.sleep(0.2)
    assert not lt.pid_alive(state.watchdog_pid)
    assert lt.stop_server(state_dir) is False
    assert lt.status(state_dir) is None


def test_stale_state_is_cleared(tmp_path):
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    stale = lt.ServerState(pid=2**22 + 7, port=1, jar_dir="", started=0, idle_minutes=1)
    (state_dir / "server.json").write_text(json.dumps(stale.__dict__))
    assert lt.status(state_dir) is None
    assert not (state_dir / "server.json").exists()


# --- Error paths: nothing listening, a server that hangs --------------------------------


def test_nothing_listening_is_an_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(lt.LanguageToolError, match="cannot reach"):
        lt.check_annotated(f"http://127.0.0.1:{port}", [{"text": "Hi."}], "en-GB", timeout=2)


@pytest.fixture
def hanging_server():
    """A socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_hanging_server_times_out(hanging_server):
    started = time.monotonic()
    with pytest.raises(lt.LanguageToolError, match=r"did not answer|cannot reach"):
        lt.check_annotated(hanging_server, [{"text": "Hi."}], "en-GB", timeout=1)
    assert time.monotonic() - started < 5


# --- Command line ------------------------------------------------------------------------


def test_cli_start_status_stop(languagetool_server, tmp_path, monkeypatch):
    monkeypatch.setenv("POSTLINT_LANGUAGETOOL_STATE_DIR", str(tmp_path / "cli-state"))
    monkeypatch.chdir(tmp_path)  # no config file: defaults
    runner = CliRunner()
    result = runner.invoke(lt.command, ["status"])
    assert result.exit_code == 1 and "not running" in result.output
    result = runner.invoke(lt.command, ["start", "--idle-minutes", "5", "--no-warm-up"])
    assert result.exit_code == 0, result.output
    assert "started at http://127.0.0.1:" in result.output
    try:
        result = runner.invoke(lt.command, ["status"])
        assert result.exit_code == 0 and "answering" in result.output
        assert "stops in" in result.output
        result = runner.invoke(lt.command, ["start"])
        assert "already running" in result.output
    finally:
        result = runner.invoke(lt.command, ["stop"])
    assert "stopped" in result.output
    assert runner.invoke(lt.command, ["stop"]).output.strip() == "LanguageTool was not running"


def test_cli_with_configured_url_starts_nothing(tmp_path, monkeypatch, hanging_server):
    config = tmp_path / "postlint.toml"
    config.write_text(f'[options.spelling]\nserver-url = "{hanging_server}"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSTLINT_LANGUAGETOOL_STATE_DIR", str(tmp_path / "state"))
    try:
        result = CliRunner().invoke(lt.command, ["start"])
        assert "nothing to start" in result.output, result.output
        assert not Path(tmp_path / "state" / "server.json").exists()
    finally:
        lt.stop_server(tmp_path / "state")
