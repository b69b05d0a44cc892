/// A parsed JSON document. Numbers keep their source text, so integers are never routed through
/// floating point and a fraction where an integer belongs can be told apart and refused.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate names are refused by the parser.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// The integer value when this is a number written without fraction or exponent.
    public var int64: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// The value of a number that is an integer, however it is written (`100`, `100.0`, `1e2`,
    /// `0.5e1`): the JSON Schema reading of `integer`. Nil for a number with a fraction, one outside
    /// Int64, or anything that is not a number. Exact: no floating point is involved.
    public var exactInt64: Int64? {
        guard case .number(let text) = self else { return nil }
        if let value = Int64(text) { return value }
        return Self.exactInt64(Array(text.utf8))
    }

    /// Whether this is a number without a fraction, however large (`1e30` is integral, `1.5` is not).
    public var isIntegral: Bool {
        guard case .number(let text) = self else { return false }
        if Int64(text) != nil { return true }
        guard let parts = Self.integerParts(Array(text.utf8)) else { return false }
        return parts.significant.isEmpty || parts.exponent >= 0
    }

    /// A number's sign, significant digits (no leading or trailing zeros) and the power of ten
    /// they are scaled by; nil when the text is not a JSON number. No digits: the number is 0.
    private static func integerParts(_ b: [UInt8]) -> (negative: Bool, significant: ArraySlice<UInt8>, exponent: Int)? {
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        var i = 0
        let negative = i < b.count && b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        // The mantissa's digits (integer part, then fraction part) without its decimal point.
        var digits: [UInt8] = []
        while i < b.count, isDigit(b[i]) { digits.append(b[i]); i += 1 }
        var exponent = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) { digits.append(b[i]); exponent -= 1; i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { exponentNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            guard i < b.count, isDigit(b[i]) else { return nil }
            var written = 0
            while i < b.count, isDigit(b[i]) { written = min(written * 10 + Int(b[i] - 0x30), 1_000_000_000); i += 1 }
            exponent += exponentNegative ? -written : written
        }
        guard i == b.count, !digits.isEmpty else { return nil }
        guard let first = digits.firstIndex(where: { $0 != 0x30 }) else { return (negative, [], 0) }
        var last = digits.count - 1
        while digits[last] == 0x30 { last -= 1; exponent += 1 }
        return (negative, digits[first...last], exponent)
    }

    private static func exactInt64(_ b: [UInt8]) -> Int64? {
        guard let (negative, significant, exponent) = integerParts(b) else { return nil }
        if significant.isEmpty { return 0 }
        // 10^19 > Int64.max, so a value with more than 19 digits before the point cannot fit.
        guard exponent >= 0, significant.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in significant {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit - 0x30))
            guard !o1, !o2 else { return nil }
            magnitude = sum
        }
        for _ in 0..<exponent {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = times
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Compact JSON with object keys sorted by their UTF-8 bytes: the canonical form the audit
    /// chain hashes (RFC 8785-style for the value kinds Parley stores).
    public var canonical: String {
        var writer = JSONWriter()
        writer.value(self, sortKeys: true)
        return writer.string
    }

    /// Compact JSON in document order.
    public var compact: String {
        var writer = JSONWriter()
        writer.value(self, sortKeys: false)
        return writer.string
    }
}
