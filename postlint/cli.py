"""The command line: ``postlint check``, ``rules``, ``explain`` and friends.

Exit codes: 0 every post passes, 1 some post fails, 2 usage, config or I/O error.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from postlint import __version__
from postlint import config as config_module
from postlint.config import ConfigError
from postlint.pipeline import unknown_selectors
from postlint.registry import load_registry
from postlint.reporters import FORMATS, ReportOptions, render

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def fail(message: str) -> None:
    click.echo(f"postlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postlint")
def main() -> None:
    """Lint social-media drafts for accessibility, language and safety before they go out."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rules to run: codes, prefixes (A, S0) or names.")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rules to skip: codes, prefixes or names.")
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    help="Target platform(s) for posts that name none (x, facebook, ...).",
)
@click.option(
    "--output-format", type=click.Choice(sorted(FORMATS)), default="text", show_default=True
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Use this config file instead of the nearest one.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only print failing posts' findings.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when posts fail.")
@click.option("--fail-under", type=click.IntRange(0, 100), help="Fail posts scoring below this.")
@click.option("--stdin-filename", help="Name (and format, by suffix) of the draft read from -.")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
def check(
    paths,
    select,
    extend_select,
    ignore,
    platforms,
    output_format,
    config_path,
    quiet,
    statistics,
    exit_zero,
    fail_under,
    stdin_filename,
    no_color,
) -> None:
    """Lint drafts: files, folders (walked) or - for standard input."""
    from postlint import runner

    if not paths:
        fail("give at least one file or folder to check (or - for standard input)")
    registry = load_registry()
    overrides = {}
    if select:
        overrides["select"] = _split(select)
    if extend_select:
        overrides["extend_select"] = _split(extend_select)
    if platforms:
        from postlint.model import PLATFORMS, normalise_platform

        names = _split(platforms)
        bad = [p for p in names if normalise_platform(p) is None]
        if bad:
            fail(f"unknown platform {bad[0]!r}; use one of {', '.join(PLATFORMS)}")
        overrides["platforms"] = tuple(normalise_platform(p) for p in names)
    if fail_under is not None:
        overrides["fail_under"] = fail_under
    selectors = [*overrides.get("select", ()), *overrides.get("extend_select", ()), *_split(ignore)]
    unknown = unknown_selectors(registry, selectors)
    if unknown:
        fail(f"no rule matches {unknown[0]!r}; see `postlint rules`")
    for path in paths:
        if str(path) != "-" and not path.exists():
            fail(f"{path}: no such file or folder")
    try:
        base = config_module.load(config_path) if config_path else None
    except ConfigError as exc:
        fail(str(exc))

    def configure(config):
        changed = replace(config, **overrides)
        if ignore:
            changed = replace(changed, ignore=changed.ignore + _split(ignore))
        return changed

    factory = runner.PipelineFactory(base, configure, registry)
    files = [p for p in paths if str(p) != "-"]
    try:
        run = runner.RunResult()
        if len(files) < len(paths):
            run.files += 1
            run.posts.extend(
                runner.lint_bytes(sys.stdin.buffer.read(), stdin_filename or "stdin.md", factory)
            )
        files_run = runner.lint_paths(files, factory)
        run.files += files_run.files
        run.posts.extend(files_run.posts)
    except ConfigError as exc:
        fail(str(exc))
    color = not no_color and sys.stdout.isatty()
    options = ReportOptions(color=color, statistics=statistics, quiet=quiet)
    click.echo(render(output_format, run, options), nl=False)
    sys.exit(EXIT_OK if run.passed or exit_zero else EXIT_FAIL)


@main.command()
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules(output_format: str) -> None:
    """List every installed rule: code, name, family, severity, fixable, policy clause."""
    import json

    registry = load_registry()
    rows = []
    for code, cls in registry.checks.items():
        rows.append(
            {
                "code": code,
                "name": cls.name,
                "family": cls(options={}).family,
                "severity": str(cls.severity),
                "fixable": cls.fixable,
                "policy": cls.policy,
                "summary": cls.summary,
            }
        )
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        fix = "fix" if row["fixable"] else "   "
        click.echo(
            f"{row['code']}  {row['name']:<32} {row['family']:<13} {row['severity']:<8}"
            f" {fix}  {row['policy']}"
        )


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule: what it finds, why, a bad and a good example."""
    registry = load_registry()
    cls = registry.resolve(rule)
    if cls is None:
        fail(f"no rule {rule!r}; see `postlint rules`")
    lines = [
        f"{cls.code} {cls.name}",
        "",
        f"Severity: {cls.severity}    Family: {cls(options={}).family}    "
        f"Fixable: {'yes' if cls.fixable else 'no'}",
        f"Policy: {cls.policy}",
        "",
        cls.summary,
    ]
    if cls.explanation:
        lines += ["", cls.explanation]
    for example in cls.examples:
        lines += ["", "Bad:", _indent(example.bad), "Good:", _indent(example.good)]
        if example.note:
            lines += [example.note]
    if cls.options:
        lines += ["", f"Options ([tool.postlint.options.{cls.name}]):"]
        lines += [f"  {key} = {value!r}" for key, value in cls.options.items()]
    click.echo("\n".join(lines))


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


if __name__ == "__main__":  # pragma: no cover
    main()
