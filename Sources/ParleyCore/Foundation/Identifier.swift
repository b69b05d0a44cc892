/// An id that knows what it identifies: `Identifier<DebtCase>` and `Identifier<Debtor>` are
/// different types, so a case id cannot be passed where a debtor id is expected. The `Entity`
/// parameter is a phantom (never stored); on the wire and in the database the id is its plain
/// text, so JSON and SQL are unchanged.
public struct Identifier<Entity>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Literals are for fixtures and tests; real ids come from `IDGenerator`, storage or a request.
extension Identifier: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}
