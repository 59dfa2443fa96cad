"""The LanguageTool service: finds the jars, runs a local server, and talks to it.

postlint never uses LanguageTool's public API unless a team configures its URL. By default
it runs LanguageTool 6.6 from the jars scripts/setup.sh fetched (a per-user cache), as a
detached server bound to localhost on a free port. The first check that finds no server
starts one; it stays warm for ``idle-minutes`` (default 30) after its last use, then a
small watchdog process stops it. ``postlint languagetool start|stop|status`` manage it.

State lives in a per-user folder (``$XDG_CACHE_HOME/postlint/languagetool-server``, or
``POSTLINT_LANGUAGETOOL_STATE_DIR``): ``server.json`` (pid, port, ...), ``last-used``
(its modification time is the idle clock), ``server.log`` and ``lock``.

The client sends only prose: everything else in a post (hashtags, @handles, URLs, e-mail
addresses, emoji, Markdown markup) goes as annotated-text markup with ``interpretAs``, so
none of it can be a spelling mistake, and match offsets (UTF-16 code units over the whole
string) are mapped back to offsets in the post's text.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click

VERSION = "6.6"
SERVER_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_IDLE_MINUTES = 30.0
START_TIMEOUT = 90.0  # seconds for a cold JVM on a busy 2-core machine
CHECK_TIMEOUT = 30.0  # seconds for one /v2/check (start-up already ran the slow first one)
PING_TIMEOUT = 2.0
# Social posts are short; the server refuses anything longer than this, so a pasted book
# cannot run it out of memory.
MAX_TEXT_LENGTH = 20_000
# Bounded heap: resident memory stays under a gigabyte on a shared 2-core machine.
JAVA_OPTIONS = ("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC", "-Xss2m")
# Extra pattern rules (checks/data/grammar_custom.xml) reach LanguageTool as this
# classpath resource, which it loads beside its own grammar.xml.
CUSTOM_RULES_RESOURCE = "org/languagetool/rules/en/grammar_custom.xml"


class LanguageToolError(Exception):
    """LanguageTool is missing, would not start, or did not answer."""


# --- Where things are -------------------------------------------------------------------


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "postlint"


def default_jar_dir() -> Path:
    return cache_root() / f"languagetool-{VERSION}"


def default_state_dir() -> Path:
    configured = os.environ.get("POSTLINT_LANGUAGETOOL_STATE_DIR")
    return Path(configured) if configured else cache_root() / "languagetool-server"


def is_jar_dir(path: Path) -> bool:
    return path.is_dir() and any(path.glob("languagetool-server-*.jar"))


def find_jar_dir(configured: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder of LanguageTool jars: the configured one, else $POSTLINT_LANGUAGETOOL_DIR,
    else the per-user cache that scripts/setup.sh fills. None when none has the jars."""
    candidates = [configured, os.environ.get("POSTLINT_LANGUAGETOOL_DIR"), default_jar_dir()]
    for candidate in candidates:
        if candidate and is_jar_dir(Path(candidate).expanduser()):
            return Path(candidate).expanduser()
    return None


def custom_rules_file() -> Path | None:
    """postlint's extra LanguageTool pattern rules (confusions LanguageTool misses)."""
    try:
        import postlint_checks

        path = Path(postlint_checks.__file__).parent / "data" / "grammar_custom.xml"
    except ImportError:
        return None
    return path if path.is_file() else None


# --- Server state -----------------------------------------------------------------------


@dataclass
class ServerState:
    pid: int
    port: int
    jar_dir: str
    started: float
    idle_minutes: float
    rules_digest: str = ""
    watchdog_pid: int | None = None
    owner_pid: int | None = None  # stop when this process ends (test sessions)
    java_options: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _state_file(state_dir: Path) -> Path:
    return state_dir / "server.json"


def idle_file(state_dir: Path) -> Path:
    return state_dir / "last-used"


def read_state(state_dir: Path) -> ServerState | None:
    try:
        data = json.loads(_state_file(state_dir).read_text(encoding="utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_state(state_dir: Path, state: ServerState) -> None:
    tmp = _state_file(state_dir).with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    tmp.replace(_state_file(state_dir))


def _clear_state(state_dir: Path) -> None:
    for path in (_state_file(state_dir), idle_file(state_dir)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def _locked(state_dir: Path) -> Iterator[None]:
    """One start or stop at a time per state folder (parallel runs share one server)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def pid_alive(pid: int | None) -> bool:
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not alive.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _is_our_server(state: ServerState) -> bool:
    """The pid is still our Java server (not a recycled pid of another program)."""
    if not pid_alive(state.pid):
        return False
    cmdline = _cmdline(state.pid)
    if not cmdline:  # no /proc (not Linux): trust the pid
        return True
    return SERVER_CLASS in cmdline and f"--port {state.port}" in cmdline


def ping(url: str, timeout: float = PING_TIMEOUT) -> bool:
    import urllib.request  # here, not at the top: it costs 15 ms a run that never calls

    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v2/languages", timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def status(state_dir: Path | None = None) -> ServerState | None:
    """The running server's state, or None (stale state is cleared)."""
    state_dir = state_dir or default_state_dir()
    state = read_state(state_dir)
    if state is None:
        return None
    if not _is_our_server(state):
        with _locked(state_dir):
            if read_state(state_dir) == state:
                _clear_state(state_dir)
        return None
    return state


def touch(state_dir: Path) -> None:
    """Reset the idle clock: the watchdog measures idleness from this file's time."""
    path = idle_file(state_dir)
    with contextlib.suppress(OSError):
        path.touch()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _digest_of(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _digest_of(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _write_server_config(state_dir: Path) -> Path:
    config = state_dir / "server.properties"
    config.write_text(
        "# Written by postlint: limits for a local LanguageTool serving short posts.\n"
        f"maxTextLength={MAX_TEXT_LENGTH}\n"
        f"maxTextHardLength={MAX_TEXT_LENGTH * 2}\n"
        "maxCheckTimeMillis=30000\n"
        "maxCheckThreads=2\n"
        "maxWorkQueueSize=50\n"
        "cacheSize=1000\n",
        encoding="utf-8",
    )
    return config


def _classpath(jar_dir: Path, state_dir: Path, rules: Path | None) -> str:
    parts = [f"{jar_dir}/*"]
    if rules is not None:
        root = state_dir / "rules"
        target = root / CUSTOM_RULES_RESOURCE
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(rules, target)
        parts.insert(0, str(root))
    return os.pathsep.join(parts)


def start_server(
    jar_dir: Path | None = None,
    state_dir: Path | None = None,
    *,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    port: int | None = None,
    owner_pid: int | None = None,
    timeout: float = START_TIMEOUT,
    java: str | None = None,
    warm_up: bool = True,
) -> ServerState:
    """Start a detached local server (or return the one already running). Raises
    LanguageToolError when Java or the jars are missing or the server does not come up."""
    state_dir = state_dir or default_state_dir()
    rules = custom_rules_file()
    with _locked(state_dir):
        current = read_state(state_dir)
        if current is not None and _is_our_server(current):
            if current.rules_digest == _digest(rules):
                return current
            _stop_locked(state_dir, current)  # postlint's rules changed: restart
        jar_dir = jar_dir or find_jar_dir()
        if jar_dir is None or not is_jar_dir(jar_dir):
            raise LanguageToolError(
                f"LanguageTool {VERSION} is not installed (no jars in "
                f"{jar_dir or default_jar_dir()}): run scripts/setup.sh"
            )
        java = java or shutil.which("java")
        if not java:
            raise LanguageToolError("Java is not installed: LanguageTool needs Java 17")
        port = port or free_port()
        config = _write_server_config(state_dir)
        command = [
            java,
            *JAVA_OPTIONS,
            "-cp",
            _classpath(jar_dir, state_dir, rules),
            SERVER_CLASS,
            "--port",
            str(port),
            "--config",
            str(config),
        ]
        log_path = state_dir / "server.log"
        with open(log_path, "wb") as log:
            # A new session: the server outlives this process and ignores its Ctrl-C.
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=state_dir,
            )
        state = ServerState(
            pid=process.pid,
            port=port,
            jar_dir=str(jar_dir),
            started=time.time(),
            idle_minutes=float(idle_minutes),
            rules_digest=_digest(rules),
            owner_pid=owner_pid,
            java_options=list(JAVA_OPTIONS),
        )
        deadline = time.monotonic() + timeout
        while not ping(state.url, timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                _kill(process.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
                reason = "exited" if process.returncode is not None else "did not answer"
                raise LanguageToolError(
                    f"LanguageTool {reason} on start-up; see {log_path}: {_log_tail(log_path)}"
                )
            time.sleep(0.1)
        # The first check loads the English rules and dictionaries (3 s idle, 10-20 s on a
        # busy machine): pay for it here, under the start-up deadline, so that no post's
        # check runs into its own, shorter timeout.
        with contextlib.suppress(LanguageToolError):
            if warm_up:
                check_annotated(
                    state.url,
                    [{"text": "Warm-up: the health centre is open."}],
                    "en-GB",
                    timeout=max(deadline - time.monotonic(), 60.0),
                )
        touch(state_dir)
        state.watchdog_pid = _start_watchdog(state_dir)
        _write_state(state_dir, state)
        return state


def _log_tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])[:300]


def _start_watchdog(state_dir: Path) -> int:
    process = subprocess.Popen(
        [sys.executable, "-m", "postlint.languagetool", "_watchdog", str(state_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    return process.pid


def _kill(pid: int, grace: float = 5.0) -> None:
    """SIGTERM the process group, then SIGKILL after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.05)


def _stop_locked(state_dir: Path, state: ServerState) -> None:
    if _is_our_server(state):
        _kill(state.pid)
    if state.watchdog_pid and state.watchdog_pid != os.getpid():
        cmdline = _cmdline(state.watchdog_pid)
        if "_watchdog" in cmdline and str(state_dir) in cmdline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(state.watchdog_pid, signal.SIGTERM)
    _clear_state(state_dir)


def stop_server(state_dir: Path | None = None) -> bool:
    """Stop the server recorded in ``state_dir``. True when one was running."""
    state_dir = state_dir or default_state_dir()
    if not _state_file(state_dir).exists():
        return False
    with _locked(state_dir):
        state = read_state(state_dir)
        if state is None:
            return False
        running = _is_our_server(state)
        _stop_locked(state_dir, state)
        return running


def watchdog(state_dir: Path) -> None:
    """Stop the server once it has been idle for its idle time, or its owner has gone.
    Exits when the server it watches is gone or replaced."""
    state = read_state(state_dir)
    if state is None:
        return
    limit = max(state.idle_minutes * 60.0, 1.0)
    period = min(30.0, max(limit / 4, 0.5))
    while True:
        time.sleep(period)
        current = read_state(state_dir)
        if current is None or current.pid != state.pid or not _is_our_server(current):
            return
        try:
            idle = time.time() - idle_file(state_dir).stat().st_mtime
        except OSError:
            idle = time.time() - current.started
        owner_gone = current.owner_pid is not None and not pid_alive(current.owner_pid)
        if idle > limit or owner_gone:
            with _locked(state_dir):
                latest = read_state(state_dir)
                if latest is not None and latest.pid == state.pid:
                    latest.watchdog_pid = None  # do not signal ourselves
                    _stop_locked(state_dir, latest)
            return


# --- Using a server ---------------------------------------------------------------------


@dataclass
class ServiceOptions:
    """How postlint reaches LanguageTool, from ``[tool.postlint.options.spelling]``."""

    server_url: str | None = None  # a team's own LanguageTool; None runs a local one
    jar_dir: str | None = None
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    timeout: float = CHECK_TIMEOUT
    start_timeout: float = START_TIMEOUT
    autostart: bool = True

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ServiceOptions:
        env_idle = os.environ.get("POSTLINT_LANGUAGETOOL_IDLE_MINUTES")
        idle = options.get("idle-minutes")
        return cls(
            server_url=options.get("server-url") or os.environ.get("POSTLINT_LANGUAGETOOL_URL"),
            jar_dir=options.get("jar-dir") or None,
            idle_minutes=float(idle if idle is not None else env_idle or DEFAULT_IDLE_MINUTES),
            timeout=float(options.get("timeout") or CHECK_TIMEOUT),
            start_timeout=float(options.get("start-timeout") or START_TIMEOUT),
            autostart=bool(options.get("autostart", True)),
        )


def ensure_server(options: ServiceOptions, state_dir: Path | None = None) -> str:
    """The URL to send checks to: the configured one, else a running local server, else
    one started now. Raises LanguageToolError."""
    if options.server_url:
        return options.server_url.rstrip("/")
    state_dir = state_dir or default_state_dir()
    state = status(state_dir)
    if state is not None and state.rules_digest != _digest(custom_rules_file()):
        state = None  # postlint's rules changed since the server started: restart it
    if state is None:
        if not options.autostart:
            raise LanguageToolError(
                "no LanguageTool server is running: run `postlint languagetool start`"
            )
        owner = os.environ.get("POSTLINT_LANGUAGETOOL_OWNER_PID")
        state = start_server(
            Path(options.jar_dir).expanduser() if options.jar_dir else None,
            state_dir,
            idle_minutes=options.idle_minutes,
            owner_pid=int(owner) if owner and owner.isdigit() else None,
            timeout=options.start_timeout,
        )
    touch(state_dir)
    return state.url


def check_annotated(
    url: str,
    annotation: list[dict[str, str]],
    language: str,
    *,
    disabled_rules: Iterable[str] = (),
    enabled_rules: Iterable[str] = (),
    disabled_categories: Iterable[str] = (),
    enabled_categories: Iterable[str] = (),
    level: str | None = None,
    timeout: float = CHECK_TIMEOUT,
) -> list[dict[str, Any]]:
    """POST /v2/check with annotated text; the raw matches. Raises LanguageToolError."""
    fields = {"language": language, "data": json.dumps({"annotation": annotation})}
    for key, values in (
        ("disabledRules", disabled_rules),
        ("enabledRules", enabled_rules),
        ("disabledCategories", disabled_categories),
        ("enabledCategories", enabled_categories),
    ):
        joined = ",".join(v for v in values if v)
        if joined:
            fields[key] = joined
    if level:
        fields["level"] = level
    import urllib.error  # here, not at the top: 15 ms a run that never calls
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(fields).encode("utf-8")
    request = urllib.request.Request(
        f"{url.rstrip('/')}/v2/check",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().replace("\n", " ")
        raise LanguageToolError(
            f"LanguageTool refused the request (HTTP {exc.code}): {detail}"
        ) from None
    except TimeoutError as exc:
        raise LanguageToolError(f"LanguageTool did not answer within {timeout:g} s") from exc
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LanguageToolError(f"cannot reach LanguageTool at {url}: {reason}") from exc
    matches = payload.get("matches") if isinstance(payload, dict) else None
    if not isinstance(matches, list):
        raise LanguageToolError("LanguageTool answered with something that is not a check result")
    return matches


# --- Annotated text and offsets ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skip:
    """A part of the text that is not prose, and what LanguageTool should read instead."""

    start: int
    end: int
    interpret_as: str = ""


def annotate(text: str, skips: Iterable[Skip]) -> list[dict[str, str]]:
    """Annotated text for ``text``: prose as text, each skip as markup. Concatenated, the
    parts are exactly ``text``, so LanguageTool's offsets are offsets in ``text``."""
    parts: list[dict[str, str]] = []
    position = 0
    for skip in _merge(skips, len(text)):
        if skip.start > position:
            parts.append({"text": text[position : skip.start]})
        part = {"markup": text[skip.start : skip.end]}
        if skip.interpret_as:
            part["interpretAs"] = skip.interpret_as
        parts.append(part)
        position = skip.end
    if position < len(text):
        parts.append({"text": text[position:]})
    return parts


def _merge(skips: Iterable[Skip], length: int) -> list[Skip]:
    """Sorted, clipped, non-overlapping skips (an overlap joins into the earlier one)."""
    merged: list[Skip] = []
    for skip in sorted(skips, key=lambda s: (s.start, -s.end)):
        start, end = max(skip.start, 0), min(skip.end, length)
        if end <= start:
            continue
        if merged and start < merged[-1].end:
            last = merged[-1]
            if end > last.end:
                merged[-1] = Skip(last.start, end, last.interpret_as)
            continue
        merged.append(Skip(start, end, skip.interpret_as))
    return merged


class Utf16Map:
    """Maps UTF-16 code-unit offsets (Java's, so LanguageTool's) to Python string offsets.

    A character outside the Basic Multilingual Plane (most emoji) is two UTF-16 units
    and one Python character, so every later offset shifts by one.
    """

    def __init__(self, text: str) -> None:
        self._units: list[int] = [0]
        total = 0
        for char in text:
            total += 2 if ord(char) > 0xFFFF else 1
            self._units.append(total)
        self.simple = total == len(text)

    def index(self, unit: int) -> int:
        if self.simple:
            return min(max(unit, 0), len(self._units) - 1)
        # The first character starting at or after ``unit`` (a unit in the middle of a
        # surrogate pair rounds up to the next character).
        return min(bisect.bisect_left(self._units, max(unit, 0)), len(self._units) - 1)

    def span(self, offset: int, length: int) -> tuple[int, int]:
        start = self.index(offset)
        end = self.index(offset + length)
        return start, max(end, start)


# --- Command line -----------------------------------------------------------------------


def _service_from_config() -> ServiceOptions:
    try:
        from postlint import config as config_module

        cfg = config_module.load()
        # The spelling rule (L001) carries the options of the one request L001-L003 share.
        return ServiceOptions.from_options(dict(cfg.options.get("spelling", {})))
    except Exception:  # a broken config must not stop `status` or `stop`
        return ServiceOptions.from_options({})


@click.group(name="languagetool")
def command() -> None:
    """Run the local LanguageTool server that the spelling and grammar checks use."""


@command.command()
@click.option("--port", type=int, help="Port to listen on (default: a free one).")
@click.option("--idle-minutes", type=float, help="Stop after this long unused (default 30).")
@click.option("--jar-dir", type=click.Path(file_okay=False), help="Folder of LanguageTool jars.")
@click.option(
    "--warm-up/--no-warm-up",
    default=True,
    show_default=True,
    help="Run one check before returning, so the first real check is fast.",
)
def start(port: int | None, idle_minutes: float | None, jar_dir: str | None, warm_up: bool) -> None:
    """Start the server (or report the one already running)."""
    options = _service_from_config()
    if options.server_url:
        click.echo(f"using the configured LanguageTool at {options.server_url}; nothing to start")
        return
    before = status()
    try:
        state = start_server(
            Path(jar_dir) if jar_dir else (Path(options.jar_dir) if options.jar_dir else None),
            idle_minutes=idle_minutes if idle_minutes is not None else options.idle_minutes,
            port=port,
            warm_up=warm_up,
        )
    except LanguageToolError as exc:
        click.echo(f"postlint: error: {exc}", err=True)
        sys.exit(2)
    verb = "already running" if before and before.pid == state.pid else "started"
    click.echo(
        f"LanguageTool {VERSION} {verb} at {state.url} (pid {state.pid}); "
        f"stops after {state.idle_minutes:g} minutes unused"
    )


@command.command()
def stop() -> None:
    """Stop the server."""
    if stop_server():
        click.echo("LanguageTool stopped")
    else:
        click.echo("LanguageTool was not running")


@command.command(name="status")
def status_command() -> None:
    """Say whether the server runs, where, and how long until it stops (exit 1 if not)."""
    options = _service_from_config()
    if options.server_url:
        ok = ping(options.server_url)
        click.echo(f"configured LanguageTool at {options.server_url}: {'up' if ok else 'DOWN'}")
        sys.exit(0 if ok else 1)
    jars = find_jar_dir(options.jar_dir)
    state = status()
    if state is None:
        where = jars or f"not installed (run scripts/setup.sh; expected {default_jar_dir()})"
        click.echo(f"LanguageTool is not running; jars: {where}")
        sys.exit(1)
    try:
        idle = time.time() - idle_file(default_state_dir()).stat().st_mtime
    except OSError:
        idle = 0.0
    left = max(state.idle_minutes - idle / 60, 0)
    answering = "answering" if ping(state.url) else "NOT answering"
    click.echo(
        f"LanguageTool {VERSION} running at {state.url} (pid {state.pid}), {answering}; "
        f"idle {idle / 60:.1f} min, stops in {left:.1f} min; jars: {state.jar_dir}"
    )


@command.command(name="_watchdog", hidden=True)
@click.argument("state_dir", type=click.Path(path_type=Path))
def watchdog_command(state_dir: Path) -> None:
    watchdog(state_dir)


if __name__ == "__main__":
    command()
