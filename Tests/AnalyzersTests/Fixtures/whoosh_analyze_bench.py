"""Whoosh 2.7.4's analysis throughput on the bench corpus, for comparison with
`cockatrice-bench analyze` (same analyzers, same values: the title and text of each document).

    pip install whoosh==2.7.4
    python3 Tests/AnalyzersTests/Fixtures/whoosh_analyze_bench.py /work/shared/bench/corpus.jsonl.gz [VALUES]

Prints one JSON object: MB/s of UTF-8 input per analyzer, by wall clock and by this thread's
CPU time (comparable when other work shares the cores). VALUES limits the number of values
(Whoosh needs minutes for the whole corpus).
"""
import gzip
import json
import sys
import time

from whoosh import analysis as wa

path = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/bench/corpus.jsonl.gz"
limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
values = []
for line in gzip.open(path, "rt", encoding="utf-8"):
    doc = json.loads(line)
    values += [doc["title"], doc["text"]]
values = values[:limit]
megabytes = sum(len(v.encode("utf-8")) for v in values) / 1e6
analyzers = {
    "simple": wa.SimpleAnalyzer(),
    "standard": wa.StandardAnalyzer(),
    "stemming": wa.StemmingAnalyzer(),
    "plain": wa.RegexTokenizer(r"[^\W_]+") | wa.LowercaseFilter(),
}
result = {"engine": "whoosh-2.7.4", "input_bytes": int(megabytes * 1e6), "values": len(values)}
for name, analyzer in analyzers.items():
    tokens = 0
    wall, cpu = time.perf_counter(), time.thread_time()
    for value in values:
        for _ in analyzer(value, positions=True, chars=True, mode="index"):
            tokens += 1
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    result[name] = {"mb_per_s": round(megabytes / wall, 2), "cpu_mb_per_s": round(megabytes / cpu, 2), "tokens": tokens}
print(json.dumps(result, indent=2, sort_keys=True))
