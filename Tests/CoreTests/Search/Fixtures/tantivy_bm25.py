"""Generates tantivy_bm25.json: BM25 scores that tantivy 0.27 gives for a few queries over a
small index, with the documents' tokens, so BM25ReferenceTests can recompute them with
Cockatrice's BM25FWeighting from the same statistics.

    pip install tantivy==0.27.0
    python3 tantivy_bm25.py > tantivy_bm25.json

The documents are ASCII, so tantivy's default tokenizer (split on non-alphanumerics,
lowercase) equals the regex below. One document is long enough (40 tokens) for its fieldnorm
to be rounded; one is deleted without a merge, so it still counts in N and df.
"""
import json
import re

import tantivy

DOCS = [
    "The quick brown fox",
    "the lazy dog",
    "Quick quick fox jumps",
    "a fox",
    "dog dog dog fox",
    " ".join(["fox"] * 3 + ["word%d" % i for i in range(38)]),  # 41 tokens: its fieldnorm stands for 40
    "brown dog and brown fox and a quick one",
    "nothing relevant here at all",
]
DELETED = 7
QUERIES = [
    {"kind": "term", "terms": ["fox"], "boost": 1.0},
    {"kind": "term", "terms": ["quick"], "boost": 1.0},
    {"kind": "term", "terms": ["dog"], "boost": 1.0},
    {"kind": "term", "terms": ["brown"], "boost": 2.5},
    {"kind": "or", "terms": ["quick", "dog"], "boost": 1.0},
    {"kind": "phrase", "terms": ["brown", "fox"], "boost": 1.0},
]

sb = tantivy.SchemaBuilder()
sb.add_integer_field("id", stored=True, indexed=True)
sb.add_text_field("body", stored=False)
schema = sb.build()
index = tantivy.Index(schema)
writer = index.writer(heap_size=15_000_000, num_threads=1)
for i, text in enumerate(DOCS):
    writer.add_document(tantivy.Document(id=i, body=text))
writer.commit()
writer.delete_documents_by_term("id", DELETED)
writer.commit()
index.reload()
searcher = index.searcher()


def to_query(q):
    if q["kind"] == "term":
        query = tantivy.Query.term_query(schema, "body", q["terms"][0])
    elif q["kind"] == "or":
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", t)) for t in q["terms"]])
    else:
        query = tantivy.Query.phrase_query(schema, "body", q["terms"])
    if q["boost"] != 1.0:
        query = tantivy.Query.boost_query(query, q["boost"])
    return query


out = {
    "tantivy": "0.27.0",
    "docs": [re.findall(r"[a-z0-9]+", d.lower()) for d in DOCS],
    "deleted": [DELETED],
    "queries": [],
}
for q in QUERIES:
    hits = searcher.search(to_query(q), 20).hits
    q = dict(q)
    q["hits"] = sorted([[searcher.doc(addr)["id"][0], score] for score, addr in hits])
    out["queries"].append(q)
print(json.dumps(out, indent=1))
