"""Load generator for ``postlint serve``: concurrent clients for a bounded time, loopback only.

    python benchmarks/load_client.py http://127.0.0.1:8765 [--clients 20] [--seconds 20]

Each client sends one post at a time (POST /v1/lint, JSON) from the benchmark corpus and
waits for the answer before sending the next, so latency includes queueing behind the other
clients. The first ``--warm-up`` seconds are not counted. Prints one JSON object: requests,
errors, requests per second and latency percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

HERE = Path(__file__).resolve().parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def read_posts(folder: Path, limit: int) -> list[dict]:
    """Posts from the corpus's Markdown drafts: the text and the platforms line."""
    posts = []
    for path in sorted(folder.glob("*.md"))[:limit]:
        source = path.read_text(encoding="utf-8")
        _, front, text = source.split("---\n", 2)
        match = re.search(r"^platforms: \[(.*)\]$", front, re.M)
        platforms = [p.strip() for p in match.group(1).split(",")] if match else ["x"]
        posts.append({"id": path.stem, "text": text.strip(), "platforms": platforms})
    return posts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def run(url: str, posts: list[dict], clients: int, seconds: float, warm_up: float) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    started = time.perf_counter()
    counting_from = started + warm_up
    stop = counting_from + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        chooser = random.Random(number)
        while (now := time.perf_counter()) < stop:
            post = chooser.choice(posts)
            began = time.perf_counter()
            try:
                answer = await http.post("/v1/lint", json=post)
                problem = None if answer.status_code == 200 else f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            took = time.perf_counter() - began
            if now >= counting_from:
                latencies.append(took)
                if problem:
                    errors[problem] = errors.get(problem, 0) + 1

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    elapsed = time.perf_counter() - counting_from
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "rps": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warm-up", type=float, default=3.0)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    host = urlsplit(args.url).hostname or ""
    if host not in LOOPBACK:
        sys.exit(f"load_client: refusing {host!r}: it only loads servers on this machine")
    if not 0 < args.seconds <= 600 or not 0 < args.clients <= 200:
        sys.exit("load_client: use 1-200 clients for up to 600 seconds")
    posts = read_posts(args.corpus, args.posts)
    if not posts:
        sys.exit(f"load_client: no drafts in {args.corpus}: run benchmarks/make_corpus.py")
    result = asyncio.run(run(args.url, posts, args.clients, args.seconds, args.warm_up))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
