# Sourced by ./dev: puts the project's environment first on PATH and points engines at the
# data that scripts/setup.sh installed, so no run ever downloads anything.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$_root/.venv/bin:$PATH"
export VIRTUAL_ENV="$_root/.venv"
unset _root
