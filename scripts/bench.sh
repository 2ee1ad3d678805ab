#!/usr/bin/env bash
# `make bench`: our engine and tantivy on the shared corpus, in the same run on the same machine,
# and the ratios between them (performance is always reported as a ratio to the peers).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
results=${BENCH_RESULTS:-/tmp/cockatrice-bench/results}
ours_dir=${BENCH_OURS_DIR:-/tmp/cockatrice-bench/ours}
export BENCH_RESULTS=$results
mkdir -p "$results/top10"
threads=${THREADS:-1}

echo "== tantivy (peers/run.sh tantivy)" >&2
"$bench/peers/run.sh" tantivy >&2 || echo "bench: the tantivy run failed" >&2

echo "== cockatrice index" >&2
rm -rf "$ours_dir"
if ! "$root/.build/release/cockatrice-bench" index --corpus "$bench/corpus.jsonl.gz" --schema "$bench/schema.yaml" \
        --index-dir "$ours_dir" --threads "$threads" > "$results/cockatrice_index.json"; then
    echo "bench: cockatrice-bench index failed" >&2
    rm -f "$results/cockatrice_index.json"
fi

echo "== cockatrice search" >&2
if ! "$root/.build/release/cockatrice-bench" search --index-dir "$ours_dir" --queries "$bench/queries.jsonl" \
        --out "$results/top10/cockatrice.json" > "$results/cockatrice_query.json"; then
    echo "bench: cockatrice-bench search failed" >&2
    rm -f "$results/cockatrice_query.json"
fi

python3 "$root/scripts/bench_ratios.py" "$results"
if [ -f "$results/top10/cockatrice.json" ] && [ -f "$results/top10/tantivy_run1.json" ]; then
    python3 "$bench/compare.py" "$results/top10/cockatrice.json" "$results/top10/tantivy_run1.json"
fi
