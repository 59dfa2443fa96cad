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
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from postlint.findings import Severity
from postlint.model import normalise_platform

CONFIG_FILES = ("postlint.toml", ".postlint.toml", "pyproject.toml")


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
    data: dict[str, Any], path: Path | None = None, base: Config | None = None
) -> Config:
    """Build a Config from a ``[tool.postlint]``-shaped mapping, validating every key."""
    config = base or Config()
    changes: dict[str, Any] = {"path": path}
    where = f" in {path}" if path else ""
    for raw_key, value in data.items():
        name = KEY_ALIASES.get(raw_key) or KEY_ALIASES.get(raw_key.replace("_", "-"))
        if name is None:
            raise ConfigError(f"unknown key {raw_key!r}{where}.{_suggest(raw_key, VALID_KEYS)}")
        changes[name] = _coerce(name, raw_key, value)
    return replace(config, **changes)


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
    if name in {"language", "timezone"}:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key!r} must be a string, got {value!r}")
        return value
    if name == "allow_media_outside":
        if not isinstance(value, bool):
            raise ConfigError(f"{key!r} must be true or false, got {value!r}")
        return value
    if name == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f"{key!r} must be a table of rule = severity")
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
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"{key!r} must be a table of field = column header")
        return dict(value)
    if name == "options":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ConfigError(f"{key!r} must be a table of tables, one per check name")
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


def load(path: Path | None = None, start: Path | None = None) -> Config:
    """Load an explicit config file, or the nearest one above ``start``, or the defaults."""
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    return from_mapping(read_file(path) or {}, path)
