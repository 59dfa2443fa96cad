"""Privacy, tested: drafts never leave the machine, and their text is never logged or cached.

* Network: every outgoing connection (and every DNS look-up) to anything but loopback is
  made to fail and recorded: in this process by patching ``socket``, and in the CLI and
  server subprocesses by a ``sitecustomize.py`` on PYTHONPATH that does the same and writes
  each attempt to a file. The tests assert that nothing even tried. (Java and Tesseract
  are not Python: they run local engines and are not covered by the guard.)
* Logs: a post holding a recognisable secret is linted with logging at DEBUG, through the
  library, the HTTP API and a real uvicorn on loopback; no log line holds the secret.
* Cache: the results cache (postlint/cache.py) holds no post text, compressed or not.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# A secret no rule quotes (no typo checker runs in these tests but the spelling one, which
# is told to accept it): if it shows up in a log or the cache, post text leaked.
SECRET = "zqxjkvbwplmf"
SECRET_POST = (
    f"Our flu clinic in Basildon is open on Saturday. The staff codeword is {SECRET} and "
    "the room is on the second floor. Book at your GP practice."
)
NO_SPELLING = ("L001", "L002", "L003")

GUARD = '''
"""Test guard (tests/test_privacy.py): outgoing connections to anything but loopback fail."""
import ipaddress, os, socket, traceback

_LOG = os.environ.get("POSTLINT_NET_GUARD_LOG")


def _loopback(host):
    if host in (None, "", "localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _record(what, target):
    if _LOG:
        with open(_LOG, "a") as out:
            out.write(f"{os.getpid()} {what} {target!r}\\n")
    raise OSError(101, f"network guard: {what} to {target!r} refused")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _address_ok(sock, address):
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    return _loopback(host)


def connect(self, address):
    if not _address_ok(self, address):
        _record("connect", address)
    return _connect(self, address)


def connect_ex(self, address):
    if not _address_ok(self, address):
        _record("connect", address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _loopback(host.decode() if isinstance(host, bytes) else host):
        _record("getaddrinfo", host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
'''


# ---------------------------------------------------------------------------- guards


def _is_loopback(host) -> bool:
    if host in (None, "", "localhost", "localhost.localdomain", "testserver"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch):
    """Records (and refuses) every non-loopback connection or look-up in this process."""
    attempts: list[tuple[str, object]] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    real_create = socket.create_connection

    def allowed(sock, address) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        return _is_loopback(address[0] if isinstance(address, tuple) else address)

    def refuse(what: str, target: object):
        attempts.append((what, target))
        raise OSError(101, f"network guard: {what} to {target!r} refused")

    def connect(self, address):
        if not allowed(self, address):
            refuse("connect", address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if not allowed(self, address):
            refuse("connect", address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host.decode() if isinstance(host, bytes) else host):
            refuse("getaddrinfo", host)
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if not _is_loopback(address[0]):
            refuse("create_connection", address)
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return attempts


@pytest.fixture
def guarded_env(tmp_path):
    """Environment for subprocesses: the guard on PYTHONPATH, attempts logged to a file."""
    folder = tmp_path / "guard"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "network-attempts.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    env["POSTLINT_NET_GUARD_LOG"] = str(log)
    env["POSTLINT_NO_CACHE"] = "1"
    return env, log


def _attempts(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_the_guard_itself_refuses_and_records(no_network, guarded_env):
    """The guards work: a real attempt is refused and recorded, in and out of process."""
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    assert no_network and no_network[0][0] == "create_connection"
    env, log = guarded_env
    code = "import urllib.request; urllib.request.urlopen('http://example.org', timeout=2)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert result.returncode != 0 and "network guard" in result.stderr.decode()
    assert any("example.org" in line for line in _attempts(log))


# --------------------------------------------------------------------- CLI subprocesses


@pytest.mark.slow
def test_cli_over_every_fixture_makes_no_connection(guarded_env, tmp_path):
    env, log = guarded_env
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "postlint.cli",
            "check",
            "--no-cache",
            "--ignore",
            ",".join(NO_SPELLING),
            "--output-format",
            "json",
            str(FIXTURES),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert len(json.loads(result.stdout)["posts"]) > 50  # every fixture, media and all
    assert "network guard" not in result.stderr
    assert _attempts(log) == []


@pytest.mark.slow
def test_cli_with_spelling_talks_only_to_the_local_languagetool(
    guarded_env, tmp_path, languagetool_server
):
    env, log = guarded_env
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "post.md").write_text(
        f"---\nplatforms: [x]\n---\nTeh flu clinic is open. {SECRET_POST}\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "postlint.cli",
            "check",
            "--no-cache",
            "--select",
            "L001,L002,L003",
            "--output-format",
            "json",
            str(drafts),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    findings = json.loads(result.stdout)["posts"][0]["findings"]
    assert any(f["code"] == "L001" for f in findings), findings  # LanguageTool really ran
    assert _attempts(log) == []


# ------------------------------------------------------------------------ logs, library


def _leaks(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    out = []
    for record in records:
        text = formatter.format(record)  # message, arguments and any traceback
        if SECRET in text:
            out.append(text[:300])
    return out


def test_library_run_logs_no_post_text(no_network, caplog, tmp_path):
    from postlint import runner

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "post.md").write_text(f"---\nplatforms: [x, facebook]\n---\n{SECRET_POST}\n")
    (drafts / "bad.json").write_text(json.dumps({"text": SECRET_POST, "platforms": 5}))
    (drafts / "schedule.csv").write_text(f'message,platform\n"{SECRET_POST}",x\n')
    factory = runner.PipelineFactory(
        configure=lambda c: __import__("dataclasses").replace(c, ignore=NO_SPELLING)
    )
    with caplog.at_level(logging.DEBUG):
        run = runner.lint_paths([drafts], factory, jobs=1)
    assert len(run.posts) >= 3
    assert not _leaks(caplog.records)
    assert no_network == []


def test_a_crashing_check_does_not_put_post_text_in_the_log(caplog):
    from postlint.check import Check
    from postlint.config import Config
    from postlint.model import Post, SourceMap
    from postlint.pipeline import Pipeline
    from postlint.registry import Registry

    class Quoting(Check):
        code = "Z900"
        name = "quoting-plugin"

        def check(self, post, ctx):
            raise ValueError(f"cannot handle {post.text!r}")

    registry = Registry(checks={"Z900": Quoting}, analyses={})
    pipeline = Pipeline(Config(select=("Z900",)), registry)
    post = Post(SECRET_POST, "p.md", SourceMap.for_text("p.md", SECRET_POST))
    with caplog.at_level(logging.DEBUG):
        pipeline.lint_post(post)
    assert not _leaks(caplog.records)


# -------------------------------------------------------------------------------- cache


def test_cache_holds_no_post_text(no_network, tmp_path):
    from postlint import runner

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "post.md").write_text(f"---\nplatforms: [x]\n---\n{SECRET_POST} #flujab\n")
    (drafts / "schedule.csv").write_text(f'message,platform\n"{SECRET_POST}",x\n')
    cache = tmp_path / "cache"
    factory = runner.PipelineFactory(
        configure=lambda c: __import__("dataclasses").replace(c, ignore=NO_SPELLING)
    )
    first = runner.lint_paths([drafts], factory, use_cache=True, cache_dir=cache, jobs=1)
    messages = [f.message for r in first.posts for f in r.findings]
    assert messages and not any(SECRET in m for m in messages)  # no rule quotes it
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert len(files) >= 2, files
    for path in files:
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        assert b"codeword" not in data, path
        try:
            inflated = zlib.decompress(data)
        except zlib.error:
            continue
        assert SECRET.encode() not in inflated, path
        assert b"codeword" not in inflated and b"Saturday" not in inflated, path
        assert SECRET not in path.name
    second = runner.lint_paths([drafts], factory, use_cache=True, cache_dir=cache, jobs=1)
    assert [f.message for r in second.posts for f in r.findings] == messages
    assert no_network == []


# ---------------------------------------------------------------------- HTTP API, server


def test_api_logs_nothing_of_the_post_and_connects_nowhere(no_network, caplog):
    from fastapi.testclient import TestClient

    from postlint.api import Linter
    from postlint.config import Config
    from postlint.server.app import Limits, Settings, create_app

    app = create_app(Settings(limits=Limits(), warm=False), Linter(Config(ignore=NO_SPELLING)))
    with caplog.at_level(logging.DEBUG), TestClient(app, base_url="http://127.0.0.1") as client:
        answer = client.post("/v1/lint", json={"text": SECRET_POST, "platforms": ["x"]})
        assert answer.status_code == 200, answer.text
        bad = client.post("/v1/lint", json={"text": SECRET_POST, "platforms": 5})
        assert bad.status_code < 500  # a finding or a 4xx, never a crash
        broken = client.post(
            "/v1/lint", content=f'{{"text": "{SECRET_POST}"'.encode(), headers=_json()
        )
        assert broken.status_code in (400, 422)
    assert not _leaks(caplog.records)
    assert no_network == []


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_real_server_on_loopback_logs_no_post_text(guarded_env, tmp_path):
    import httpx

    env, log = guarded_env
    # Spelling off, so warming up does not start a LanguageTool of its own.
    (tmp_path / "postlint.toml").write_text('ignore = ["L001", "L002", "L003"]\n')
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "postlint.server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "debug",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        payload = {"text": SECRET_POST, "platforms": ["x"]}
        answer = httpx.post(f"{base}/v1/lint", json=payload, timeout=120)
        assert answer.status_code == 200, answer.text
        httpx.post(f"{base}/v1/lint", json={"text": SECRET_POST, "platforms": 5}, timeout=60)
        httpx.post(f"{base}/v1/lint?note={SECRET[:3]}", content=b"{", headers=_json(), timeout=60)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    text = output.decode("utf-8", "replace")
    assert "Uvicorn running" in text or "Application startup complete" in text, text[-2000:]
    assert SECRET not in text, [line for line in text.splitlines() if SECRET in line]
    assert _attempts(log) == []
