#!/usr/bin/env bash
# `make bench-http`: the REST transport's cost, measured on a release server on loopback:
# bulk ingest of DOCS bench documents with `cockatrice import` in 1,000-document PUTs, search
# latency over HTTP (one keep-alive connection, each bench query once after a warm-up), and
# wrk QPS for a term query (2 threads, 32 connections). Prints one JSON object per measurement.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
work=${BENCH_HTTP_DIR:-/tmp/cockatrice-bench/http}
docs=${DOCS:-100000}
http_port=${HTTP_PORT:-18480}
peer_port=${PEER_PORT:-17470}
bin=$root/.build/release/cockatrice
base=http://127.0.0.1:$http_port

rm -rf "$work" && mkdir -p "$work"
python3 "$root/scripts/bench_docs.py" "$bench/corpus.jsonl.gz" "$work/docs.jsonl" "$docs"

"$bin" server --host=127.0.0.1 --port=$peer_port --http-port=$http_port --index-dir="$work/index" \
    --snapshot-file="$work/snapshot.zip" --log-level=warning 2> "$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "$base/health/readiness" >/dev/null && break; sleep 0.1; done
curl -sf -X PUT "$base/indices/bench?sync=true" -H 'Content-Type: application/yaml' --data-binary @"$bench/schema.yaml" >/dev/null

start=$(date +%s.%N)
"$bin" import --url="$base" --index=bench --batch=1000 "$work/docs.jsonl" 2> "$work/import.log"
end=$(date +%s.%N)
curl -sf "$base/cluster?wait_for_applied=1" >/dev/null
python3 -c "import sys; d=$docs; s=$end-$start; print('{\"measure\": \"rest_bulk_ingest\", \"docs\": %d, \"seconds\": %.2f, \"docs_per_s\": %.0f}' % (d, s, d/s))"
curl -sf -X PUT "$base/indices/bench/documents?sync=true" -H 'Content-Type: application/json' --data-binary '[]' >/dev/null 2>&1 || true
sleep 1.5  # one refresh interval, so every document is searchable

python3 - "$base" "$bench/queries.jsonl" <<'PY'
import http.client, json, sys, time, urllib.parse
base, queries = sys.argv[1], [json.loads(l) for l in open(sys.argv[2])]
host, port = base.split("//")[1].split(":")
conn = http.client.HTTPConnection(host, int(port))
def run(q):
    conn.request("GET", "/indices/bench/search?" + urllib.parse.urlencode({"query": q["query"], "page_len": 10, "fields": "id"}))
    r = conn.getresponse(); body = r.read()
    assert r.status == 200, body
for q in queries: run(q)          # warm-up
per = {}
for q in queries:
    t = time.perf_counter(); run(q); per.setdefault(q["class"], []).append((time.perf_counter() - t) * 1000)
out = {"measure": "rest_search_latency_ms"}
for c, v in sorted(per.items()) + [("all", [x for v in per.values() for x in v])]:
    v = sorted(v); out[c] = {"p50": round(v[len(v)//2], 3), "p99": round(v[int(len(v)*0.99)], 3)}
print(json.dumps(out))
PY

if command -v wrk >/dev/null; then
    wrk -t2 -c32 -d10s "$base/indices/bench/search?query=text:house&fields=id" > "$work/wrk.txt"
    qps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
    echo "{\"measure\": \"wrk_term_query\", \"threads\": 2, \"connections\": 32, \"qps\": $qps}"
else
    echo "bench-http: wrk is not installed (apt-get install wrk); QPS not measured" >&2
fi
