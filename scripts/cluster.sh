#!/usr/bin/env bash
# The three-node cluster of API.md's bring-up, started exactly as its commands are written
# (ports 7070-7072 and 8080-8082), with data, logs and pid files under DATA/nodeN.
#   scripts/cluster.sh up|status|down|clean COCKATRICE DATA
set -euo pipefail
cmd=$1 bin=$2 data=$3

pidfile() { echo "$data/node$1/cockatrice.pid"; }
running() { local f; f=$(pidfile "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

start() {
    local n=$1; shift
    if running "$n"; then echo "node$n: already running (pid $(cat "$(pidfile "$n")"))"; return; fi
    mkdir -p "$data/node$n"
    "$bin" server "$@" >> "$data/node$n/cockatrice.log" 2>&1 &
    echo $! > "$(pidfile "$n")"
    echo "node$n: started (pid $!), log $data/node$n/cockatrice.log"
}

wait_ready() {
    for port in 8080 8081 8082; do
        for _ in $(seq 150); do
            curl -sf "http://localhost:$port/health/readiness" >/dev/null 2>&1 && break
            sleep 0.2
        done
        curl -sf "http://localhost:$port/health/readiness" >/dev/null 2>&1 \
            && echo "http://localhost:$port: ready" || echo "http://localhost:$port: NOT ready (see its log)"
    done
}

stop() {
    for n in 1 2 3; do
        running "$n" || { rm -f "$(pidfile "$n")"; continue; }
        local pid; pid=$(cat "$(pidfile "$n")")
        kill -TERM "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then echo "node$n: still running after 10 s; killing"; kill -KILL "$pid"; fi
        rm -f "$(pidfile "$n")"
        echo "node$n: stopped"
    done
}

case $cmd in
up)
    start 1 --port=7070 --snapshot-file="$data/node1/snapshot.zip" --index-dir="$data/node1/index" --http-port=8080
    sleep 1
    start 2 --port=7071 --snapshot-file="$data/node2/snapshot.zip" --index-dir="$data/node2/index" --http-port=8081 --seed-addr=127.0.0.1:7070
    start 3 --port=7072 --snapshot-file="$data/node3/snapshot.zip" --index-dir="$data/node3/index" --http-port=8082 --seed-addr=127.0.0.1:7070
    wait_ready
    ;;
status)
    for port in 7070 7071 7072; do
        echo "== 127.0.0.1:$port"
        "$bin" status --bind-addr=127.0.0.1:$port || echo "(not reachable)"
    done
    ;;
down) stop ;;
clean)
    stop
    rm -rf "$data/node1" "$data/node2" "$data/node3"
    echo "removed $data/node1 .. node3"
    ;;
*) echo "usage: $0 up|status|down|clean COCKATRICE DATA" >&2; exit 2 ;;
esac
