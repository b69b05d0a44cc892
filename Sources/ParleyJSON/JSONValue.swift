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
