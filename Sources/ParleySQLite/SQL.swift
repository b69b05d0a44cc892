/// SQL text that can only be written as a literal: values are always bound, never spliced in.
///
/// It deliberately does not support string interpolation, so `"… \(x)"` does not compile.
/// Dynamic statements are assembled from literal fragments with `+`.
public struct SQL: ExpressibleByStringLiteral, Hashable, Sendable {
    public let text: String

    public init(stringLiteral value: StaticString) { self.text = value.description }

    private init(text: String) { self.text = text }

    /// Joins two fragments with a space.
    public static func + (lhs: SQL, rhs: SQL) -> SQL { SQL(text: lhs.text + " " + rhs.text) }

    /// `?, ?, ?` for a dynamic `IN (…)` list of `count` bound values.
    public static func placeholders(_ count: Int) -> SQL {
        SQL(text: Array(repeating: "?", count: max(count, 1)).joined(separator: ", "))
    }
}
