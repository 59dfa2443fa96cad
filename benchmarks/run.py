"""Measure postlint's speed and memory, and time proselint, alex and write-good beside it.

    python benchmarks/run.py [--repeat 3] [--seconds 20] [--skip-others] [--skip-server]

Prints a table (the median of ``--repeat`` runs) of:
  * cold start of ``postlint check`` on one post, with spaCy-free checks and with all checks;
  * throughput on the 1,000-post corpus with all checks and a warm LanguageTool, and without
    LanguageTool (``--ignore L001,L002,L003``);
  * a cached re-run of the corpus;
  * ``postlint serve`` latency (p50, p95) and requests per second for one client, and under
    20 concurrent clients from a second process (benchmarks/load_client.py), with 1 and 2
    server workers;
  * peak memory (the largest process) of each;
  * proselint (pip) and alex and write-good (npm) on the same corpus, installed into
    benchmarks/.env and benchmarks/node_modules (both gitignored), and the ratio.

The machine is shared: the load average is printed with the results, and figures taken while
other work runs are slower than the machine can do; the CPU-time column (the command and its
worker processes, user + system) depends much less on the load.

postlint runs as an installed tool does, with its bytecode compiled once (into
benchmarks/.env/pycache, through PYTHONPYCACHEPREFIX): an environment that sets
PYTHONDONTWRITEBYTECODE would otherwise compile postlint's 17,000 lines again at every start
(about 35 ms). ``--no-bytecode`` measures that way instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from load_test import free_port, serving, tree_status_kb  # benchmarks/: run as a script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus"
ENV = HERE / ".env"
VENV_BIN = Path(sys.executable).parent
POSTLINT = [str(VENV_BIN / "postlint")]
LANGUAGETOOL_RULES = "L001,L002,L003"

# Runs a command and reports the largest resident set of it and its children (in KB) and the
# CPU time they used (user + system seconds): on a shared machine the wall time depends on
# what else runs, the CPU time much less.
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{use.ru_maxrss} {use.ru_utime + use.ru_stime}')\n"
    "sys.exit(code)\n"
)


@dataclass
class Row:
    name: str
    seconds: float | None = None
    rate: str = ""
    memory_mb: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    cpu_seconds: float | None = None  # user + system, the command and its worker processes


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak memory (MB), exit code and CPU seconds of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        started = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-c", MEASURE, report.name, *command],
            env={**os.environ, **(env or {})},
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - started
        report.seek(0)
        fields = report.read().split()
    if len(fields) != 2:
        return elapsed, float("nan"), code, float("nan")
    return elapsed, int(fields[0]) / 1024, code, float(fields[1])


def median_run(command: list[str], repeat: int, env: dict[str, str] | None = None):
    """Median wall seconds, largest peak memory, last exit code, median CPU seconds."""
    runs = [timed(command, env) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        runs[-1][2],
        statistics.median(r[3] for r in runs),
    )


def spacy_free_rules() -> str:
    from postlint.registry import load_registry

    registry = load_registry()
    heavy = {"spacy_doc", "languagetool"}
    return ",".join(c for c, cls in registry.checks.items() if not set(cls.requires) & heavy)


def languagetool_start() -> bool:
    answer = subprocess.run([*POSTLINT, "languagetool", "start"], capture_output=True, text=True)
    return answer.returncode == 0


def process_tree_peak_mb(pid: int) -> float:
    """The largest VmHWM among a process and its children (Linux /proc)."""
    peaks = tree_status_kb(pid, "VmHWM")
    return max(peaks) / 1024 if peaks else float("nan")


def serve_and_load(workers: int, seconds: float, clients: int) -> tuple[dict, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [*POSTLINT, "serve", "--port", str(port), "--workers", str(workers),
               "--no-access-log"]  # fmt: skip
    with serving(command, port) as server:
        time.sleep(2 if workers > 1 else 0)  # let every worker finish warming up
        out = subprocess.run(
            [sys.executable, str(HERE / "load_client.py"), url, "--clients", str(clients),
             "--seconds", str(seconds)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        memory = process_tree_peak_mb(server.pid)
    return json.loads(out.stdout), memory


# --- other linters ----------------------------------------------------------------------------


def install_others() -> dict[str, list[str]]:
    """Commands for the other linters that could be installed, by name."""
    commands: dict[str, list[str]] = {}
    python = ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
    if not (ENV / "bin" / "proselint").exists():
        subprocess.run([str(python), "-m", "pip", "install", "-q", "proselint"], check=False)
    if (ENV / "bin" / "proselint").exists():
        commands["proselint"] = [str(ENV / "bin" / "proselint")]
    bin_dir = HERE / "node_modules" / ".bin"
    if shutil.which("npm") and not (bin_dir / "alex").exists():
        subprocess.run(
            ["npm", "install", "--no-save", "--silent", "--no-audit", "--no-fund",
             "--prefix", str(HERE), "alex", "write-good"],
            check=False,
        )  # fmt: skip
    for name in ("alex", "write-good"):
        if (bin_dir / name).exists():
            commands[name] = [str(bin_dir / name)]
    return commands


def other_command(name: str, base: list[str], files: list[str]) -> list[str]:
    if name == "proselint":  # proselint 0.14 and later take a ``check`` command
        usage = subprocess.run([*base, "--help"], capture_output=True, text=True).stdout
        return [*base, "check", *files] if " check " in usage else [*base, *files]
    if name == "alex":
        return [*base, "--quiet", *files]
    return [*base, *files]


# --- the table --------------------------------------------------------------------------------


def show(rows: list[Row]) -> str:
    header = "| Measure | Time | CPU time | Rate | Peak memory | Target | Met |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for row in rows:
        seconds = "" if row.seconds is None else f"{row.seconds:.2f} s"
        cpu = "" if row.cpu_seconds is None else f"{row.cpu_seconds:.2f} s"
        memory = "" if row.memory_mb is None else f"{row.memory_mb:.0f} MB"
        met = "" if row.met is None else ("yes" if row.met else "NO")
        name = row.name + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {name} | {seconds} | {cpu} | {row.rate} | {memory} | {row.target} | {met} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0, help="server load duration")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=0, help="postlint --jobs (0: automatic)")
    parser.add_argument("--skip-others", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument(
        "--skip-languagetool", action="store_true", help="skip the rows that need LanguageTool"
    )
    parser.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE if it is set"
    )
    args = parser.parse_args()
    if not args.no_bytecode:
        # Every command below inherits this: bytecode written once, outside the source tree.
        os.environ["PYTHONPYCACHEPREFIX"] = str(ENV / "pycache")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    if not CORPUS.is_dir() or len(list(CORPUS.glob("*.md"))) < 1000:
        subprocess.run([sys.executable, str(HERE / "make_corpus.py")], check=True)
    files = sorted(str(p) for p in CORPUS.glob("*.md"))
    posts = len(files)
    one = files[1]
    cache_env = {"POSTLINT_CACHE_DIR": str(ENV / "cache")}
    jobs = ["--jobs", str(args.jobs)]
    rows: list[Row] = []
    load_before = os.getloadavg()

    have_lt = not args.skip_languagetool and languagetool_start()
    lt_note = "warm LanguageTool" if have_lt else "LanguageTool NOT running"
    # One untimed run first: it compiles the bytecode and builds the per-user word store, as
    # any first run after installing does.
    timed([*POSTLINT, "check", "--no-cache", one])

    seconds, memory, _, cpu = median_run(
        [*POSTLINT, "check", "--no-cache", "--select", spacy_free_rules(), one],
        max(args.repeat, 5),
    )
    rows.append(Row("Cold start, 1 post, spaCy-free checks", seconds, "", memory, "< 0.5 s",
                    seconds < 0.5, cpu_seconds=cpu))  # fmt: skip
    if not args.skip_languagetool:
        seconds, memory, _, cpu = median_run([*POSTLINT, "check", "--no-cache", one], args.repeat)
        rows.append(Row("Cold start, 1 post, all checks", seconds, "", memory, note=lt_note,
                        cpu_seconds=cpu))  # fmt: skip
        seconds, memory, _, cpu = median_run(
            [*POSTLINT, "check", "--no-cache", *jobs, str(CORPUS)], 1
        )
        rate = posts / seconds
        rows.append(Row(f"{posts} posts, all checks", seconds, f"{rate:.0f} posts/s", memory,
                        ">= 50 posts/s", rate >= 50, lt_note, cpu_seconds=cpu))  # fmt: skip
    ignore = ["--ignore", LANGUAGETOOL_RULES]
    seconds, memory, _, cpu = median_run(
        [*POSTLINT, "check", "--no-cache", *jobs, *ignore, str(CORPUS)], args.repeat
    )
    our_rate = posts / seconds
    rows.append(Row(f"{posts} posts, all checks but LanguageTool", seconds,
                    f"{our_rate:.0f} posts/s", memory, ">= 200 posts/s",
                    our_rate >= 200, cpu_seconds=cpu))  # fmt: skip

    shutil.rmtree(ENV / "cache", ignore_errors=True)
    timed([*POSTLINT, "check", *jobs, *ignore, str(CORPUS)], cache_env)  # fill the cache
    for report in ("json", "text"):
        seconds, memory, _, cpu = median_run(
            [*POSTLINT, "check", "--output-format", report, *jobs, *ignore, str(CORPUS)],
            args.repeat,
            cache_env,
        )
        rate = f"{posts / seconds:.0f} posts/s"
        name = f"{posts} posts, cached re-run, {report} report"
        rows.append(Row(name, seconds, rate, memory, "< 1 s", seconds < 1, cpu_seconds=cpu))

    if not args.skip_server:
        for workers, clients in ((1, 1), (1, args.clients), (2, args.clients)):
            result, memory = serve_and_load(workers, args.seconds, clients)
            # The targets: p95 under 150 ms for a single post (one client), and no
            # errors under load. Under 20 clients the latency is throughput-bound (clients /
            # requests a second, by Little's law), so the target there is no errors.
            alone = clients == 1
            ok = not result["errors"] and result["requests"] > 0
            if alone:
                ok = ok and result["p95_ms"] is not None and result["p95_ms"] < 150
            rows.append(Row(
                f"Server, {workers} worker(s), {clients} client(s), 1 post/request",
                None,
                f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['rps']} req/s, "
                f"{result['errors']} errors / {result['requests']}",
                memory,
                "p95 < 150 ms, no errors" if alone else "no errors under load",
                ok,
                lt_note,
            ))  # fmt: skip

    if not args.skip_others:
        for name, base in install_others().items():
            seconds, memory, _, cpu = median_run(other_command(name, base, files), 1)
            rows.append(Row(
                f"{name} on the same {posts} posts", seconds, f"{posts / seconds:.0f} posts/s",
                memory, note=f"postlint without LanguageTool is {our_rate / (posts / seconds):.2f}"
                "x its speed", cpu_seconds=cpu,
            ))  # fmt: skip

    load_after = os.getloadavg()
    print(show(rows))
    print(
        f"\nMachine: {os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other work shares the CPUs, so times are upper bounds)."
    )


if __name__ == "__main__":
    main()
