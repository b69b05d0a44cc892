import ParleyHTTP
import Testing

@Suite struct FormDataTests {
    func decode(_ text: String) throws -> FormData { try FormData(Array(text.utf8)) }

    @Test func pairsInOrderWithPlusAndPercentEscapes() throws {
        let form = try decode("a=1&b=two+words&c=%2B%26%3D%25&d=")
        #expect(form.pairs.map(\.name) == ["a", "b", "c", "d"])
        #expect(form.values("b") == ["two words"])
        #expect(form.values("c") == ["+&=%"])
        #expect(form.values("d") == [""])
        #expect(form.values("missing").isEmpty)
    }

    @Test func namesAreDecodedTooAndOnlyTheFirstEqualsSplits() throws {
        let form = try decode("scores.communication=5&a%20b=x%3Dy&c=d=e&flag&=v")
        #expect(form.values("scores.communication") == ["5"])
        #expect(form.values("a b") == ["x=y"])
        #expect(form.values("c") == ["d=e"])
        #expect(form.values("flag") == [""])
        #expect(form.values("") == ["v"])
    }

    @Test func multibyteUTF8FromEscapesAndRawBytes() throws {
        #expect(try decode("comment=%E4%BD%A0%E5%A5%BD").values("comment") == ["你好"])
        #expect(try decode("comment=%e4%bd%a0%f0%9f%98%80").values("comment") == ["你😀"])
        #expect(try FormData(Array("comment=谢谢".utf8)).values("comment") == ["谢谢"])
    }

    @Test func repeatedKeysAreAllKept() throws {
        let form = try decode("nps=3&comment=x&nps=9")
        #expect(form.values("nps") == ["3", "9"])
        #expect(form.repeatedNames == ["nps"])
        #expect(try decode("a=1&b=2").repeatedNames.isEmpty)
    }

    @Test func emptyPiecesAreSkipped() throws {
        #expect(try decode("").pairs.isEmpty)
        #expect(try decode("&&a=1&&").pairs == [FormData.Pair(name: "a", value: "1")])
    }

    @Test func malformedEscapesAndInvalidUTF8AreErrors() {
        for bad in ["a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=100%", "a=%E4%BD", "a=%FF", "a=%C0%AF"] {
            #expect(throws: FormData.DecodingError.self, "\(bad)") { try decode(bad) }
        }
    }
}
