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
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_mb(pid: int) -> float:
    """Current resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


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
    server = subprocess.Popen(
        [sys.executable, "-m", "postlint.cli", "serve", "--port", str(port), "--no-access-log"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import httpx

        deadline = time.time() + 300
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
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
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
