"""The server under sustained load: 20 clients for 60 s from a second process, on loopback.

    python benchmarks/load_test.py [--clients 20] [--seconds 60] [--warm-up 10]

Starts ``postlint serve`` on a free loopback port (every rule; LanguageTool is used when a
server is running or can be started), warms it up, notes its resident memory, runs
load_client.py for the given time, notes the memory again and prints one JSON object:
requests, errors, p50/p95/p99 latency, requests per second, and resident memory after
warm-up and after the run with their ratio (the hardening target: at most 1.2). It only
ever talks to 127.0.0.1 and stops by itself. The corpus comes from make_corpus.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_status_kb(pid: int, field: str) -> list[int]:
    """A /proc/<pid>/status field (VmRSS, VmHWM...) in KB for a process and each of its
    children (Linux)."""
    values = []
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    values.append(int(line.split()[1]))
        except OSError:
            pass
    return values


def resident_mb(pid: int) -> float:
    """Current resident memory of a process and its children, in MB (Linux /proc)."""
    return sum(tree_status_kb(pid, "VmRSS")) / 1024


@contextlib.contextmanager
def serving(command: list[str], port: int, timeout: float = 300) -> Iterator[subprocess.Popen]:
    """``command`` (a ``postlint serve`` on ``port``) running until the block ends, started
    and answering /healthz before the block begins."""
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        import httpx

        deadline = time.time() + timeout
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


def load(url: str, clients: int, seconds: float, warm_up: float) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / "load_client.py"), url, "--clients", str(clients),
         "--seconds", str(seconds), "--warm-up", str(warm_up)],
        capture_output=True, text=True, check=True, timeout=seconds + warm_up + 120,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=10.0)
    args = parser.parse_args()
    if not (HERE / "corpus").is_dir():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py")], check=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "postlint.cli", "serve", "--port", str(port),
               "--no-access-log"]  # fmt: skip
    with serving(command, port) as server:
        load(url, args.clients, args.warm_up, 0)  # warm-up: every engine loaded and used
        after_warm_up = resident_mb(server.pid)
        result = load(url, args.clients, args.seconds, 0)
        after_run = resident_mb(server.pid)
    result.update(
        rss_after_warm_up_mb=round(after_warm_up, 1),
        rss_after_run_mb=round(after_run, 1),
        rss_ratio=round(after_run / after_warm_up, 3),
        memory_flat=after_run <= 1.2 * after_warm_up,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
