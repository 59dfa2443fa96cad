"""Configuration: ``[tool.postlint]`` in pyproject.toml, or ``postlint.toml`` / ``.postlint.toml``.

The nearest config file found walking up from each linted file wins (as ruff and Vale do).
Unknown keys and bad values are errors that name the key and list the valid ones.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import hashlib
import json
import re
import textwrap
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postlint.findings import Severity
from postlint.model import normalise_platform

if TYPE_CHECKING:
    from postlint.registry import Registry

CONFIG_FILES = ("postlint.toml", ".postlint.toml", "pyproject.toml")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2}|-[0-9]{3})?$")


class ConfigError(Exception):
    """A config file or option is wrong; the CLI exits with code 2."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # rule code or name -> severity
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    platforms: tuple[str, ...] = ("x", "facebook", "instagram", "linkedin")
    fail_under: int = 60
    max_posts_per_file: int = 1000  # bulk files beyond this are reported, not linted for minutes
    language: str = "en-GB"
    timezone: str = "Europe/London"
    include: tuple[str, ...] = ("*.md", "*.markdown", "*.txt", "*.yaml", "*.yml", "*.json", "*.csv")
    exclude: tuple[str, ...] = (
        ".git",
        ".venv",
        "node_modules",
        "__pycache__",
        ".postlint_cache",
        "README.md",
    )
    # Word lists a comms team edits without Python (Vale's accept/reject vocabularies).
    accept: tuple[str, ...] = ()  # words that are never spelling mistakes
    acronyms: tuple[str, ...] = ()  # extra acronyms that keep their capitals / need no expansion
    # Media paths outside the folder of the drafts are refused unless allowed here.
    allow_media_outside: bool = False
    csv_columns: dict[str, str] = field(default_factory=dict)  # post field -> CSV header
    # Per-check options, by check name: [tool.postlint.options.hashtag-camel-case]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None  # the file it came from

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def digest(self) -> str:
        """A stable hash of the settings, for the results cache."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def ignores_for(self, path: str) -> tuple[str, ...]:
        extra: list[str] = []
        relative = _relative(path, self.root)
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(path).name, pattern):
                extra.extend(codes)
        return self.ignore + tuple(extra)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


KEY_ALIASES = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name != "path"}
VALID_KEYS = sorted(KEY_ALIASES)


def _suggest(key: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"{hint} Valid keys: {', '.join(valid)}."


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{key!r} must be a list of strings, got {value!r}")


def from_mapping(
    data: dict[str, Any],
    path: Path | None = None,
    base: Config | None = None,
    registry: Registry | None = None,
) -> Config:
    """Build a Config from a ``[tool.postlint]``-shaped mapping, validating every key.

    Rule selectors, per-rule severities and the ``options`` tables are checked against the
    installed rules (``registry``, by default every installed plugin).
    """
    config = base or Config()
    changes: dict[str, Any] = {"path": path}
    where = f" in {path}" if path else ""
    if not isinstance(data, dict):
        raise ConfigError(f"the postlint settings{where} must be a table of keys")
    for raw_key, value in data.items():
        name = KEY_ALIASES.get(raw_key) or KEY_ALIASES.get(raw_key.replace("_", "-"))
        if name is None:
            raise ConfigError(f"unknown key {raw_key!r}{where}.{_suggest(raw_key, VALID_KEYS)}")
        try:
            changes[name] = _coerce(name, raw_key, value)
        except ConfigError as exc:
            raise ConfigError(f"{exc}{where}") from None
    needs_rules = {"select", "extend_select", "ignore", "severity", "per_file_ignores", "options"}
    if needs_rules & set(changes):
        try:
            changes.update(_check_rules(changes, registry))
        except ConfigError as exc:
            raise ConfigError(f"{exc}{where}") from None
    return replace(config, **changes)


def _check_rules(changes: dict[str, Any], registry: Registry | None) -> dict[str, Any]:
    """Selectors, severities and option tables must name installed rules and options."""
    from postlint.pipeline import unknown_selectors
    from postlint.registry import load_registry

    registry = registry or load_registry()
    hint = " See `postlint rules` for the installed rules."
    if registry.errors:
        hint += f" (Some plugins failed to load: {registry.errors[0]})"
    names = sorted(registry.by_name())
    for key in ("select", "extend_select", "ignore"):
        for selector in unknown_selectors(registry, changes.get(key, ())):
            raise ConfigError(f"{key.replace('_', '-')!r}: no rule matches {selector!r}.{hint}")
    for pattern, codes in changes.get("per_file_ignores", {}).items():
        for selector in unknown_selectors(registry, codes):
            raise ConfigError(f"'per-file-ignores.{pattern}': no rule matches {selector!r}.{hint}")
    severity: dict[str, str] = {}
    for rule, level in changes.get("severity", {}).items():
        cls = registry.resolve(rule)
        if cls is None:
            close = difflib.get_close_matches(rule.lower(), names, n=1)
            more = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"'severity': no rule {rule!r}.{more}{hint}")
        severity[cls.code] = level
    options: dict[str, dict[str, Any]] = {}
    for rule, table in changes.get("options", {}).items():
        cls = registry.resolve(rule)
        if cls is None:
            close = difflib.get_close_matches(rule.lower(), names, n=1)
            more = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"'options.{rule}': no installed rule has that name.{more}{hint}")
        valid = sorted(cls.options)
        for option, value in table.items():
            if option not in cls.options:
                close = difflib.get_close_matches(option, valid, n=1)
                more = f" Did you mean {close[0]!r}?" if close else ""
                listed = ", ".join(valid) if valid else "none: this rule has no options"
                raise ConfigError(
                    f"'options.{cls.name}': unknown option {option!r}.{more} "
                    f"Valid options: {listed}."
                )
            _check_option_type(cls.name, option, value, cls.options[option])
        options.setdefault(cls.name, {}).update(table)
    result: dict[str, Any] = {}
    if "severity" in changes:
        result["severity"] = severity
    if "options" in changes:
        result["options"] = options
    return result


def _check_option_type(rule: str, option: str, value: Any, default: Any) -> None:
    """An option's value must have the type of its default (a number for a number...)."""
    if default is None:
        return
    expected: tuple[type, ...]
    if isinstance(default, bool):
        expected, words = (bool,), "true or false"
    elif isinstance(default, int | float):
        expected, words = (int, float), "a number"
    elif isinstance(default, str):
        expected, words = (str,), "a string"
    elif isinstance(default, list | tuple):
        expected, words = (list, tuple), "a list"
    elif isinstance(default, dict):
        expected, words = (dict,), "a table"
    else:
        return
    # bool is an int in Python, but "true" is not a number anyone means
    wrong_bool = isinstance(value, bool) and bool not in expected
    if wrong_bool or not isinstance(value, expected):
        raise ConfigError(
            f"'options.{rule}.{option}' must be {words} (default {default!r}), got {value!r}"
        )


def _coerce(name: str, key: str, value: Any) -> Any:
    if name in {"select", "extend_select", "ignore", "include", "exclude", "accept", "acronyms"}:
        return _string_list(key, value)
    if name == "platforms":
        platforms = _string_list(key, value)
        for platform in platforms:
            if normalise_platform(platform) is None:
                from postlint.model import PLATFORMS

                close = _suggest(platform, list(PLATFORMS)).replace("keys", "platforms")
                raise ConfigError(f"{key!r}: unknown platform {platform!r}.{close}")
        return tuple(normalise_platform(p) for p in platforms)
    if name == "fail_under":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ConfigError(f"{key!r} must be a whole number from 0 to 100, got {value!r}")
        return value
    if name == "max_posts_per_file":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{key!r} must be a whole number of at least 1, got {value!r}")
        return value
    if name == "language":
        if not isinstance(value, str) or not LANGUAGE.match(value):
            raise ConfigError(
                f"{key!r} must be a language tag such as en-GB or en-US, got {value!r}"
            )
        return value
    if name == "timezone":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key!r} must be a time zone name, got {value!r}")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{key!r}: unknown time zone {value!r}; use a name such as Europe/London"
            ) from None
        return value
    if name == "allow_media_outside":
        if not isinstance(value, bool):
            raise ConfigError(f"{key!r} must be true or false, got {value!r}")
        return value
    if name == "severity":
        if not isinstance(value, dict):
            raise ConfigError(
                f'{key!r} must be a table of rule = severity, e.g. {{A001 = "error"}}'
            )
        for rule, level in value.items():
            try:
                Severity.parse(str(level))
            except ValueError as exc:
                raise ConfigError(f"{key}.{rule}: {exc}") from None
        return {str(k): str(v) for k, v in value.items()}
    if name == "per_file_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{key!r} must be a table of glob = [codes]")
        return {str(k): _string_list(f"{key}.{k}", v) for k, v in value.items()}
    if name == "csv_columns":
        from postlint.readers.csv_reader import CSV_FIELDS

        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(
                f"{key!r} must be a table of post field = column header, "
                'for example {text = "Post copy"}'
            )
        for field_name in value:
            if field_name not in CSV_FIELDS:
                raise ConfigError(
                    f"{key}: unknown post field {field_name!r}."
                    + _suggest(field_name, list(CSV_FIELDS)).replace("keys", "fields")
                )
        return dict(value)
    if name == "options":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ConfigError(
                f"{key!r} must be a table of tables, one per rule name: "
                "[tool.postlint.options.<rule-name>]"
            )
        return {str(k): dict(v) for k, v in value.items()}
    return value


def read_file(path: Path) -> dict[str, Any] | None:
    """The postlint table of a config file, or None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("postlint")
    return data.get("tool", {}).get("postlint", data)


@functools.lru_cache(maxsize=256)
def find_config_file(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder)."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and read_file(candidate) is None:
                    continue
                return candidate
    return None


def load(
    path: Path | None = None, start: Path | None = None, registry: Registry | None = None
) -> Config:
    """Load an explicit config file, or the nearest one above ``start``, or the defaults."""
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    return from_mapping(read_file(path) or {}, path, registry=registry)


# --- postlint init ----------------------------------------------------------------------

KEY_DOCS: dict[str, str] = {
    "select": "Rules to run: codes (A001), prefixes (A, S0), rule names, or ALL.",
    "extend-select": "Rules to add to select (handy when select comes from a shared file).",
    "ignore": "Rules to skip: codes, prefixes or names.",
    "severity": 'Change a rule\'s severity: {A001 = "error", "plain-english" = "info"}.',
    "per-file-ignores": 'Rules to skip for some files: {"archive/*.md" = ["S041"]}.',
    "platforms": "Platforms for posts that name none: x, facebook, instagram, linkedin, "
    "tiktok, youtube, threads, bluesky, mastodon.",
    "fail-under": "A post fails when its score (100 - 20 per error - 5 per warning - 1 per "
    "info) is below this, even without errors.",
    "max-posts-per-file": "Bulk files (CSV, JSON, YAML) with more posts than this are reported "
    "and only their first posts linted: split big schedules.",
    "language": "The language of the posts, for spelling and grammar (en-GB: NHS style).",
    "timezone": "Time zone for schedules and embargoes written without one.",
    "include": "File name globs linted when a folder is checked.",
    "exclude": "Names or globs skipped when a folder is walked.",
    "accept": "Words that are never spelling mistakes (place names, service names).",
    "acronyms": "Acronyms your audience knows: kept in capitals, no expansion needed.",
    "allow-media-outside": "Allow image and video paths outside the drafts folder.",
    "csv-columns": 'For CSV schedules: post field = column header, e.g. {text = "Post copy"}.',
    "options": "Per-rule options, one table per rule name (below).",
}


def _toml_value(value: Any) -> str:
    """A TOML literal for a default value (strings, numbers, booleans, lists, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    return json.dumps(str(value))


def _toml_key(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else json.dumps(key)


def template(registry: Registry) -> str:
    """The text ``postlint init`` writes: every key with its default, every rule option."""
    defaults = Config()
    lines = [
        "# postlint configuration, written by `postlint init`.",
        "#",
        "# postlint uses the nearest postlint.toml, .postlint.toml or pyproject.toml",
        "# ([tool.postlint]) above each draft; `postlint check --config FILE` picks one.",
        "# The values below are the defaults: change what you need and delete the rest.",
        "# An unknown key or a bad value stops the run with a message naming it.",
        "",
    ]
    ordered = [k for k in KEY_DOCS if k in KEY_ALIASES] + [
        k for k in VALID_KEYS if k not in KEY_DOCS
    ]
    for key in ordered:
        if key == "options":
            continue
        lines += [f"# {line}" for line in textwrap.wrap(KEY_DOCS.get(key, key), 88)]
        value = getattr(defaults, KEY_ALIASES[key])
        if isinstance(value, dict) and not value:
            lines.append(f"# {key} = {{}}")
        elif isinstance(value, tuple) and not value:
            lines.append(f"# {key} = []")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    lines += [
        f"# {KEY_DOCS['options']}",
        "# Uncomment a table to change its options; the values shown are the defaults.",
        "# `postlint explain <rule>` says what each rule finds.",
        "",
    ]
    for cls in registry.checks.values():
        if not cls.options:
            continue
        lines += [f"# {line}" for line in textwrap.wrap(f"{cls.code}: {cls.summary}", 88)]
        lines.append(f"# [options.{cls.name}]")
        for option, value in cls.options.items():
            if value is None:
                lines.append(f"# {_toml_key(option)} = (no default)")
            else:
                lines.append(f"# {_toml_key(option)} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
