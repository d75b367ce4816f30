#!/usr/bin/env bash
# Benchmarks/mail.sh — `door mail serve` against aiosmtpd's Maildir handler, side by side in one run.
#
# Postfix's smtp-source sends the same load to each server in turn; both store every message durably
# (door fsyncs the file and the new/ folder before its 250; aiosmtpd's Mailbox handler uses Python's
# mailbox.Maildir, which fsyncs the file but not the folder). The script counts what each stored and
# prints messages per second and the ratio.
#
# Cases (from issue 4): smtp-source -s 10 -m MESSAGES -l 4096, and the same with -s 1.
#
# Environment:
#   MESSAGES       messages per run (default 20000)
#   DOOR           path to a prebuilt door (release); skips `swift build`
#   BUILD_TIMEOUT  bound on the release build in seconds (default 1800)
set -euo pipefail

MESSAGES="${MESSAGES:-20000}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-1800}"
HOST=127.0.0.1

NAME=mail
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- tools ------------------------------------------------------------------
SMTP_SOURCE="$(command -v smtp-source || true)"
[[ -z "$SMTP_SOURCE" && -x /usr/sbin/smtp-source ]] && SMTP_SOURCE=/usr/sbin/smtp-source
if [[ -z "$SMTP_SOURCE" ]]; then
    [[ $(id -u) -eq 0 ]] || fail "smtp-source is missing: apt-get install postfix"
    note "installing postfix (for smtp-source; it starts no daemon here)"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
    SMTP_SOURCE=/usr/sbin/smtp-source
fi
python3 -c 'import aiosmtpd' 2>/dev/null || { note "installing aiosmtpd"; pip install -q aiosmtpd; }

if [[ -n "${DOOR:-}" ]]; then
    [[ -x "$DOOR" ]] || fail "DOOR=$DOOR is not executable"
else
    note "building door (release)"
    timeout "$BUILD_TIMEOUT" swift build -c release --scratch-path .build-release --product door >/dev/null \
        || fail "release build failed"
    DOOR="$(swift build -c release --scratch-path .build-release --show-bin-path)/door"
fi

wait_port() {
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('$HOST', $1), 1)" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    fail "nothing answered on port $1"
}

# Starts a server ($1: door|aiosmtpd) storing under $2; sets SERVER_PORT and SERVER_PID.
start_server() {
    local kind=$1 store=$2
    SERVER_PORT="$(free_port)"
    if [[ $kind == door ]]; then
        "$DOOR" mail serve --maildir "$store" --listen "$HOST:$SERVER_PORT" --pop3 "$HOST:0" --hostname bench.test \
            >"$WORK/$kind.log" 2>&1 &
    else
        # The Mailbox handler stores into one existing Maildir.
        mkdir -p "$store/tmp" "$store/new" "$store/cur"
        python3 -m aiosmtpd -n -l "$HOST:$SERVER_PORT" -c aiosmtpd.handlers.Mailbox "$store" >"$WORK/$kind.log" 2>&1 &
    fi
    SERVER_PID=$!
    BG_PIDS+=("$SERVER_PID")
    wait_port "$SERVER_PORT"
}

# Sets RATE to messages per second for one run; checks that every message was stored.
run() {
    local kind=$1 sessions=$2 store="$WORK/$1-$2" start end stored
    start_server "$kind" "$store"
    start=$(date +%s.%N)
    "$SMTP_SOURCE" -s "$sessions" -m "$MESSAGES" -l 4096 -f from@bench.test -t to@bench.test "$HOST:$SERVER_PORT"
    end=$(date +%s.%N)
    stored=$(find "$store" -path '*/new/*' -type f | wc -l)
    [[ $stored -eq $MESSAGES ]] || fail "$kind stored $stored of $MESSAGES messages"
    kill "$SERVER_PID" 2>/dev/null || true
    RATE=$(python3 -c "print(f'{$MESSAGES / ($end - $start):.0f}')")
}

note "$MESSAGES messages of 4 KiB per run"
for sessions in 10 1; do
    run door "$sessions"
    door_rate=$RATE
    run aiosmtpd "$sessions"
    aio_rate=$RATE
    ratio=$(python3 -c "print(f'{$door_rate / $aio_rate:.2f}')")
    printf 'smtp-source -s %-3s door %7s msg/s  aiosmtpd %7s msg/s  ratio %sx (goal >= 3)\n' \
        "$sessions" "$door_rate" "$aio_rate" "$ratio"
done
