# Benchmarks/common.sh — what web.sh and mail.sh share; sourced, not run.
# shellcheck shell=bash
#
# The sourcing script sets NAME (for messages) first. It gets: ROOT (the repository, also the working
# folder), WORK (a scratch folder removed at exit), fail/note, BG_PIDS (every background process in it is
# stopped at exit, TERM then KILL) and free_port.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/doorway-$NAME.XXXXXX")"

fail() { echo "$NAME.sh: error: $*" >&2; exit 1; }
note() { echo "$NAME.sh: $*" >&2; }

BG_PIDS=()
cleanup() {
    local pid
    for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.3
    for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nothing listens on now (the kernel's choice, released at once).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
