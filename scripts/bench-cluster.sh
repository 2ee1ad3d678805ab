#!/usr/bin/env bash
# `make bench-cluster`: replicated ingest over REST on three nodes versus one, on loopback (all
# of them share this machine's cores), with each node's CPU seconds per document, and the time
# from a SIGKILL of the leader until a sync write succeeds again, and how long a new node takes
# to join by InstallSnapshot once the log is compacted. One JSON object per line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
work=${BENCH_CLUSTER_DIR:-/tmp/cockatrice-bench/cluster}
docs=${DOCS:-100000}
bin=$root/.build/release/cockatrice
pids=()
trap 'for p in "${pids[@]}"; do kill -9 $p 2>/dev/null || true; done' EXIT

rm -rf "$work" && mkdir -p "$work"
python3 "$root/scripts/bench_docs.py" "$bench/corpus.jsonl.gz" "$work/docs.jsonl" "$docs"

cpu() { awk '{print ($14 + $15) / 100}' /proc/$1/stat; }   # utime + stime, seconds (USER_HZ 100)

start_node() {  # n http peer [seed [log level]]
    local n=$1 http=$2 peer=$3 seed=${4:-} level=${5:-warning}
    "$bin" server --host=127.0.0.1 --port=$peer --http-port=$http --index-dir="$work/n$n/index" \
        --snapshot-file="$work/n$n/snapshot.zip" --log-level=$level ${seed:+--seed-addr=$seed} \
        --log-compaction-min-entries=1 --log-compaction-min-time=0 2> "$work/n$n.log" &
    pids+=($!)
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$http/health/readiness" >/dev/null && return; sleep 0.1; done
    echo "node $n not ready" >&2; exit 1
}

ingest() {  # label http-port pids...
    local label=$1 http=$2; shift 2
    local before=() p
    for p in "$@"; do before+=("$(cpu $p)"); done
    curl -sf -X PUT "http://127.0.0.1:$http/indices/bench?sync=true" -H 'Content-Type: application/yaml' --data-binary @"$bench/schema.yaml" >/dev/null
    local t0 t1; t0=$(date +%s.%N)
    "$bin" import --url="http://127.0.0.1:$http" --index=bench --batch=1000 "$work/docs.jsonl" 2> "$work/import-$label.log"
    t1=$(date +%s.%N)
    local i=0 cpus=""
    for p in "$@"; do cpus+="$(python3 -c "print(round(($(cpu $p) - ${before[$i]}) / $docs * 1e6, 2))"),"; i=$((i + 1)); done
    python3 -c "print('{\"measure\": \"rest_ingest_$label\", \"docs\": $docs, \"docs_per_s\": %d, \"cpu_us_per_doc_per_node\": [${cpus%,}]}' % ($docs / ($t1 - $t0)))"
}

start_node 0 18590 17590
ingest standalone 18590 "${pids[0]}"
kill -9 "${pids[0]}"

start_node 1 18591 17591
start_node 2 18592 17592 127.0.0.1:17591
start_node 3 18593 17593 127.0.0.1:17591
sleep 2
ingest three_nodes 18591 "${pids[1]}" "${pids[2]}" "${pids[3]}"

# Failover: kill the leader (node 1, the founder, unless leadership moved), time until a sync
# write through another node succeeds.
leader_http=$(for h in 18591 18592 18593; do curl -s "http://127.0.0.1:$h/cluster" | python3 -c "import json,sys; d=json.load(sys.stdin)['cluster']; print($h if d['state']==2 else '')"; done | grep -v '^$' | head -1)
leader_pid=${pids[$(( leader_http - 18590 ))]}
other=$([ "$leader_http" = 18592 ] && echo 18593 || echo 18592)
t0=$(date +%s.%N)
kill -9 "$leader_pid"
for i in $(seq 1 400); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$other/indices/bench/documents/failover-$i?sync=true" \
        -H 'Content-Type: application/json' -d "{\"id\": \"failover-$i\", \"title\": \"x\"}")
    [ "$code" = 201 ] && break
    sleep 0.01
done
t1=$(date +%s.%N)
python3 -c "print('{\"measure\": \"failover_sync_write_s\", \"seconds\": %.3f, \"status\": $code}' % ($t1 - $t0))"

# InstallSnapshot: the surviving leader commits (a backup does) and compacts its log; a new node
# then cannot replay the log from its start and streams the indices instead.
leader_http=$(for h in 18592 18593; do curl -s "http://127.0.0.1:$h/cluster" | python3 -c "import json,sys; d=json.load(sys.stdin)['cluster']; print($h if d['state']==2 else '')"; done | grep -v '^$' | head -1)
curl -sf -X PUT "http://127.0.0.1:$leader_http/snapshot" >/dev/null
for _ in $(seq 300); do  # the leader keeps a departed member's entries for 10 s first
    len=$(curl -s "http://127.0.0.1:$leader_http/cluster" | python3 -c "import json,sys; print(json.load(sys.stdin)['cluster']['log_len'])")
    [ "$len" -le 1 ] && break
    sleep 0.1
done
expected=$(curl -s "http://127.0.0.1:$leader_http/indices/bench" | python3 -c "import json,sys; print(json.load(sys.stdin)['index']['doc_count'])")
index_bytes=$(du -sb "$work/n$(( leader_http - 18590 ))/index" | cut -f1)
t0=$(date +%s.%N)
start_node 4 18594 17594 127.0.0.1:$(( leader_http - 1000 )) info
for _ in $(seq 6000); do
    count=$(curl -s "http://127.0.0.1:18594/indices/bench" | python3 -c "import json,sys; print(json.load(sys.stdin).get('index', {}).get('doc_count', 0))" 2>/dev/null || echo 0)
    [ "$count" = "$expected" ] && break
    sleep 0.05
done
t1=$(date +%s.%N)
installed=$(grep -c "fetched a snapshot" "$work/n4.log" || true)
python3 -c "print('{\"measure\": \"join_by_install_snapshot_s\", \"seconds\": %.3f, \"documents\": $count, \"expected\": $expected, \"leader_index_bytes\": $index_bytes, \"installs_logged\": $installed}' % ($t1 - $t0))"
