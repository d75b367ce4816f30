#!/usr/bin/env bash
# Benchmarks/core.sh — Doorway against its anchors, side by side in one run.
#
# Absolute numbers on loopback swing with the machine, so each Doorway figure
# is measured right next to an anchor (iperf3 for bulk, a plain C echo pair for
# RTT) and reported as a ratio; ratios are what we track across machines.
#
# Environment:
#   BULK_SECONDS   seconds per bulk run (default 5)
#   RTT_COUNT      round trips per RTT run (default 20000), RTT_SIZE payload bytes (64)
#   ONLY_ANCHORS=1 skip the Swift build and every Doorway case (checks the anchors alone)
#   DOORWAY_BENCH  path to a prebuilt doorway-bench; skips `swift build`
#   BUILD_TIMEOUT  bound on the release build in seconds (default 1800)
#   RTT_TIMEOUT    bound on each RTT client in seconds (default 300)
#   RTT_SERVER_CPUS, RTT_CLIENT_CPUS
#                  taskset CPU lists for the RTT servers and clients (default
#                  unpinned). On VMs a cross-CPU wake-up can cost more than the
#                  whole software path (seen: ~17 µs same CPU vs ~110 µs across
#                  on 2 vCPUs) and unpinned runs flip between the two; pinning
#                  both to one CPU (0 and 0) measures the software cost alone.
set -euo pipefail

BULK_SECONDS="${BULK_SECONDS:-5}"
RTT_COUNT="${RTT_COUNT:-20000}"
RTT_SIZE="${RTT_SIZE:-64}"
ONLY_ANCHORS="${ONLY_ANCHORS:-0}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-1800}"
RTT_TIMEOUT="${RTT_TIMEOUT:-300}"
RTT_SERVER_CPUS="${RTT_SERVER_CPUS:-}"
RTT_CLIENT_CPUS="${RTT_CLIENT_CPUS:-}"
HOST=127.0.0.1

# Resolve the repo root from this file, so the script works from any cwd.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN_DIR="$ROOT/Benchmarks/bin"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/doorway-core.XXXXXX")"

fail() { echo "core.sh: error: $*" >&2; exit 1; }
note() { echo "core.sh: $*" >&2; }

# --- cleanup: every background process is killed on any exit ---------------
BG_PIDS=()
cleanup() {
    local pid
    for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
        kill "$pid" 2>/dev/null || true
    done
    # Give servers a moment to go; anything that ignores TERM gets KILL.
    sleep 0.2
    for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ------------------------------------------------------------------
apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    note "installing $*"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}
command -v iperf3 >/dev/null || apt_install iperf3
command -v cc >/dev/null || apt_install build-essential
command -v python3 >/dev/null || apt_install python3-minimal
command -v timeout >/dev/null || fail "timeout (coreutils) is required"
if [ -n "$RTT_SERVER_CPUS$RTT_CLIENT_CPUS" ]; then
    command -v taskset >/dev/null || fail "RTT_*_CPUS set but taskset (util-linux) is missing"
fi

# --- build the C anchors (cheap, so always rebuilt) -------------------------
mkdir -p "$BIN_DIR"
cc -O2 -Wall -Wextra -pthread -o "$BIN_DIR/lpecho_server" Benchmarks/c/lpecho_server.c
cc -O2 -Wall -Wextra -o "$BIN_DIR/lpecho_client" Benchmarks/c/lpecho_client.c
C_SERVER="$BIN_DIR/lpecho_server"
C_CLIENT="$BIN_DIR/lpecho_client"

# --- build Doorway ----------------------------------------------------------
DOORWAY=""
DW_GBPS=""
if [ "$ONLY_ANCHORS" = 1 ]; then
    note "ONLY_ANCHORS=1: skipping the Doorway build and cases"
elif [ -n "${DOORWAY_BENCH:-}" ]; then
    DOORWAY="$DOORWAY_BENCH"
else
    note "building doorway-bench (release)"
    timeout "$BUILD_TIMEOUT" swift build -c release --product doorway-bench >&2 \
        || fail "swift build -c release --product doorway-bench failed or timed out"
    DOORWAY="$(swift build -c release --show-bin-path)/doorway-bench"
fi
if [ -n "$DOORWAY" ] && [ ! -x "$DOORWAY" ]; then
    fail "doorway-bench not found or not executable at: $DOORWAY"
fi

# --- helpers ----------------------------------------------------------------
# The kernel picks a free port; the tiny race before the server binds it is
# acceptable on a benchmark box and far better than fixed ports colliding.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# True once something LISTENs on the port. Read from /proc rather than probing
# with a connection: a probe would eat iperf3's one-off (-1) session.
is_listening() {
    local hex
    hex="$(printf '%04X' "$1")"
    awk -v p="$hex" '$4 == "0A" { split($2, a, ":"); if (a[2] == p) found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# start_server NAME PORT CMD...: runs CMD in the background (SERVER_PID), waits (≤10 s)
# until it listens, and fails with its log if it dies or never listens.
start_server() {
    local name="$1" port="$2"; shift 2
    "$@" >"$LOGS/$name.log" 2>&1 &
    local pid=$!
    BG_PIDS+=("$pid")
    SERVER_PID="$pid"
    for _ in $(seq 100); do
        is_listening "$port" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$LOGS/$name.log" >&2 || true
            fail "server '$name' exited before listening on $port: $*"
        fi
        sleep 0.1
    done
    tail -n 20 "$LOGS/$name.log" >&2 || true
    fail "server '$name' not listening on $port after 10 s: $*"
}

# stop_server: ends the last server started, so the next case has the CPUs.
stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

# run_client NAME SECS CMD...: runs CMD bounded by SECS, stdout kept in
# $LOGS/NAME.out, and fails with its output if it errors or times out.
# Functions here set globals instead of printing, because a $(...) subshell
# would hide the servers it starts from the cleanup trap.
run_client() {
    local name="$1" secs="$2"; shift 2
    # In the background plus `wait`, so INT/TERM reach our trap at once
    # instead of after the client ends; the trap then stops it too.
    timeout --kill-after=5 "$secs" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
    BG_PIDS+=("$!")
    if ! wait "$!"; then
        tail -n 20 "$LOGS/$name.err" "$LOGS/$name.out" >&2 || true
        fail "client '$name' failed or timed out after ${secs}s: $*"
    fi
}

# json_line NAME: sets RESULT to the last JSON line of NAME's stdout (a tool
# may log other lines first).
json_line() {
    RESULT="$(python3 - "$LOGS/$1.out" <<'PY'
import json, sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip().startswith("{")]
json.loads(lines[-1])
print(lines[-1])
PY
)" || fail "'$1' printed no JSON line; its output: $(head -c 500 "$LOGS/$1.out")"
}

# field JSON KEY.PATH: one value out of a JSON document.
field() {
    python3 -c 'import json,sys
v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v = v[k]
print(v)' "$1" "$2"
}

# fmt / ratio / check: one decimal for figures, two for ratios; goals printed
# with a verdict so a pasted table reads on its own.
fmt()   { awk -v a="$1" 'BEGIN { printf "%.1f", a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
check() { awk -v r="$1" -v op="$2" -v g="$3" 'BEGIN {
    ok = (op == ">=") ? (r >= g) : (r <= g)
    printf "%s %s× %s", (op == ">=" ? "≥" : "≤"), g, (ok ? "✅" : "❌") }'; }

# --- bulk throughput --------------------------------------------------------
note "bulk: iperf3, 1 stream, ${BULK_SECONDS}s"
port="$(free_port)"
start_server iperf3-server "$port" iperf3 -s -1 -B "$HOST" -p "$port"
run_client iperf3-client $((BULK_SECONDS + 30)) iperf3 -c "$HOST" -p "$port" -t "$BULK_SECONDS" -P 1 -J
# iperf3 -J prints one multi-line document, not a JSON line: read it whole.
IPERF_GBPS="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9)' \
    "$LOGS/iperf3-client.out")" || fail "no end.sum_received.bits_per_second in iperf3 -J output"
stop_server

if [ -n "$DOORWAY" ]; then
    note "bulk: doorway, ${BULK_SECONDS}s"
    port="$(free_port)"
    start_server doorway-bulk-server "$port" "$DOORWAY" bulk-server --listen "$HOST:$port"
    run_client doorway-bulk-client $((BULK_SECONDS + 30)) \
        "$DOORWAY" bulk-client --connect "$HOST:$port" --seconds "$BULK_SECONDS"
    json_line doorway-bulk-client
    DW_GBPS="$(field "$RESULT" gbits_per_second)"
    stop_server
fi

# --- round-trip latency -----------------------------------------------------
# rtt NAME SERVER CLIENT (each "c" or "doorway"): one echo run; sets
# P50[NAME] and P99[NAME] in microseconds.
declare -A P50 P99
rtt() {
    local name="$1" server="$2" client="$3" port
    local spin=() cpin=()
    [ -z "$RTT_SERVER_CPUS" ] || spin=(taskset -c "$RTT_SERVER_CPUS")
    [ -z "$RTT_CLIENT_CPUS" ] || cpin=(taskset -c "$RTT_CLIENT_CPUS")
    port="$(free_port)"
    note "rtt: $name (${RTT_COUNT} × ${RTT_SIZE} B)"
    case "$server" in
        c)       start_server "$name-server" "$port" "${spin[@]}" "$C_SERVER" "$port" ;;
        doorway) start_server "$name-server" "$port" "${spin[@]}" "$DOORWAY" echo-server --listen "$HOST:$port" ;;
    esac
    case "$client" in
        c)       run_client "$name" "$RTT_TIMEOUT" "${cpin[@]}" "$C_CLIENT" "$HOST" "$port" "$RTT_COUNT" "$RTT_SIZE" ;;
        doorway) run_client "$name" "$RTT_TIMEOUT" "${cpin[@]}" "$DOORWAY" echo-client --connect "$HOST:$port" \
                     --count "$RTT_COUNT" --size "$RTT_SIZE" ;;
    esac
    stop_server
    json_line "$name"
    P50[$name]="$(field "$RESULT" p50_us)"
    P99[$name]="$(field "$RESULT" p99_us)"
}

rtt c c c
if [ -n "$DOORWAY" ]; then
    rtt doorway doorway doorway
    # Cross pairs: if only one side is slow, these say which.
    rtt doorway-client c doorway
    rtt doorway-server doorway c
fi

# --- report -----------------------------------------------------------------
echo
echo "| case | Doorway | anchor | ratio | goal |"
echo "| --- | ---: | ---: | ---: | --- |"
C50="${P50[c]}"; C99="${P99[c]}"
if [ -n "$DOORWAY" ]; then
    r="$(ratio "$DW_GBPS" "$IPERF_GBPS")"
    echo "| bulk, 1 stream, ${BULK_SECONDS} s (Gbit/s) | $(fmt "$DW_GBPS") | $(fmt "$IPERF_GBPS") iperf3 | ${r}× | $(check "$r" ">=" 0.7) |"
    r="$(ratio "${P50[doorway]}" "$C50")"
    echo "| RTT p50, ${RTT_SIZE} B (µs) | $(fmt "${P50[doorway]}") | $(fmt "$C50") C pair | ${r}× | $(check "$r" "<=" 1.5) |"
    echo "| RTT p99, ${RTT_SIZE} B (µs) | $(fmt "${P99[doorway]}") | $(fmt "$C99") C pair | $(ratio "${P99[doorway]}" "$C99")× | — |"
    for name in doorway-client doorway-server; do
        case "$name" in
            doorway-client) label="Doorway client → C server" ;;
            doorway-server) label="C client → Doorway server" ;;
        esac
        echo "| RTT p50 / p99, $label (µs) | $(fmt "${P50[$name]}") / $(fmt "${P99[$name]}") |" \
             "$(fmt "$C50") / $(fmt "$C99") C pair |" \
             "$(ratio "${P50[$name]}" "$C50")× / $(ratio "${P99[$name]}" "$C99")× | — (locates the cost) |"
    done
else
    echo "| bulk, 1 stream, ${BULK_SECONDS} s (Gbit/s) | skipped | $(fmt "$IPERF_GBPS") iperf3 | — | ≥ 0.7× |"
    echo "| RTT p50, ${RTT_SIZE} B (µs) | skipped | $(fmt "$C50") C pair | — | ≤ 1.5× |"
    echo "| RTT p99, ${RTT_SIZE} B (µs) | skipped | $(fmt "$C99") C pair | — | — |"
fi
echo
swift_version="$(swift --version 2>/dev/null | head -n 1 || true)"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), kernel $(uname -r), ${swift_version:-swift not found}, RTT count ${RTT_COUNT}, RTT CPUs server ${RTT_SERVER_CPUS:-any} / client ${RTT_CLIENT_CPUS:-any}"
