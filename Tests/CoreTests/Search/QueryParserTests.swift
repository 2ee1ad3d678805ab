import Core
import Testing

/// Every element of the query syntax, precedence, and how terms meet the analyzers.
@Suite struct QueryParserTests {
    let parser: QueryParser

    init() throws {
        parser = try SearchFixtures.parser()
    }

    @Test func termsAndDefaultAnd() {
        #expect(parser.show("foo") == "text:foo")
        #expect(parser.show("Foo BAR") == "(+text:foo +text:bar)")
        #expect(parser.show("  foo   bar  baz ") == "(+text:foo +text:bar +text:baz)")
        #expect(parser.show("title:Foo text:bar") == "(+title:foo +text:bar)")
    }

    @Test func operators() {
        #expect(parser.show("a AND b") == "(+text:a +text:b)")
        #expect(parser.show("a OR b") == "(text:a text:b)")
        #expect(parser.show("NOT a") == "(+*:* -text:a)")
        #expect(parser.show("a NOT b") == "(+text:a -text:b)")
        #expect(parser.show("a ANDNOT b") == "(+text:a -text:b)")
        #expect(parser.show("a ANDMAYBE b") == "(+text:a text:b)")
        #expect(parser.show("a REQUIRE b") == "(+text:a #text:b)")
        // Operator words are uppercase only, as in Whoosh; lowercase ones are terms.
        #expect(parser.show("a and b") == "(+text:a +text:and +text:b)")
        #expect(parser.show("'AND' OR b") == "(text:and text:b)")
    }

    @Test func plusAndMinus() {
        #expect(parser.show("-a b") == "(+text:b -text:a)")
        #expect(parser.show("+a b") == "(+text:a +text:b)")
        #expect(parser.show("a -(b OR c)") == "(+text:a -(text:b text:c))")
        #expect(parser.show("-a") == "(+*:* -text:a)")
        #expect(parser.show("- -a") == "error@1: expected a term, phrase or group after '-'")
        #expect(parser.show("foo-bar") == "(+text:foo +text:bar)")
        #expect(parser.show("count:-5") == "count:[-5 TO -5]")
    }

    @Test func precedenceFollowsWhoosh() {
        // NOT > AND > OR > ANDNOT > ANDMAYBE > REQUIRE > juxtaposition.
        #expect(parser.show("a b OR c") == "(+text:a +(text:b text:c))")
        #expect(parser.show("a AND b OR c") == "((+text:a +text:b) text:c)")
        #expect(parser.show("a OR b AND c") == "(text:a (+text:b +text:c))")
        #expect(parser.show("a OR b ANDNOT c") == "(+(text:a text:b) -text:c)")
        #expect(parser.show("a ANDMAYBE b OR c") == "(+text:a (text:b text:c))")
        #expect(parser.show("a ANDNOT b ANDNOT c") == "(+text:a -text:b -text:c)")
        #expect(parser.show("NOT a AND b") == "(+text:b -text:a)")
        #expect(parser.show("a OR NOT b") == "(text:a (+*:* -text:b))")
        #expect(parser.show("a b REQUIRE c") == "(+text:a +(+text:b #text:c))")
    }

    @Test func grouping() {
        #expect(parser.show("(a OR b) c") == "(+(text:a text:b) +text:c)")
        #expect(parser.show("((a))") == "text:a")
        #expect(parser.show("(a b) c") == "(+text:a +text:b +text:c)")
        #expect(parser.show("title:(a OR b) c") == "(+(title:a title:b) +text:c)")
        #expect(parser.show("title:(a text:b)") == "(+title:a +text:b)")
    }

    @Test func phrases() {
        #expect(parser.show("\"Quick Brown fox\"") == "text:\"quick brown fox\"~1")
        #expect(parser.show("\"quick fox\"~3") == "text:\"quick fox\"~3")
        #expect(parser.show("\"single\"") == "text:single")
        #expect(parser.show("\"\"") == "<none>")
        #expect(parser.show("title:\"a b\"^2") == "title:\"a b\"~1^2")
        // Whoosh's StandardAnalyzer renumbers after stop words; a stop filter with
        // `renumber: false` keeps the gap, and the phrase keeps it too.
        #expect(parser.show("body:\"the quick fox\"") == "body:\"quick fox\"~1")
        #expect(parser.show("gapped:\"quick and the fox\"") == "gapped:\"quick fox\"~1@[0,3]")
        #expect(parser.show("gapped:\"the quick fox\"") == "gapped:\"quick fox\"~1")
        #expect(parser.show("nopos:\"a b\"") == "error@6: field 'nopos' does not index positions, so it cannot search phrases (give it 'phrase: true')")
        #expect(parser.show("\"a b\"~0") == "error@6: expected a slop of 1 or more after the phrase's '~'")
        if case .phrase(let p) = try? parser.parse("gapped:\"quick and the fox\"~2") {
            #expect(p.terms == ["quick", "fox"])
            #expect(p.positions == [0, 3])
            #expect(p.slop == 2)
        } else {
            Issue.record("not a phrase")
        }
    }

    @Test func prefixAndWildcards() {
        #expect(parser.show("foo*") == "text:foo*")
        #expect(parser.show("Foo*") == "text:foo*")
        #expect(parser.show("te?t") == "text:wildcard(te?t)")
        #expect(parser.show("TE?T") == "text:wildcard(te?t)")
        #expect(parser.show("t*t") == "text:wildcard(t*t)")
        #expect(parser.show("f?o*") == "text:wildcard(f?o*)")
        #expect(parser.show("title:*") == "title:*")
        // A field whose analyzer does not lowercase keeps the case of pattern terms.
        #expect(parser.show("cased:Foo*") == "cased:Foo*")
        #expect(parser.show("cased:Te?t") == "cased:wildcard(Te?t)")
        #expect(parser.show("count:1*") == "error@6: prefix terms need a text, id or keyword field; 'count' is numeric")
    }

    @Test func fuzzy() {
        #expect(parser.show("foo~") == "text:foo~1/1")
        #expect(parser.show("foo~2") == "text:foo~2/1")
        #expect(parser.show("foo~2/3") == "text:foo~2/3")
        #expect(parser.show("foo~/3") == "text:foo~1/3")
        #expect(parser.show("Foo~1") == "text:foo~1/1")
        #expect(parser.show("cased:Foo~") == "cased:Foo~1/1")
        #expect(parser.show("foo~3") == "error@4: a fuzzy term's edit distance must be 0, 1 or 2")
        #expect(parser.show("fo*~") == "error@3: '~' (fuzzy) cannot follow a wildcard term")
        if case .fuzzy(let f) = try? parser.parse("foo~") {
            #expect(f.maxExpansions == FuzzyQuery.defaultMaxExpansions)
        } else {
            Issue.record("not fuzzy")
        }
    }

    @Test func termRanges() {
        #expect(parser.show("title:[a TO c]") == "title:[a TO c]")
        #expect(parser.show("title:{a TO c]") == "title:{a TO c]")
        #expect(parser.show("title:[a TO c}") == "title:[a TO c}")
        #expect(parser.show("title:[a TO]") == "title:[a TO *]")
        #expect(parser.show("title:[TO c]") == "title:[* TO c]")
        #expect(parser.show("title:[A to C]") == "title:[a TO c]")
        #expect(parser.show("title:['a b' TO c]") == "title:['a b' TO c]")
        #expect(parser.show("[a TO c]") == "text:[a TO c]")
        #expect(parser.show("title:[TO]") == "error@6: a range needs at least one bound")
        #expect(parser.show("title:[a c]") == "error@9: expected 'TO' in the range opened at 6")
        #expect(parser.show("title:[a TO c") == "error@13: expected ']' or '}' to close the range opened at 6")
    }

    @Test func numericRanges() {
        #expect(parser.show("count:[1 TO 5]") == "count:[1 TO 5]")
        #expect(parser.show("count:{1 TO 5}") == "count:{1 TO 5}")
        #expect(parser.show("count:[1 TO]") == "count:[1 TO *]")
        #expect(parser.show("count:[TO 5}") == "count:[* TO 5}")
        #expect(parser.show("count:7") == "count:[7 TO 7]")
        #expect(parser.show("count:[-3 TO -1]") == "count:[-3 TO -1]")
        #expect(parser.show("price:[1.5 TO 2.5]") == "price:[1.5 TO 2.5]")
        #expect(parser.show("price:2") == "price:[2.0 TO 2.0]")
        #expect(parser.show("count:abc") == "error@6: field 'count' holds integers; 'abc' is not one")
        #expect(parser.show("count:[1 TO x]") == "error@12: field 'count' holds integers; 'x' is not one")
        #expect(parser.show("price:[1 TO nan]") == "error@12: field 'price' holds numbers; 'nan' is not one")
        if case .numericRange(let r) = try? parser.parse("count:9007199254740993") {
            #expect(r.lower == .int(9_007_199_254_740_993))
        } else {
            Issue.record("not a numeric range")
        }
    }

    @Test func datetimeRangesAndPrefixes() {
        #expect(parser.show("date:2018") == "date:[2018-01-01T00:00:00.000000Z TO 2018-12-31T23:59:59.999999Z]")
        #expect(parser.show("date:201802") == "date:[2018-02-01T00:00:00.000000Z TO 2018-02-28T23:59:59.999999Z]")
        #expect(parser.show("date:20200229") == "date:[2020-02-29T00:00:00.000000Z TO 2020-02-29T23:59:59.999999Z]")
        #expect(parser.show("date:20180704054100") == "date:[2018-07-04T05:41:00.000000Z TO 2018-07-04T05:41:00.999999Z]")
        #expect(parser.show("date:2018-07-04T05:41") == "date:[2018-07-04T05:41:00.000000Z TO 2018-07-04T05:41:59.999999Z]")
        #expect(parser.show("date:2018-07-04T05:41:00+02:00") == "date:[2018-07-04T03:41:00.000000Z TO 2018-07-04T03:41:00.999999Z]")
        #expect(parser.show("date:[2018 TO 201907]") == "date:[2018-01-01T00:00:00.000000Z TO 2019-07-31T23:59:59.999999Z]")
        #expect(parser.show("date:{2018 TO 2020}") == "date:[2019-01-01T00:00:00.000000Z TO 2019-12-31T23:59:59.999999Z]")
        #expect(parser.show("date:[2018-07-04 TO]") == "date:[2018-07-04T00:00:00.000000Z TO *]")
        #expect(parser.show("date:20181301") == "error@5: field 'date' holds datetimes; '20181301' is not one (use YYYYMMDDhhmmss or a prefix of it like 2018 or 201807, or ISO 8601)")
        #expect(parser.show("date:20190229").hasPrefix("error@5"))
        if case .datetimeRange(let r) = try? parser.parse("date:2018") {
            #expect(r.lower == 1_514_764_800_000_000)
            #expect(r.upper == 1_546_300_799_999_999)
        } else {
            Issue.record("not a datetime range")
        }
    }

    @Test func booleansIdsAndKeywords() {
        #expect(parser.show("flag:yes") == "flag:true")
        #expect(parser.show("flag:True") == "flag:true")
        #expect(parser.show("flag:0") == "flag:false")
        #expect(parser.show("flag:maybe") == "error@5: field 'flag' is boolean; expected true/false, yes/no or 1/0, got 'maybe'")
        #expect(parser.show("tags:Foo") == "tags:foo")
        #expect(parser.show("id:Doc-1") == "id:Doc-1")
    }

    @Test func boosts() {
        #expect(parser.show("a^2") == "text:a^2")
        #expect(parser.show("title:a^2.5") == "title:a^2.5")
        #expect(parser.show("(a b)^3") == "(+text:a +text:b)^3")
        #expect(parser.show("a^2 b") == "(+text:a^2 +text:b)")
        #expect(parser.show("a^1") == "text:a")
        #expect(parser.show("foo~2^3") == "text:foo~2/1^3")
        #expect(parser.show("a^") == "error@2: expected a number after '^'")
        #expect(parser.show("a ^2") == "error@2: '^' (boost) must directly follow a term, phrase, range or group")
        #expect(parser.show("a^2x") == "error@3: expected a space or ')' after the boost")
    }

    @Test func matchAllAndNone() {
        #expect(parser.show("*") == "*:*")
        #expect(parser.show("*:*") == "*:*")
        #expect(parser.show("") == "<none>")
        #expect(parser.show("   ") == "<none>")
        #expect(parser.show("body:the") == "<none>")
        #expect(parser.show("body:(the OR a)") == "<none>")
        #expect(parser.show("body:the quick") == "text:quick")
        #expect(parser.show("-body:the a") == "text:a")
        #expect(parser.show("*:foo") == "error@2: '*:' must be followed by '*' (all documents)")
    }

    @Test func multitokenTermsAreAnded() {
        #expect(parser.show("title:Foo-Bar") == "(+title:foo +title:bar)")
        #expect(parser.show("don't") == "(+text:don +text:t)")
        #expect(parser.show("'hello world'") == "(+text:hello +text:world)")
    }

    @Test func multipleDefaultFields() throws {
        let multi = try SearchFixtures.parser(["title", "text"])
        #expect(multi.show("foo") == "(title:foo text:foo)")
        #expect(multi.show("foo bar") == "(+(title:foo text:foo) +(title:bar text:bar))")
        #expect(multi.show("title:foo bar") == "(+title:foo +(title:bar text:bar))")
        #expect(multi.show("\"foo bar\"") == "(title:\"foo bar\"~1 text:\"foo bar\"~1)")
        #expect(multi.show("foo OR bar") == "(title:foo text:foo title:bar text:bar)")
        // A value one default field cannot take skips that field; none can: the first error.
        let mixed = try SearchFixtures.parser(["title", "count", "date"])
        #expect(mixed.show("python") == "title:python")
        #expect(mixed.show("2018") == "(title:2018 count:[2018 TO 2018] date:[2018-01-01T00:00:00.000000Z TO 2018-12-31T23:59:59.999999Z])")
        #expect(mixed.show("count:python") == "error@6: field 'count' holds integers; 'python' is not one")
        let numbers = try SearchFixtures.parser(["count", "price"])
        #expect(numbers.show("abc") == "error@0: field 'count' holds integers; 'abc' is not one")
        let config = try SearchFixtures.config()
        #expect(try QueryParser(config: config, searchField: " title , text ").defaultFields == ["title", "text"])
        #expect(try QueryParser(config: config).defaultFields == ["text"])
        #expect(try QueryParser(config: config, searchField: " ").defaultFields == ["text"])
    }

    @Test func fieldErrors() throws {
        #expect(parser.show("nofield:x") == "error@0: unknown field 'nofield'; fields: id, title, text, body, gapped, cased, nopos, count, price, date, flag, tags, stash")
        #expect(parser.show("a http://x") == "error@2: unknown field 'http'; fields: id, title, text, body, gapped, cased, nopos, count, price, date, flag, tags, stash")
        #expect(parser.show("stash:x") == "error@0: field 'stash' is stored only and cannot be searched")
        #expect(parser.show("title: foo") == "error@6: expected a term, phrase, range or group right after 'title:'")
        let config = try SearchFixtures.config()
        #expect(throws: QueryError.self) { try QueryParser(config: config, defaultFields: ["nope"]) }
        let noDefault = try QueryParser(config: config, defaultFields: [])
        #expect(noDefault.show("title:a b") == "error@8: no default search field: name one (field:term), or set search_field or default_search_field")
    }
}
