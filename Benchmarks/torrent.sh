#!/usr/bin/env bash
# Benchmarks/torrent.sh — door's BitTorrent peer against aria2c, side by side in one run.
#
# Cases (from issue 5), each timed end to end: from starting the seeder (which verifies its data) until every
# leecher has the whole file verified and has exited.
#   1. one seeder → one leecher over loopback (SIZE_MIB, default 512): door → door, then aria2c → aria2c;
#   2. a swarm: one seeder → four leechers at once (SWARM_MIB, default 128), door and aria2c each.
# Both use the same tracker (door tracker serve) and the same torrent. The leechers start once the seeder's
# announce has reached the tracker, so no run waits for a re-announce; that wait counts in the time.
#
# Environment:
#   SIZE_MIB, SWARM_MIB  sizes of the two cases
#   DOOR                 path to a prebuilt door (release); skips `swift build`
#   BUILD_TIMEOUT        bound on the release build in seconds (default 1800)
set -euo pipefail

SIZE_MIB="${SIZE_MIB:-512}"
SWARM_MIB="${SWARM_MIB:-128}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-1800}"
HOST=127.0.0.1

NAME=torrent
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v aria2c >/dev/null || {
    [[ $(id -u) -eq 0 ]] || fail "aria2c is missing: apt-get install aria2"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aria2 >/dev/null
}
ARIA_LOCAL=(--enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --summary-interval=0
    --console-log-level=error --file-allocation=none)

if [[ -n "${DOOR:-}" ]]; then
    [[ -x "$DOOR" ]] || fail "DOOR=$DOOR is not executable"
else
    note "building door (release)"
    timeout "$BUILD_TIMEOUT" swift build -c release --scratch-path .build-release --product door >/dev/null \
        || fail "release build failed"
    DOOR="$(swift build -c release --scratch-path .build-release --show-bin-path)/door"
fi

TRACKER_PORT="$(free_port)"
"$DOOR" tracker serve --listen "$HOST:$TRACKER_PORT" --interval 10 >"$WORK/tracker.log" 2>&1 &
BG_PIDS+=("$!")
ANNOUNCE="http://$HOST:$TRACKER_PORT/announce"

# Makes $WORK/$1/seed/data.bin of $2 MiB and its torrent $WORK/$1/data.torrent; sets INFO_HASH.
make_case() {
    local dir="$WORK/$1"
    mkdir -p "$dir/seed"
    head -c "$(($2 * 1024 * 1024))" /dev/urandom >"$dir/seed/data.bin"
    "$DOOR" torrent create "$dir/seed/data.bin" --tracker "$ANNOUNCE" -o "$dir/data.torrent" 2>/dev/null >/dev/null
    INFO_HASH="$("$DOOR" torrent info --json "$dir/data.torrent" | python3 -c 'import json,sys; print(json.load(sys.stdin)["infoHash"])')"
}

# Waits until the tracker counts a seed for the torrent.
wait_for_seed() {
    local query
    query="$(python3 -c "import urllib.parse; print(urllib.parse.quote(bytes.fromhex('$INFO_HASH')))")"
    for _ in $(seq 1 600); do
        if curl -s "http://$HOST:$TRACKER_PORT/scrape?info_hash=$query" | grep -q "8:completei[1-9]"; then return 0; fi
        sleep 0.1
    done
    fail "the seeder never announced itself"
}

# Runs case $1 with client $2 (door|aria2c) and $3 leechers; sets SECONDS_TAKEN.
run() {
    local dir="$WORK/$1" client=$2 leechers=$3 start end seed_pid i pids=() port
    rm -rf "$dir/get-"*
    start=$(date +%s.%N)
    port="$(free_port)"
    if [[ $client == door ]]; then
        "$DOOR" torrent seed "$dir/data.torrent" --data "$dir/seed/data.bin" --listen "$HOST:$port" >"$WORK/seed.log" 2>&1 &
    else
        aria2c "${ARIA_LOCAL[@]}" -V --seed-ratio=0.0 --seed-time=600 --listen-port="$port" -d "$dir/seed" \
            "$dir/data.torrent" >"$WORK/seed.log" 2>&1 &
    fi
    seed_pid=$!
    BG_PIDS+=("$seed_pid")
    wait_for_seed
    for i in $(seq 1 "$leechers"); do
        port="$(free_port)"
        if [[ $client == door ]]; then
            "$DOOR" torrent get "$dir/data.torrent" -o "$dir/get-$i" --listen "$HOST:$port" >"$WORK/get-$i.log" 2>&1 &
        else
            aria2c "${ARIA_LOCAL[@]}" --seed-time=0 --listen-port="$port" -d "$dir/get-$i" "$dir/data.torrent" \
                >"$WORK/get-$i.log" 2>&1 &
        fi
        pids+=("$!")
        BG_PIDS+=("$!")
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || fail "$client leecher $((i + 1)) failed: $(tail -3 "$WORK/get-$((i + 1)).log")"
    done
    end=$(date +%s.%N)
    kill "$seed_pid" 2>/dev/null || true
    wait "$seed_pid" 2>/dev/null || true
    for i in $(seq 1 "$leechers"); do
        cmp -s "$dir/seed/data.bin" "$dir/get-$i/data.bin" || fail "$client leecher $i's copy differs"
    done
    # The tracker must forget this seeder before the next run's wait.
    sleep 1
    SECONDS_TAKEN=$(python3 -c "print(f'{$end - $start:.2f}')")
}

compare() {
    local label=$1 dir=$2 leechers=$3 door_time aria_time
    run "$dir" door "$leechers"
    door_time=$SECONDS_TAKEN
    run "$dir" aria2c "$leechers"
    aria_time=$SECONDS_TAKEN
    printf '%-34s door %7ss  aria2c %7ss  door/aria2c %s\n' "$label" "$door_time" "$aria_time" \
        "$(python3 -c "print(f'{$door_time / $aria_time:.2f}')")"
}

make_case one "$SIZE_MIB"
compare "$SIZE_MIB MiB, 1 seeder -> 1 leecher" one 1
make_case swarm "$SWARM_MIB"
compare "$SWARM_MIB MiB, 1 seeder -> 4 leechers" swarm 4
