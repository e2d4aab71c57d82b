# Shared by the scripts: where caches live and what is on PATH. Sourced, not run.
# Build outputs are kept outside the clone (PORTAIL_CACHE_DIR) so a fresh clone builds warm.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PORTAIL_CACHE_DIR="${PORTAIL_CACHE_DIR:-$HOME/.cache/portail-famille}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PORTAIL_CACHE_DIR/target}"
export PATH="$HOME/.cargo/bin:$ROOT/frontend/node_modules/.bin:$PATH"
export PORTAIL_TEST_PYTHON="$PORTAIL_CACHE_DIR/venv/bin/python"
mkdir -p "$PORTAIL_CACHE_DIR"

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
