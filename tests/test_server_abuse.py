"""The server under abuse: slow clients, stalled bodies, many connections at once.

Real uvicorn on a loopback port; clients are raw sockets and httpx, all on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from postlint.api import Linter
from postlint.config import Config
from postlint.server.app import Limits, Settings, create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    port = free_port()
    linter = Linter(Config(ignore=("L001", "L002", "L003")))
    app = create_app(Settings(limits=Limits(body_seconds=1.5), port=port, warm=False), linter)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not running.started:
        assert time.time() < deadline, "server did not start"
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(10)


def _slow_client(port: int, stop: threading.Event) -> socket.socket:
    """Headers promising a body, then one byte at a time, slowly."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n{"
    )

    def trickle() -> None:
        while not stop.is_set():
            try:
                sock.sendall(b" ")
            except OSError:
                return
            stop.wait(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    return sock


def test_slow_clients_do_not_block_others(server):
    stop = threading.Event()
    slow = [_slow_client(server, stop) for _ in range(10)]
    try:
        started = time.perf_counter()
        answer = httpx.post(
            f"http://127.0.0.1:{server}/v1/lint",
            json={"text": "Book your #FluJab at a pharmacy near you.", "platforms": ["x"]},
            params={"select": "A001"},
            timeout=20,
        )
        assert answer.status_code == 200
        assert time.perf_counter() - started < 10
    finally:
        stop.set()
        for sock in slow:
            sock.close()


def test_a_stalled_body_gets_408(server):
    stop = threading.Event()
    sock = _slow_client(server, stop)
    try:
        sock.settimeout(15)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    finally:
        stop.set()
        sock.close()
