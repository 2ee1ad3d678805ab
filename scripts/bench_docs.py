#!/usr/bin/env python3
"""The first N bench documents as NDJSON with only the schema's fields (id, title, text): the
corpus carries fields the schema does not name (pos, source), which the API refuses.
Usage: bench_docs.py CORPUS.jsonl.gz OUT.jsonl N"""
import gzip, json, sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with gzip.open(src, "rt") as f, open(dst, "w") as out:
    for i, line in enumerate(f):
        if i >= n:
            break
        d = json.loads(line)
        out.write(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"]}) + "\n")
