#!/usr/bin/env python3
"""Prints our benchmark results next to tantivy's from the same run, as ratios.

usage: bench_ratios.py RESULTS_DIR   (what scripts/bench.sh wrote)
Ratios are ours / tantivy's for throughput (higher is better) and tantivy's / ours for latency
and size (higher is better too), so every ratio >= 1.0 means we are at least as good.
"""
import json
import os
import sys

results = sys.argv[1]


def load(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "n/a"


ours_index, peer_index = load("cockatrice_index.json"), load("tantivy_run1_index.json")
if ours_index and peer_index:
    print("indexing (1.00 or more means we are at least as good)")
    print("  docs/s     ours %10.0f  tantivy %10.0f  ratio %s" % (ours_index["docs_per_s"], peer_index["docs_per_s"],
                                                                  ratio(ours_index["docs_per_s"], peer_index["docs_per_s"])))
    print("  index MB   ours %10.1f  tantivy %10.1f  ratio %s (smaller is better)" % (
        ours_index["index_bytes"] / 1e6, peer_index["index_bytes"] / 1e6, ratio(peer_index["index_bytes"], ours_index["index_bytes"])))
    if "vm_hwm_kb" in ours_index:
        print("  peak RSS   ours %10.0f MB" % (ours_index["vm_hwm_kb"] / 1024))
else:
    print("indexing: results missing (ours: %s, tantivy: %s)" % (bool(ours_index), bool(peer_index)))

ours_query, peer_query = load("cockatrice_query.json"), load("tantivy_run1_query.json")
if ours_query and peer_query:
    print("search latency per class: tantivy / ours (1.00 or more means we are at least as fast)")
    print("  %-14s %8s %8s %8s   %8s %8s %8s" % ("class", "p50 us", "tantivy", "ratio", "p99 us", "tantivy", "ratio"))
    for cls, ours in ours_query["per_class"].items():
        peer = peer_query.get("per_class", {}).get(cls)
        if not peer:
            continue
        print("  %-14s %8.0f %8.0f %8s   %8.0f %8.0f %8s" % (
            cls, ours["p50_ms"] * 1000, peer["p50_ms"] * 1000, ratio(peer["p50_ms"], ours["p50_ms"]),
            ours["p99_ms"] * 1000, peer["p99_ms"] * 1000, ratio(peer["p99_ms"], ours["p99_ms"])))
else:
    print("search: results missing (ours: %s, tantivy: %s)" % (bool(ours_query), bool(peer_query)))
