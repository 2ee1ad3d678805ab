"""Generates whoosh_queries.json: how Whoosh 2.7.4's default QueryParser (plus its
FuzzyTermPlugin, since Cockatrice's syntax has fuzzy terms) parses a list of query strings,
as Whoosh's repr and in a notation shared with WhooshReferenceTests, which renders
Cockatrice's query trees the same way and compares.

    pip install whoosh==2.7.4
    python3 whoosh_queries.py > whoosh_queries.json

The schema mirrors the one in WhooshReferenceTests: the bench schema's `title` and `text`
(regex tokens `[^\\W_]+`, lowercased), `body` with Whoosh's StandardAnalyzer (stop words),
and numeric, datetime, boolean and keyword fields.

Shared notation: `field:term`, `field:"a b"~slop`, `field:pre*`, `field:WILD(te?t)`,
`field:term~edits/prefix`, `field:[a TO b}` (`*` open), numeric and datetime ranges with
values (datetimes as microseconds since 1970), `AND(...)` with excluded clauses last as
`NOT(x)`, `OR(...)`, `ANDMAYBE(a, b)`, `REQUIRE(a, b)`, `*` for every document, `NULL` for
no query, `^b` after a leaf boosted by b (group boosts pushed down to leaves, as Whoosh does).
"""
import json

from whoosh import fields, qparser, query
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StandardAnalyzer

PLAIN = RegexTokenizer(r"[^\W_]+") | LowercaseFilter()
SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    title=fields.TEXT(analyzer=PLAIN),
    text=fields.TEXT(analyzer=PLAIN),
    body=fields.TEXT(analyzer=StandardAnalyzer()),
    count=fields.NUMERIC(int),
    price=fields.NUMERIC(float),
    date=fields.DATETIME,
    flag=fields.BOOLEAN,
    tags=fields.KEYWORD(lowercase=True),
)
EPOCH_TICKS = 62135596800000000  # whoosh.util.times.datetime_to_long(1970-01-01)

SINGLE = [
    "foo", "Foo BAR", "foo bar baz", "title:foo", "title:Foo text:bar",
    "a AND b", "a OR b", "a b OR c", "a AND b OR c", "a OR b AND c", "a OR b OR c AND d",
    "NOT a b", "a NOT b", "a AND NOT b", "NOT a AND b", "a OR NOT b",
    "a ANDNOT b", "a ANDNOT b ANDNOT c", "a OR b ANDNOT c", "a ANDMAYBE b", "a ANDMAYBE b OR c",
    "a REQUIRE b", "a b REQUIRE c",
    "(a OR b) c", "(a OR b) AND (c OR d)", "((a))", "title:(a OR b) c", "title:(a b) OR text:c",
    "-a b", "+a b",
    '"quick brown fox"', '"quick brown fox"~3', 'title:"Quick Fox"', 'body:"the quick fox"', '"single"',
    "foo*", "Foo*", "title:ab*", "te?t", "TE?T", "t*t", "*foo", "f?o*",
    "foo~", "foo~2", "foo~2/3", "foo~/3", "Foo~1",
    "title:[a TO c]", "title:{a TO c]", "title:[a TO c}", "title:[a TO]", "title:[TO c]", "title:[A TO C]",
    "count:[1 TO 5]", "count:{1 TO 5}", "count:[1 TO]", "count:[TO 5}", "count:7",
    "price:[1.5 TO 2.5]", "price:2.5",
    "date:2018", "date:201807", "date:20180704", "date:20180704054100", "date:[2018 TO 201907]",
    "date:[20180101 TO]", "date:[TO 2019]",
    "flag:yes", "flag:true", "flag:0",
    "tags:Foo", "id:Doc-1",
    "a^2", "title:a^2.5", "(a b)^3", '"a b"^2', "a^2 b",
    "body:the", "body:the quick", "the", "foo-bar", "title:Foo-Bar", "don't",
    "*", "*:*",
    "a AND b AND c", "title:a^2 OR b", "NOT (a OR b)", '"a b" OR c', "count:[1 TO 5] OR title:x",
    # Where Cockatrice differs on purpose (see WhooshReferenceTests.deliberateDifferences).
    "a -title:b", "date:{2018 TO 2020}", "a AND", "(a", "a OR", "nofield:x",
]
MULTI = ["foo", "foo bar", "title:foo bar", '"foo bar"', "foo*", "foo OR bar", "-foo bar"]


def num(v):
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def boost(q, b):
    b = b * getattr(q, "boost", 1.0)
    return "" if b == 1.0 else "^" + num(b)


def note(q, b=1.0):
    """The shared notation of a Whoosh query; b is a boost inherited from a group."""
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        return "NULL"
    if isinstance(q, query.Every):
        return "*"
    if isinstance(q, query.AndNot):
        return note(query.And([q.a, query.Not(q.b)]), b)
    if isinstance(q, query.And):
        kids = []
        for sub in q.subqueries:
            if isinstance(sub, query.AndNot):
                sub = query.And([sub.a, query.Not(sub.b)])
            if isinstance(sub, query.And) and sub.boost == 1.0:
                kids.extend(sub.subqueries)
            else:
                kids.append(sub)
        gb = b * q.boost
        pos = [note(k, gb) for k in kids if not isinstance(k, query.Not)]
        neg = [note(k, gb) for k in kids if isinstance(k, query.Not)]
        return "AND(" + ", ".join(pos + neg) + ")"
    if isinstance(q, query.Or):
        return "OR(" + ", ".join(note(k, b * q.boost) for k in q.subqueries) + ")"
    if isinstance(q, query.Not):
        return "NOT(" + note(q.query, b) + ")"
    if isinstance(q, query.AndMaybe):
        return "ANDMAYBE(" + note(q.a, b) + ", " + note(q.b, b) + ")"
    if isinstance(q, query.Require):
        return "REQUIRE(" + note(q.a, b) + ", " + note(q.b, b) + ")"
    if isinstance(q, query.Phrase):
        return '%s:"%s"~%d%s' % (q.fieldname, " ".join(q.words), q.slop, boost(q, b))
    if isinstance(q, query.FuzzyTerm):
        return "%s:%s~%d/%d%s" % (q.fieldname, q.text, q.maxdist, q.prefixlength, boost(q, b))
    if isinstance(q, query.Prefix):
        return "%s:%s*%s" % (q.fieldname, q.text, boost(q, b))
    if isinstance(q, query.Wildcard):
        return "%s:WILD(%s)%s" % (q.fieldname, q.text, boost(q, b))
    if isinstance(q, query.NumericRange):
        lo, hi = q.start, q.end
        if isinstance(SCHEMA[q.fieldname], fields.DATETIME):
            lo = None if lo is None else lo - EPOCH_TICKS
            hi = None if hi is None else hi - EPOCH_TICKS
        return "%s:%s%s TO %s%s%s" % (q.fieldname, "{" if q.startexcl else "[", "*" if lo is None else num(lo),
                                     "*" if hi is None else num(hi), "}" if q.endexcl else "]", boost(q, b))
    if isinstance(q, query.TermRange):
        return "%s:%s%s TO %s%s%s" % (q.fieldname, "{" if q.startexcl else "[", "*" if q.start is None else q.start,
                                     "*" if q.end is None else q.end, "}" if q.endexcl else "]", boost(q, b))
    if isinstance(q, query.Term):
        field = SCHEMA[q.fieldname]
        if isinstance(field, fields.NUMERIC) and not isinstance(field, fields.DATETIME):
            v = field.from_bytes(q.text) if isinstance(q.text, bytes) else q.text
            return "%s:[%s TO %s]%s" % (q.fieldname, num(v), num(v), boost(q, b))
        text = q.text
        if isinstance(text, bool):
            text = "true" if text else "false"
        return "%s:%s%s" % (q.fieldname, text, boost(q, b))
    raise ValueError("no notation for %r" % q)


def parse_all(parser, strings, fieldlist):
    out = []
    for s in strings:
        q = parser.parse(s)
        out.append({"query": s, "fields": fieldlist, "whoosh_repr": repr(q), "whoosh": note(q)})
    return out


single = qparser.QueryParser("text", SCHEMA)
single.add_plugin(qparser.FuzzyTermPlugin())
multi = qparser.MultifieldParser(["title", "text"], SCHEMA)
multi.add_plugin(qparser.FuzzyTermPlugin())
cases = parse_all(single, SINGLE, ["text"]) + parse_all(multi, MULTI, ["title", "text"])
print(json.dumps({"whoosh": "2.7.4", "cases": cases}, indent=1, ensure_ascii=False))
