import Foundation
import ParleyCore
import Testing

@Suite struct InstantTests {
    @Test(arguments: [
        ("2026-11-29T06:00:00Z", "2026-11-29T06:00:00Z"),
        ("2026-11-29T14:00:00+08:00", "2026-11-29T06:00:00Z"),
        ("2026-11-29T06:00:00.250Z", "2026-11-29T06:00:00.250Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2024-02-29T00:00:00-05:30", "2024-02-29T05:30:00Z"),
    ])
    func parsesAndFormats(_ input: String, _ output: String) throws {
        #expect(try #require(Instant(rfc3339: input)).rfc3339 == output)
    }

    /// The byte formatter against the C library's `gmtime_r` over instants from 1970 to 9999.
    @Test func formatsLikeTheCLibraryAcrossTheRange() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let millis = Int64.random(in: 0...Instant.latestWritable.millisecondsSinceEpoch, using: &random)
            let instant = Instant(millisecondsSinceEpoch: millis)
            var seconds = time_t(millis / 1_000)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1,
                                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
            if millis % 1_000 != 0 { expected += String(format: ".%03d", Int(millis % 1_000)) }
            #expect(instant.rfc3339 == expected + "Z")
            #expect(Instant(rfc3339: instant.rfc3339) == instant)
        }
    }

    @Test(arguments: ["2026-11-29", "2026-11-29T25:00:00Z", "2026-02-30T00:00:00Z", "2026-11-29 06:00:00Z", "2026-11-29T06:00:00", "x"])
    func rejectsMalformed(_ input: String) {
        #expect(Instant(rfc3339: input) == nil)
    }
}

@Suite struct CalendarDateTests {
    @Test func monthlyStepsKeepTheAnchorDay() throws {
        let start = try #require(CalendarDate(iso: "2026-01-31"))
        #expect(start.adding(months: 1, anchorDay: 31).description == "2026-02-28")
        #expect(start.adding(months: 2, anchorDay: 31).description == "2026-03-31")
        #expect(try #require(CalendarDate(iso: "2027-12-31")).adding(months: 2, anchorDay: 31).description == "2028-02-29")
    }

    @Test func roundTripsThroughDays() throws {
        for text in ["1970-01-01", "2000-02-29", "2026-11-29", "2099-12-31"] {
            let date = try #require(CalendarDate(iso: text))
            #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        }
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(CalendarDate(iso: "2025-02-29") == nil)
    }

    @Test(arguments: ["0001-01-05", "0999-10-09", "2026-12-01", "9999-12-31"])
    func writesAndReadsExactlyTenCharacters(_ text: String) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.description == text)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("due", date)
        writer.field("none", CalendarDate?.none)
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"due":""# + text + #"","none":null}"#)
    }

    /// Day arithmetic can pass the year 9999 (nothing the API takes in does): such a date is
    /// written with all its digits rather than cut or refused.
    @Test func aDateBeyondTheYear9999IsWrittenWithAllItsDigits() throws {
        let last = try #require(CalendarDate(iso: "9999-12-31"))
        #expect(last.adding(days: 1).description == "10000-01-01")
    }

    @Test(arguments: ["2026-1-01", "2026-01-1", "2026/01/01", "20260101", "2026-01-011", " 2026-01-01", "２０２６-01-01", "0000-01-01"])
    func otherTextsAreNotDates(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }
}

@Suite struct IDGeneratorTests {
    @Test func idsArePrefixedAndStrictlyIncreasing() {
        let generator = IDGenerator(clock: WallClock { Instant(millisecondsSinceEpoch: 1_764_000_000_000) })
        var previous = ""
        for _ in 0..<1_000 {
            let id = generator.make("case")
            #expect(id.hasPrefix("case_"))
            #expect(id.count == 31)
            #expect(id > previous)
            previous = id
        }
    }
}

@Suite struct JSONTests {
    @Test func parsesAndKeepsNumbersExact() throws {
        let value = try JSONParser.parse(Array(#"{"a":12345678901234567,"b":1.5,"c":"王\u00e9\ud83d\ude00","d":[true,null]}"#.utf8))
        #expect(value["a"]?.int64 == 12_345_678_901_234_567)
        #expect(value["b"]?.int64 == nil)
        #expect(value["c"]?.string == "王é😀")
    }

    /// JSON Schema's `integer` is a value, not a spelling: 100.0 and 1e2 are integers, 1.5 is not.
    @Test(arguments: [
        ("100", 100 as Int64?), ("100.0", 100), ("1e2", 100), ("1E+2", 100), ("0.5e1", 5), ("-2.50e1", -25),
        ("1000000000000000000.000", 1_000_000_000_000_000_000), ("-0.0", 0), ("0e-7", 0), ("120e-1", 12),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min), ("9.223372036854775807e18", Int64.max),
        ("1.5", nil), ("1e-1", nil), ("12e-1", nil), ("9223372036854775808", nil), ("1e19", nil), ("1e999999999999", nil),
        ("-9223372036854775809", nil),
    ])
    func integersAreReadByValue(_ text: String, _ expected: Int64?) {
        #expect(JSONValue.number(text).exactInt64 == expected)
    }

    @Test(arguments: [#"{"a":1,}"#, #"{"a":1,"a":2}"#, #"[01]"#, #"{"a":"\ud800"}"#, "{'a':1}", #"{"a":1} x"#, ""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    /// A duplicate name is found wherever it falls: among a body's few members (compared in turn)
    /// and in a large object (compared by set), before and after the switch between the two.
    @Test(arguments: [2, 15, 16, 17, 40])
    func duplicateNamesAreRefusedInObjectsOfAnySize(_ count: Int) throws {
        let names = (0..<count).map { "\"k\($0)\":\($0)" }
        #expect(try JSONParser.parse(Array(("{" + names.joined(separator: ",") + "}").utf8))["k\(count - 1)"]?.int64 == Int64(count - 1))
        for repeated in [0, count / 2, count - 1] {
            let text = "{" + (names + ["\"k\(repeated)\":0"]).joined(separator: ",") + "}"
            #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(text.utf8)) }
        }
        // Names are equal by code points only: U+2001 and U+2003 differ.
        #expect(throws: Never.self) { try JSONParser.parse(Array(#"{"\u2001":1,"\u2003":2}"#.utf8)) }
    }

    @Test func canonicalFormSortsKeysAndDropsWhitespace() throws {
        let value = try JSONParser.parse(Array(#"{ "b": 1, "a": {"z": "x\n", "y": [ 2, 1 ]} }"#.utf8))
        #expect(value.canonical == #"{"a":{"y":[2,1],"z":"x\n"},"b":1}"#)
        // By UTF-8 bytes: upper case before lower, a prefix before what extends it, é (C3 A9) last.
        let keys = try JSONParser.parse(Array(#"{"é":1,"z":2,"ab":3,"a":4,"B":5,"a_b":6}"#.utf8))
        #expect(keys.canonical == #"{"B":5,"a":4,"a_b":6,"ab":3,"z":2,"é":1}"#)
    }
}

@Suite struct PermissionTests {
    @Test func rightsTableMatchesTheContract() {
        #expect(Permission.manageUsers.allows(.admin))
        #expect(!Permission.manageUsers.allows(.supervisor))
        #expect(Permission.readAudit.allows(.compliance))
        #expect(!Permission.readAudit.allows(.supervisor))
        #expect(Permission.exportCases.allows(.analyst))
        #expect(!Permission.writeDebtorsAndCases.allows(.analyst))
        #expect(!Permission.analytics.allows(.agent))
        #expect(Permission.changeRestrictions.allows(.compliance))
        #expect(!Permission.logCaseActivity.allows(.compliance))
        #expect(Permission.transitionControl.allows(.supervisor))
        #expect(!Permission.transitionControl.allows(.agent))
        for role in Role.allCases { #expect(Permission.manageOwnKeys.allows(role)) }
    }
}

@Suite struct JSONWriterTests {
    @Test func writesKeysOfAnyLengthAndEscapes() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("a", "x\"y\n")
        writer.field("long_key", 12)
        writer.field("none", nil as String?)
        writer.key("list")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.endArray()
        writer.endObject()
        #expect(writer.string == #"{"a":"x\"y\n","long_key":12,"none":null,"list":[true,null]}"#)
    }

    @Test func takingTheBytesLeavesAnEmptyWriter() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(1)
        writer.endArray()
        var taken = writer.takeBytes()
        taken.append(0x0A)
        #expect(taken == Array("[1]\n".utf8))
        #expect(writer.bytes.isEmpty)
        writer.beginObject()
        writer.endObject()
        #expect(writer.string == "{}")
    }

    /// Integers are written digit by digit, the extremes and the one-digit ones included.
    @Test(arguments: [Int64.min, Int64.min + 1, -1_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100, 123_456_789, Int64.max])
    func writesIntegersAsSwiftPrintsThem(_ value: Int64) {
        var writer = JSONWriter()
        writer.int(value)
        #expect(writer.string == String(value))
        var inObject = JSONWriter()
        inObject.beginObject()
        inObject.field("n", value)
        inObject.field("amount_minor", value)
        inObject.endObject()
        #expect(inObject.string == #"{"n":\#(value),"amount_minor":\#(value)}"#)
    }

    /// Members written in one piece (short plain strings, numbers, instants) and those written in
    /// several (escapes, long strings) mix with commas in the right places.
    @Test func membersOfEveryLengthAndKindSeparateCorrectly() throws {
        let long = String(repeating: "é", count: 200)  // 400 bytes: past the one-piece limit
        let edge = String(repeating: "a", count: 240)
        var writer = JSONWriter(capacity: 8)
        writer.beginObject()
        writer.field("plain", "hello")
        writer.field("empty", "")
        writer.field("escaped", "tab\there")
        writer.field("long", long)
        writer.field("edge", edge)
        writer.field("chinese", "张三")
        writer.field("none", nil as String?)
        writer.field("count", nil as Int64?)
        writer.field("at", Instant(millisecondsSinceEpoch: 1_764_396_000_250))
        writer.field("never", nil as Instant?)
        writer.key("tags")
        writer.beginArray()
        for tag in ["a", "b\"c", long] { writer.string(tag) }
        writer.endArray()
        writer.key("nested")
        writer.beginArray()
        writer.beginObject()
        writer.field("x", 1)
        writer.endObject()
        writer.beginObject()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        #expect(writer.string == #"{"plain":"hello","empty":"","escaped":"tab\there","long":"\#(long)","edge":"\#(edge)","#
            + #""chinese":"张三","none":null,"count":null,"at":"2025-11-29T06:00:00.250Z","never":null,"#
            + #""tags":["a","b\"c","\#(long)"],"nested":[{"x":1},{}]}"#)
    }
}

@Suite struct TrimmingTests {
    /// Blank means only code points with the Unicode White_Space property, as the API document's
    /// `NotBlank` pattern says; a combining mark after a space is not blank.
    @Test(arguments: [
        ("  a b  ", "a b"), ("\t\r\n x\u{85}", "x"), ("\u{3000}\u{2028}\u{A0}", ""), (" \u{301}", "\u{301}"),
        ("\u{FEFF}", "\u{FEFF}"), ("\u{1C}", "\u{1C}"), ("e\u{301} ", "e\u{301}"), ("", ""),
    ])
    func trimsWhiteSpaceCodePoints(_ input: String, _ output: String) {
        #expect(input.trimmingSpaces.unicodeScalars.elementsEqual(output.unicodeScalars))
    }
}

@Suite struct HashingTests {
    /// The audit chain's hash of a link: SHA-256 of the previous hash, a line feed and the entry,
    /// pinned to a value computed elsewhere (Python's hashlib), so stored chains keep verifying.
    @Test func theChainHashIsTheSHA256OfTheJoinedText() {
        let previous = AuditEntry.genesisHash, canonical = #"{"a":1}"#
        let expected = "f21735afd2cd6af4fc5804b0045cebfd545aef8396d29d030c39cb8880b45b7f"
        #expect(AuditEntry.chainHash(previous: previous, canonical: canonical) == expected)
        #expect(Hashing.sha256Hex(previous + "\n" + canonical) == expected)
    }

    /// Linking entries one after another gives what the canonical form and chain hash define,
    /// whether consecutive entries share their instant or not.
    @Test func aChainLinksEntriesAsTheCanonicalFormAndHashDefine() {
        let instants = [Instant(millisecondsSinceEpoch: 1_800_000_000_123), Instant(millisecondsSinceEpoch: 1_800_000_000_123),
                        Instant(millisecondsSinceEpoch: 1_800_000_999_000)]
        var chain = AuditChain(afterSeq: 41, hash: AuditEntry.genesisHash)
        var previous = AuditEntry.genesisHash
        for (index, at) in instants.enumerated() {
            let detail = #"{"n":\#(index),"quote":"a \"b\""}"#
            let hash = chain.link(at: at, actor: "usr_1", action: "case.created", entity: "case", entityID: "case_\(index)",
                                  detailCanonical: detail)
            let canonical = AuditEntry.canonical(seq: 42 + Int64(index), at: at, actor: "usr_1", action: "case.created",
                                                 entity: "case", entityID: "case_\(index)", detailCanonical: detail)
            #expect(chain.seq == 42 + Int64(index))
            #expect(hash == AuditEntry.chainHash(previous: previous, canonical: canonical))
            previous = hash
        }
    }
}

@Suite struct TimeZoneNameTests {
    /// IANA names with and without a `/` (links included) are zones.
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "Etc/GMT+5", "US/Eastern", "UTC", "GMT", "EST", "EST5EDT",
                      "Japan", "Zulu", "Universal", "PRC", "GB"])
    func ianaNamesAreZones(_ name: String) {
        #expect(Validators.isTimeZone(name))
    }

    /// Names Foundation would make a zone of but the tz database does not hold, files of the
    /// database that are not zones, and paths.
    @Test(arguments: ["GMT+5", "UTC+02:00", "GMT+0530", "GMT-05:30", "posixrules", "localtime", "zone.tab", "Factory", "",
                      "Mars/Olympus", "asia/shanghai"])
    func otherNamesAreNot(_ name: String) {
        #expect(!Validators.isTimeZone(name))
    }

    @Test(arguments: ["a@b.co", "wang.fang+debt@mail.example.cn", "o'brien@example.ie", "张伟@例子.中国", "x@sub-domain.example.org"])
    func addressesAreEmails(_ address: String) {
        #expect(Validators.isEmail(address))
    }

    @Test(arguments: [".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@b", "a@.b.com", "a@b..com", "a@b.com.",
                      "a b@c.com", "a@b_c.com", "@b.com", "a@@b.com", "a@b.com\u{0}"])
    func otherTextsAreNotEmails(_ text: String) {
        #expect(!Validators.isEmail(text))
    }

    @Test func controlCharactersAreFoundButTabsAndLineBreaksAreNot() {
        #expect(Validators.hasControlCharacters("123\u{0}"))
        #expect(Validators.hasControlCharacters("a\u{1B}[31m"))
        #expect(Validators.hasControlCharacters("a\u{7F}"))
        #expect(Validators.hasControlCharacters("a\u{9B}2J"))
        #expect(Validators.hasControlCharacters("\u{85}"))
        #expect(!Validators.hasControlCharacters("Wang\tFang\r\n王芳 \u{A0}é"))
    }
}
