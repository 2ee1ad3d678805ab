"""Generates whoosh_reference.json: the tokens Whoosh 2.7.4 produces for the analyzers of the
original's schema (../shared/original-example/schema.yaml), the bench schema's analyzer and the
single tokenizers and filters, over real lines of the bench corpus and Unicode edge cases.

    pip install whoosh==2.7.4 nltk
    python3 Tests/AnalyzersTests/Fixtures/generate.py /work/shared/bench/corpus.jsonl.gz

Whoosh objects are built here in Python, with explicit string stop lists (not by loading the
YAML with PyYAML, which would turn the stop word `on` into True). The one deliberate difference
from Whoosh is Porter stemming: Whoosh's port does not undouble ("running" -> "runn"), so the
reference for the Porter stemmer is NLTK's PorterStemmer(mode=ORIGINAL_ALGORITHM), applied to
words of three letters or more (Porter's reference implementation, and Whoosh, leave shorter
words alone; NLTK's original mode would stem "is" to "i").
"""
import gzip
import json
import sys

from nltk.stem.porter import PorterStemmer
from whoosh import analysis as wa
from whoosh.lang.snowball.english import EnglishStemmer

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/bench/corpus.jsonl.gz"
OUT = __file__.rsplit("/", 1)[0] + "/whoosh_reference.json"

SCHEMA_STOPLIST = ["and", "is", "it", "an", "as", "at", "have", "in", "yet", "if", "from", "for", "when", "by",
                   "to", "you", "be", "we", "that", "may", "not", "with", "tbd", "a", "on", "your", "this", "of",
                   "us", "will", "can", "the", "or", "are"]
WORDS = r"\w+(\.?\w+)*"

EDGE_CASES = [
    "",
    "   \t\n  ",
    "Café crème brûlée à la française",
    "Cafe\u0301 decomposed accents: e\u0301le\u0300ve",
    "Straße STRASSE ß groß Maß",
    "İstanbul ΟΔΥΣΣΕΥΣ ΣΑΣ Σ σοφός ǅemal ǈ",
    "don't O'Neil's rock’n’roll John's dogs' it's JAMES'S",
    "U.S.A. e.g. i.e. 3.14 v1.2.3 a..b end. .start www.example.com",
    "東京都に住んでいます。中华人民共和国 한국어 텍스트",
    "PowerShot SD500 iPod2 wi-fi x_y__z CamelCaseWord ABCdef 123abc456",
    "😀 hello😀world emoji🎉party",
    "½ ² ³ ١٢٣ ٤٥ Ⅻ ⅻ fraction½",
    "under_score snake_case __init__ _leading trailing_",
    "a\tb\nc\r\nd\u00a0e\u2003f\u3000g",
    "ＡＢＣ１２３ full-width ｆｏｏ",
    "running runner ran runs hopping hoped agreed feed sky skies dying generously communication arsenal",
    "/usr/local/bin/swift",
    "red, green , blue,, ,yellow",
    "a-b;c d,e\tf",
    "Mr. Smith's 2nd-place finish; the O.K. Corral (1881) -- see p.42!",
]


def corpus_lines(count):
    """Every k-th document of the corpus: both sources, real punctuation and markup."""
    docs = [json.loads(line) for line in gzip.open(CORPUS, "rt", encoding="utf-8")]
    step = len(docs) // count
    return [docs[i * step] for i in range(count)]


def porter_original():
    stemmer = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    return lambda w: w if len(w) <= 2 else stemmer.stem(w, to_lowercase=False)


class OriginalPorterStemFilter(wa.Filter):
    """StemFilter with the reference Porter stemmer in place of Whoosh's."""

    def __init__(self, ignore=None):
        self.stem = porter_original()
        self.ignore = frozenset(ignore or ())

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped and t.text not in self.ignore:
                t.text = self.stem(t.text)
            yield t


def stemming_analyzer(expression=WORDS, stoplist=wa.STOP_WORDS, minsize=2, maxsize=None, gaps=False, ignore=None):
    chain = wa.RegexTokenizer(expression=expression, gaps=gaps) | wa.LowercaseFilter()
    if stoplist is not None:
        chain = chain | wa.StopFilter(stoplist=stoplist, minsize=minsize, maxsize=maxsize)
    return chain | OriginalPorterStemFilter(ignore=ignore)


# (name, text set, mode, our component spec, Whoosh object)
# A spec is {"analyzer": NAME, "args": {...}} or {"tokenizer": {...}, "filters": [{...}]}.
def A(name, **args):
    return {"analyzer": name, "args": args}


def C(tokenizer, *filters):
    return {"tokenizer": tokenizer, "filters": list(filters)}


def T(name, **args):
    return {"name": name, "args": args}


CASES = [
    # The analyzers of the original's schema.yaml, as its args give them.
    ("schema.id", "all", "index", A("whoosh.analysis.IDAnalyzer", lowercase=False), wa.IDAnalyzer(lowercase=False)),
    ("schema.keyword", "all", "index", A("whoosh.analysis.KeywordAnalyzer", lowercase=False, commas=False),
     wa.KeywordAnalyzer(lowercase=False, commas=False)),
    ("schema.regex", "all", "index", A("whoosh.analysis.RegexAnalyzer", expression=WORDS, gaps=False),
     wa.RegexAnalyzer(expression=WORDS, gaps=False)),
    ("schema.simple", "all", "index", A("whoosh.analysis.SimpleAnalyzer", expression=WORDS, gaps=False),
     wa.SimpleAnalyzer(expression=WORDS, gaps=False)),
    # `standard` has `attributes:` instead of `args:` in the file: Whoosh's defaults apply.
    ("schema.standard", "all", "index", A("whoosh.analysis.StandardAnalyzer"), wa.StandardAnalyzer()),
    ("schema.stemming", "all", "index",
     A("whoosh.analysis.StemmingAnalyzer", expression=WORDS, stoplist=SCHEMA_STOPLIST, minsize=2, maxsize=None, gaps=False,
       ignore=None, cachesize=50000),
     stemming_analyzer(expression=WORDS, stoplist=SCHEMA_STOPLIST, minsize=2, maxsize=None, gaps=False)),
    ("schema.fancy", "all", "index",
     A("whoosh.analysis.FancyAnalyzer", expression=r"\s+", stoplist=SCHEMA_STOPLIST, minsize=2, maxsize=None, gaps=False,
       splitwords=True, splitnums=True, mergewords=False, mergenums=False),
     wa.FancyAnalyzer(expression=r"\s+", stoplist=SCHEMA_STOPLIST, minsize=2, maxsize=None, gaps=False,
                      splitwords=True, splitnums=True, mergewords=False, mergenums=False)),
    ("schema.language", "all", "index", A("whoosh.analysis.LanguageAnalyzer", lang="en", expression=WORDS, gaps=False, cachesize=50000),
     wa.LanguageAnalyzer("en", expression=WORDS, gaps=False, cachesize=50000)),
    ("schema.ngram", "tiny", "index", C(T("whoosh.analysis.NgramTokenizer", minsize=2, maxsize=None), T("lowercase")),
     wa.NgramTokenizer(2, None) | wa.LowercaseFilter()),
    ("schema.ngramword", "short", "index",
     C(T("whoosh.analysis.RegexTokenizer", expression=WORDS, gaps=False), T("lowercase"), T("whoosh.analysis.NgramFilter", minsize=2, maxsize=None, at=None)),
     wa.RegexTokenizer(WORDS) | wa.LowercaseFilter() | wa.NgramFilter(2, None)),
    # The bench schema's `plain` analyzer.
    ("bench.plain", "all", "index", C(T("regex", expression=r"[^\W_]+", gaps=False), T("lowercase")),
     wa.RegexTokenizer(r"[^\W_]+") | wa.LowercaseFilter()),
    # Defaults and other arguments.
    ("standard.default", "all", "query", A("standard"), wa.StandardAnalyzer()),
    ("stemming.default", "all", "index", A("stemming"), stemming_analyzer()),
    ("fancy.default", "all", "index", A("fancy"), wa.FancyAnalyzer()),
    ("fancy.merge", "all", "index", A("fancy", mergewords=True, mergenums=True), wa.FancyAnalyzer(mergewords=True, mergenums=True)),
    ("fancy.merge.query", "short", "query", A("fancy", mergewords=True, mergenums=True), wa.FancyAnalyzer(mergewords=True, mergenums=True)),
    ("fancy.splitwords", "short", "index", A("fancy", splitnums=False), wa.FancyAnalyzer(splitnums=False)),
    ("fancy.splitnums", "short", "index", A("fancy", splitwords=False), wa.FancyAnalyzer(splitwords=False)),
    # (splitwords and splitnums both false crash Whoosh 2.7.4: it never sets `boundary`.)
    ("language.query", "short", "query", A("language", lang="english"), wa.LanguageAnalyzer("english")),
    ("language.en_porter", "short", "index", A("language", lang="en_porter"),
     wa.RegexTokenizer() | wa.LowercaseFilter() | OriginalPorterStemFilter()),
    ("standard.nostop", "short", "index", A("standard", stoplist=None), wa.StandardAnalyzer(stoplist=None)),
    ("standard.gaps", "short", "index", A("standard", expression=r"[\s,.]+", gaps=True, minsize=1, maxsize=5),
     wa.StandardAnalyzer(expression=r"[\s,.]+", gaps=True, minsize=1, maxsize=5)),
    ("simple.general", "short", "index", A("simple", expression=r"[a-z]+\d*|\d+"),
     wa.SimpleAnalyzer(expression=r"[a-z]+\d*|\d+")),
    ("keyword.commas", "short", "index", A("keyword", lowercase=True, commas=True), wa.KeywordAnalyzer(lowercase=True, commas=True)),
    ("id.lowercase", "short", "index", A("id", lowercase=True), wa.IDAnalyzer(lowercase=True)),
    ("idlist", "short", "index", A("idlist", lowercase=True), wa.RegexTokenizer(r"[^\r\n\t ,;]+") | wa.LowercaseFilter()),
    ("ngram.analyzer", "tiny", "index", A("ngram", minsize=2, maxsize=4), wa.NgramAnalyzer(2, 4)),
    ("ngram.analyzer.query", "tiny", "query", A("ngram", minsize=2, maxsize=4), wa.NgramAnalyzer(2, 4)),
    ("ngramwords", "tiny", "index", A("ngramwords", minsize=2, maxsize=4), wa.NgramWordAnalyzer(2, 4)),
    ("ngramwords.query", "short", "query", A("ngramwords", minsize=2, maxsize=4), wa.NgramWordAnalyzer(2, 4)),
    ("ngramwords.start", "short", "index", A("ngramwords", minsize=2, maxsize=4, at="start"), wa.NgramWordAnalyzer(2, 4, at="start")),
    ("ngramwords.start.query", "short", "query", A("ngramwords", minsize=2, maxsize=4, at="start"), wa.NgramWordAnalyzer(2, 4, at="start")),
    ("ngramwords.end", "short", "index", A("ngramwords", minsize=2, maxsize=4, at="end"), wa.NgramWordAnalyzer(2, 4, at="end")),
    ("ngramwords.end.query", "short", "query", A("ngramwords", minsize=2, maxsize=4, at="end"), wa.NgramWordAnalyzer(2, 4, at="end")),
    ("ngramwords.space", "tiny", "index", A("ngramwords", minsize=3, maxsize=3, tokenizer="space"),
     wa.NgramWordAnalyzer(3, 3, tokenizer=wa.SpaceSeparatedTokenizer())),
    # Single tokenizers and filters in chains.
    ("tokenizer.space", "short", "index", C(T("space")), wa.SpaceSeparatedTokenizer()),
    ("tokenizer.comma", "short", "index", C(T("comma")), wa.CommaSeparatedTokenizer()),
    ("tokenizer.path", "short", "index", C(T("path")), wa.PathTokenizer()),
    ("tokenizer.regex.gaps", "short", "index", C(T("regex", expression=r"\s+", gaps=True)), wa.RegexTokenizer(r"\s+", gaps=True)),
    ("tokenizer.regex.words", "short", "index", C(T("regex", expression=r"\w+")), wa.RegexTokenizer(r"\w+")),
    ("tokenizer.ngram.query", "tiny", "query", C(T("ngram", minsize=2, maxsize=3)), wa.NgramTokenizer(2, 3)),
    ("filter.stop.lang", "all", "index", C(T("regex"), T("lowercase"), T("stop", lang="en", minsize=3, renumber=False)),
     wa.RegexTokenizer() | wa.LowercaseFilter() | wa.StopFilter(lang="en", minsize=3, renumber=False)),
    ("filter.stem.en", "all", "index", C(T("regex"), T("stem", lang="en", ignore=["news", "running"])),
     wa.RegexTokenizer() | wa.StemFilter(lang="en", ignore=["news", "running"])),
    ("filter.stem.porter.upper", "short", "index", C(T("regex"), T("stem")),
     wa.RegexTokenizer() | OriginalPorterStemFilter()),
    ("filter.intraword.merge", "short", "index",
     C(T("space"), T("intraword", delims="-_'.", mergewords=True, mergenums=True)),
     wa.SpaceSeparatedTokenizer() | wa.IntraWordFilter(delims="-_'.", mergewords=True, mergenums=True)),
    ("filter.shingle", "short", "index", C(T("regex"), T("lowercase"), T("shingle", size=3, sep=" ")),
     wa.RegexTokenizer() | wa.LowercaseFilter() | wa.ShingleFilter(size=3, sep=" ")),
    ("filter.strip.reverse", "short", "index", C(T("regex", expression="[^,]+"), T("strip"), T("reversetext")),
     wa.RegexTokenizer("[^,]+") | wa.StripFilter() | wa.ReverseTextFilter()),
]


def run(analyzer, text, mode):
    out = []
    for t in analyzer(text, positions=True, chars=True, mode=mode):
        out.append([t.text, t.pos, getattr(t, "startchar", None), getattr(t, "endchar", None)])
    return out


def main():
    docs = corpus_lines(36)
    texts = EDGE_CASES + [d["title"] for d in docs] + [d["text"] for d in docs]
    short = [i for i, t in enumerate(texts) if len(t) <= 120]
    tiny = [i for i, t in enumerate(texts) if len(t) <= 60]
    cases = []
    for name, subset, mode, spec, whoosh_obj in CASES:
        indices = {"all": list(range(len(texts))), "short": short, "tiny": tiny}[subset]
        cases.append({"name": name, "mode": mode, "spec": spec, "texts": indices,
                      "tokens": [run(whoosh_obj, texts[i], mode) for i in indices]})
    # Stemmer word lists: the distinct lowercase words of the texts.
    words = sorted({t.text for text in texts for t in wa.SimpleAnalyzer()(text)})
    porter = porter_original()
    snowball = EnglishStemmer()
    reference = {
        "generator": "Tests/AnalyzersTests/Fixtures/generate.py (Whoosh 2.7.4, NLTK PorterStemmer ORIGINAL_ALGORITHM)",
        "texts": texts,
        "cases": cases,
        "porter": [[w, porter(w)] for w in words],
        "snowball_english": [[w, snowball.stem(w)] for w in words],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
