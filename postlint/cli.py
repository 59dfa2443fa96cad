"""The command line: ``postlint check``, ``rules``, ``explain``, ``init`` and friends.

Exit codes: 0 every post passes, 1 some post fails, 2 usage, config or I/O error. A user
never sees a traceback: an unexpected error becomes a one-line message and exit 2
(``postlint --debug ...`` shows the traceback).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from postlint import __version__
from postlint import config as config_module
from postlint.config import ConfigError
from postlint.pipeline import unknown_selectors
from postlint.registry import load_registry
from postlint.reporters import FORMATS, ReportOptions, render

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 20  # a progress bar for runs longer than a glance
# Subcommands whose modules are heavy (a web server, a Java service): imported on use.
LAZY_COMMANDS = {
    "serve": "postlint.server:command",
    "languagetool": "postlint.languagetool:command",
    "strip-metadata": "postlint.strip_metadata:command",
}


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def fail(message: str) -> None:
    click.echo(f"postlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


class PostlintGroup(click.Group):
    """Lazy subcommands, and the guard that turns an unexpected error into exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        module_name, _, attribute = LAZY_COMMANDS[cmd_name].partition(":")
        try:
            return getattr(importlib.import_module(module_name), attribute)
        except Exception as exc:  # a missing optional dependency must not break the CLI
            reason = f"{type(exc).__name__}: {exc}"

            @click.command(cmd_name, help=f"(unavailable: {reason})")
            def unavailable() -> None:
                fail(f"`postlint {cmd_name}` is unavailable here: {reason}")

            return unavailable

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ConfigError as exc:
            fail(str(exc))
        except BrokenPipeError:  # `postlint check ... | head`: not an error worth a word
            sys.stderr.close()
            os._exit(EXIT_FAIL)
        except Exception as exc:
            if (ctx.obj or {}).get("debug") or os.environ.get("POSTLINT_DEBUG"):
                traceback.print_exc()
            reason = str(exc).replace("\n", " ")[:200]
            fail(
                f"internal error: {type(exc).__name__}: {reason}. This is a bug in postlint "
                "or a plugin; run `postlint --debug ...` for the traceback and report it."
            )


@click.group(cls=PostlintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postlint")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Lint social-media drafts for accessibility, language and safety before they go out."""
    ctx.obj = {"debug": debug}


class _Progress:
    """A progress bar on standard error, for runs of more than PROGRESS_MIN_FILES files on a
    terminal. It appears with the runner's first report, which carries the total."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: Any = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= PROGRESS_MIN_FILES:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="Linting", file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _accepts(function: Any, name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


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
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report the rest.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
@click.option(
    "--include", multiple=True, help="File name globs to lint in folders (replaces the config's)."
)
@click.option("--exclude", multiple=True, help="Names or globs to skip in folders (added).")
@click.option("--quiet", "-q", is_flag=True, help="Only print failing posts' findings.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when posts fail.")
@click.option("--fail-under", type=click.IntRange(0, 100), help="Fail posts scoring below this.")
@click.option("--stdin-filename", help="Name (and format, by suffix) of the draft read from -.")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
@click.option("--no-cache", is_flag=True, help="Lint every file again; ignore stored results.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(0, 256),
    default=None,
    help="Worker processes (0: one per CPU when the run is big enough; default automatic).",
)
def check(
    paths,
    select,
    extend_select,
    ignore,
    platforms,
    output_format,
    config_path,
    fix,
    unsafe_fixes,
    diff,
    include,
    exclude,
    quiet,
    statistics,
    exit_zero,
    fail_under,
    stdin_filename,
    no_color,
    no_cache,
    jobs,
) -> None:
    """Lint drafts: files, folders (walked) or - for standard input."""
    from postlint import runner

    if not paths:
        fail("give at least one file or folder to check (or - for standard input)")
    if unsafe_fixes and not (fix or diff):
        fail("--unsafe-fixes only works with --fix or --diff")
    registry = load_registry()
    overrides: dict[str, Any] = {}
    if select:
        overrides["select"] = _split(select)
    if extend_select:
        overrides["extend_select"] = _split(extend_select)
    if include:
        overrides["include"] = _split(include)
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
    stdin_count = sum(1 for p in paths if str(p) == "-")
    if stdin_count > 1:
        fail("standard input (-) can be given only once")
    for path in paths:
        if str(path) != "-" and not path.exists():
            fail(f"{path}: no such file or folder")
    base = None
    if config_path:
        if not config_path.is_file():
            fail(f"config file {config_path} does not exist")
        try:
            base = config_module.load(config_path)
        except ConfigError as exc:
            fail(str(exc))

    def configure(config):
        changed = replace(config, **overrides)
        if ignore:
            changed = replace(changed, ignore=changed.ignore + _split(ignore))
        if exclude:
            changed = replace(changed, exclude=changed.exclude + _split(exclude))
        return changed

    if base is not None:  # one config for every file; discovery reads include/exclude from it
        factory = runner.PipelineFactory(configure(base), None, registry)
    else:
        factory = runner.PipelineFactory(None, configure, registry)
    files = [p for p in paths if str(p) != "-"]
    use_cache = not no_cache and not os.environ.get("POSTLINT_NO_CACHE")
    color = not no_color and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    options = ReportOptions(
        color=color, statistics=statistics, quiet=quiet, rules=dict(registry.checks)
    )
    try:
        if fix or diff:
            code = _fix(files, stdin_count, stdin_filename, factory, unsafe_fixes, diff)
            if code is not None:
                sys.exit(code)
        run = runner.RunResult()
        if stdin_count:
            run.files += 1
            data = sys.stdin.buffer.read()
            name, base_dir = _stdin_name(stdin_filename)
            run.posts.extend(runner.lint_bytes(data, name, factory, base_dir))
        files_run = _lint_files(runner, files, factory, use_cache, jobs)
        run.files += files_run.files
        run.posts.extend(files_run.posts)
    except ConfigError as exc:
        fail(str(exc))
    if files and not run.files:
        click.echo("postlint: warning: no drafts found in the given folders", err=True)
    click.echo(render(output_format, run, options), nl=False)
    sys.exit(EXIT_OK if run.passed or exit_zero else EXIT_FAIL)


def _stdin_name(stdin_filename: str | None) -> tuple[str, Path]:
    """The name standard input is reported as, and the folder its media paths start from."""
    if not stdin_filename:
        return "stdin.md", Path.cwd()
    return stdin_filename, Path(stdin_filename).expanduser().resolve().parent


def _lint_files(runner, files: list[Path], factory, use_cache: bool, jobs: int | None):
    """runner.lint_paths with the cache, jobs and a progress bar where it supports them."""
    if not files:
        return runner.RunResult()
    kwargs: dict[str, Any] = {}
    if _accepts(runner.lint_paths, "use_cache"):
        kwargs["use_cache"] = use_cache
    if _accepts(runner.lint_paths, "jobs"):
        kwargs["jobs"] = jobs
    progress = None
    if _accepts(runner.lint_paths, "progress") and sys.stderr.isatty():
        progress = _Progress(enabled=True)
        kwargs["progress"] = progress.update
    try:
        return runner.lint_paths(files, factory, **kwargs)
    finally:
        if progress is not None:
            progress.close()


def _fix(
    files: list[Path],
    stdin_count: int,
    stdin_filename: str | None,
    factory,
    unsafe: bool,
    diff: bool,
) -> int | None:
    """Apply (or, with --diff, show) fixes. Returns an exit code when the run ends here."""
    from postlint import fixes, runner

    if stdin_count:
        if files:
            fail("--fix and --diff read standard input alone: give - without other paths")
        data = sys.stdin.buffer.read()
        name, base_dir = _stdin_name(stdin_filename)
        pipeline = factory.for_folder(base_dir)
        options = runner.read_options(pipeline.config, base_dir)
        new, result = fixes.fix_bytes(data, name, pipeline, options, unsafe=unsafe)
        if diff:
            click.echo(result.diff(), nl=False)
            return EXIT_FAIL if result.changed else EXIT_OK
        sys.stdout.buffer.write(new)  # the fixed draft, as ruff does for standard input
        sys.stdout.flush()
        click.echo(f"postlint: {result.applied} fixes applied to standard input", err=True)
        remaining = runner.lint_bytes(new, name, factory, base_dir)
        return EXIT_OK if all(r.passed for r in remaining) else EXIT_FAIL
    discovered = list(runner.discover(files, factory.config, factory))
    changed = applied = 0
    errors: list[str] = []
    for file in discovered:
        pipeline = factory.for_folder(file.parent)
        options = runner.read_options(
            pipeline.config, runner.media_root_for(file, files, pipeline.config)
        )
        result = fixes.fix_file(file, pipeline, options, unsafe=unsafe, write=not diff)
        if result.error and result.original:
            errors.append(f"{file}: {result.error}")
        if result.changed:
            changed += 1
            applied += result.applied
            if diff:
                click.echo(result.diff(), nl=False)
    for message in errors:
        click.echo(f"postlint: error: {message}", err=True)
    if diff:
        click.echo(
            f"postlint: {applied} fixes would change {changed} of {len(discovered)} files",
            err=True,
        )
        if errors:
            return EXIT_ERROR
        return EXIT_FAIL if changed else EXIT_OK
    click.echo(f"postlint: fixed {applied} findings in {changed} files", err=True)
    if errors:
        return EXIT_ERROR
    return None  # go on and report what is left


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
    """Explain a rule (by code or name): what it finds, why, a bad and a good example."""
    import difflib

    registry = load_registry()
    cls = registry.resolve(rule)
    if cls is None:
        names = [*registry.checks, *registry.by_name()]
        close = difflib.get_close_matches(rule, names, n=1) or difflib.get_close_matches(
            rule.upper(), names, n=1
        )
        hint = f" Did you mean {close[0]!r}?" if close else ""
        fail(f"no rule {rule!r}.{hint} See `postlint rules`.")
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


@main.command()
@click.option(
    "--path",
    "target",
    type=click.Path(path_type=Path),
    default=Path("postlint.toml"),
    show_default=True,
    help="Where to write the config file.",
)
def init(target: Path) -> None:
    """Write a commented postlint.toml documenting every key and rule option."""
    if target.exists():
        fail(f"{target} already exists: postlint init never overwrites a file")
    text = config_module.template(load_registry())
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        fail(f"{target} already exists: postlint init never overwrites a file")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror}")
    click.echo(f"wrote {target}: edit it, then run `postlint check <drafts>`")


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


if __name__ == "__main__":  # pragma: no cover
    main()
