# Sourced by ./dev: puts the project's environment first on PATH and points engines at the
# data that scripts/setup.sh installed, so no run ever downloads anything.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$_root/.venv/bin:$PATH"
export VIRTUAL_ENV="$_root/.venv"
# textstat's syllable counts read NLTK's cmudict corpus, built here by setup.sh.
export NLTK_DATA="$_root/.cache/nltk_data${NLTK_DATA:+:$NLTK_DATA}"
# LanguageTool's jars (setup.sh fetches them into a per-user cache outside the repository).
export POSTLINT_LANGUAGETOOL_DIR="${POSTLINT_LANGUAGETOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/postlint/languagetool-6.6}"
# Playwright cannot download browsers here: use Debian's Chromium.
if [ -x /usr/bin/chromium ]; then
  export POSTLINT_CHROMIUM="${POSTLINT_CHROMIUM:-/usr/bin/chromium}"
fi
# Tests and scripts must never wait for a human.
export PYTHONUNBUFFERED=1
unset _root
