#!/usr/bin/env bash
# Benchmarks/web.sh — `door web serve` against nginx, side by side in one run.
#
# Both servers serve the same folder on loopback with the same number of
# threads (nginx workers = door event loops), sendfile on, and no access log;
# wrk (or curl for the one-client large file) drives each in turn with the
# same settings, and the script prints door/nginx ratios.
#
# Cases (from issue 3):
#   1 KiB file, wrk -t2 -c64          goal >= 1.0x nginx requests/s
#   100 MiB file, one curl client      goal >= 0.9x nginx throughput
#   1 KiB file, wrk -t2 -c1000         goal >= 1.0x nginx requests/s
#
# Environment:
#   SECONDS_PER_RUN  wrk duration per run (default 5)
#   ROUNDS           alternating rounds per case; the median is reported (default 3)
#   WORKERS          nginx workers and door event loops (default 2)
#   DOOR             path to a prebuilt door (release); skips `swift build`
#   DOORWAY_BENCH    path to a prebuilt doorway-bench (release), for the NIO floor
#
# Beside the two servers runs "the NIO floor" (doorway-bench http-floor): NIO's
# own HTTP/1.1 pipeline with a handler that makes nginx's system calls and
# answers from memory. It shows how much of any gap is NIO's and how much door's.
#   BUILD_TIMEOUT    bound on the release build in seconds (default 1800)
set -euo pipefail

SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
ROUNDS="${ROUNDS:-3}"
WORKERS="${WORKERS:-2}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-1800}"
HOST=127.0.0.1

NAME=web
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- tools ------------------------------------------------------------------
missing=()
for tool in wrk nginx curl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    pkgs=()
    for tool in "${missing[@]}"; do
        case "$tool" in nginx) pkgs+=(nginx-light) ;; *) pkgs+=("$tool") ;; esac
    done
    if [[ $(id -u) -eq 0 ]]; then
        note "installing ${pkgs[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
    else
        fail "missing ${missing[*]}; install with: apt-get install ${pkgs[*]}"
    fi
fi
NGINX="$(command -v nginx)"

if [[ -n "${DOOR:-}" && -n "${DOORWAY_BENCH:-}" ]]; then
    [[ -x "$DOOR" && -x "$DOORWAY_BENCH" ]] || fail "DOOR=$DOOR or DOORWAY_BENCH=$DOORWAY_BENCH is not executable"
else
    note "building door and doorway-bench (release)"
    for product in door doorway-bench; do
        timeout "$BUILD_TIMEOUT" swift build -c release --scratch-path .build-release --product "$product" >/dev/null \
            || fail "release build of $product failed"
    done
    BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)"
    DOOR="$BIN/door"
    DOORWAY_BENCH="$BIN/doorway-bench"
fi

# --- the site ---------------------------------------------------------------
SITE="$WORK/site"
mkdir -p "$SITE"
# nginx's workers run as nobody: the folder must be readable by everyone.
chmod 755 "$WORK" "$SITE"
head -c 1024 /dev/urandom >"$SITE/1k.bin"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$SITE/100m.bin"

wait_port() {
    local port=$1
    for _ in $(seq 1 100); do
        if curl -sf -o /dev/null "http://$HOST:$port/1k.bin"; then return 0; fi
        sleep 0.1
    done
    fail "nothing answered on port $port"
}

# --- the servers ------------------------------------------------------------
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
worker_rlimit_nofile 8192;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    default_type application/octet-stream;
    server {
        listen $HOST:$NGINX_PORT;
        root $SITE;
    }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
BG_PIDS+=($!)

DOOR_PORT="$(free_port)"
"$DOOR" web serve --root "$SITE" --listen "$HOST:$DOOR_PORT" --event-loops "$WORKERS" >"$WORK/door.log" 2>&1 &
BG_PIDS+=($!)

FLOOR_PORT="$(free_port)"
"$DOORWAY_BENCH" http-floor --listen "$HOST:$FLOOR_PORT" --file "$SITE/1k.bin" --threads "$WORKERS" &
BG_PIDS+=($!)

wait_port "$NGINX_PORT"
wait_port "$DOOR_PORT"
wait_port "$FLOOR_PORT"
for port in "$NGINX_PORT" "$DOOR_PORT"; do
    cmp <(curl -sf "http://$HOST:$port/100m.bin") "$SITE/100m.bin" || fail "port $port served the 100 MiB file wrong"
done

# --- measurements -------------------------------------------------------------
server_name() {
    case "$1" in
        "$NGINX_PORT") echo nginx ;;
        "$DOOR_PORT") echo door ;;
        "$FLOOR_PORT") echo "the NIO floor" ;;
        *) echo "port $1" ;;
    esac
}

# wrk's requests/s for one run; reports (does not hide) any errors wrk saw.
wrk_rate() {
    local port=$1 connections=$2 output
    output="$(wrk -t2 -c"$connections" -d"${SECONDS_PER_RUN}s" "http://$HOST:$port/1k.bin")"
    if grep -q "Non-2xx\|Socket errors" <<<"$output"; then
        echo "$output" >&2
        note "wrk reported errors against $(server_name "$port") (see above)"
    fi
    awk '/Requests\/sec:/ {print $2}' <<<"$output"
}

# curl's bytes/s for the 100 MiB file.
curl_rate() {
    curl -s -o /dev/null -w '%{speed_download}' "http://$HOST:$1/100m.bin"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

report() {
    local name=$1 unit=$2 door=$3 nginx=$4 goal=$5
    printf '%-34s door %12.1f  nginx %12.1f %s  ratio %sx (goal >= %s)\n' \
        "$name" "$door" "$nginx" "$unit" "$(ratio "$door" "$nginx")" "$goal"
}

run_case() {
    local measure=$1 argument=$2 door_runs=() nginx_runs=() floor_runs=()
    for _ in $(seq 1 "$ROUNDS"); do
        nginx_runs+=("$($measure "$NGINX_PORT" $argument)")
        door_runs+=("$($measure "$DOOR_PORT" $argument)")
        if [[ $measure == wrk_rate ]]; then floor_runs+=("$($measure "$FLOOR_PORT" $argument)"); else floor_runs+=(0); fi
    done
    echo "$(printf '%s\n' "${door_runs[@]}" | median) $(printf '%s\n' "${nginx_runs[@]}" | median)" \
        "$(printf '%s\n' "${floor_runs[@]}" | median)"
}

floor_note() {
    printf '%-34s NIO floor %8.1f req/s = %sx nginx; door = %sx the floor\n' "" "$1" "$(ratio "$1" "$3")" "$(ratio "$2" "$1")"
}

note "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), $WORKERS workers; door with $WORKERS event loops; $ROUNDS rounds of ${SECONDS_PER_RUN}s"
read -r d n f <<<"$(run_case wrk_rate 64)"
report "1 KiB file, wrk -t2 -c64" "req/s" "$d" "$n" 1.0
floor_note "$f" "$d" "$n"
read -r d n f <<<"$(run_case curl_rate "")"
report "100 MiB file, one curl" "MB/s " "$(python3 -c "print($d/1e6)")" "$(python3 -c "print($n/1e6)")" 0.9
read -r d n f <<<"$(run_case wrk_rate 1000)"
report "1 KiB file, wrk -t2 -c1000" "req/s" "$d" "$n" 1.0
floor_note "$f" "$d" "$n"
