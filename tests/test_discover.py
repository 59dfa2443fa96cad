"""Which files a folder walk lints, and that workers never outlive the run."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from postlint.runner import PipelineFactory, discover


def _tree(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    (drafts / "archive").mkdir(parents=True)
    (drafts / "post.md").write_text("Book your #FluJab today.\n")
    (drafts / "notes.txt").write_text("Not a draft.\n")
    (drafts / "archive" / "old.md").write_text("Old post.\n")
    (drafts / "postlint.toml").write_text('include = ["*.md"]\nexclude = ["archive"]\n')
    return drafts


def test_walk_uses_the_nearest_config_for_include_and_exclude(tmp_path):
    drafts = _tree(tmp_path)
    found = [p.relative_to(drafts).as_posix() for p in discover([drafts], None, PipelineFactory())]
    assert found == ["post.md"]


def test_command_line_exclude_without_a_config_file(tmp_path):
    drafts = _tree(tmp_path)
    (drafts / "postlint.toml").unlink()
    out = subprocess.run(
        [sys.executable, "-m", "postlint.cli", "check", "--select", "A001", "--no-cache",
         "--exclude", "archive", "--output-format", "json", str(drafts)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "old.md" not in out.stdout and "post.md" in out.stdout, out.stderr[-1000:]


def test_workers_end_when_the_parent_is_killed(tmp_path):
    """A parallel run killed mid-way leaves no worker process behind."""
    drafts = tmp_path / "many"
    drafts.mkdir()
    for number in range(400):
        (drafts / f"p{number}.md").write_text(f"Post {number}: book your #flujab today.\n")
    script = textwrap.dedent(f"""
        import sys
        from postlint.cli import main
        sys.argv = ["postlint", "check", "--no-cache", "--jobs", "2", "--ignore", "L001,L002,L003",
                    {str(drafts)!r}]
        main()
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    workers: list[int] = []
    deadline = time.time() + 60
    while time.time() < deadline and not workers and parent.poll() is None:
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
        if children.exists():
            workers = [int(p) for p in children.read_text().split()]
        time.sleep(0.1)
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    if not workers:  # the run ended before forking (a fast machine): nothing to check
        return
    deadline = time.time() + 10
    alive = workers
    while alive and time.time() < deadline:
        alive = [pid for pid in workers if _running(pid)]
        time.sleep(0.1)
    assert not alive, f"workers outlived the killed run: {alive}"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; init reaps it
