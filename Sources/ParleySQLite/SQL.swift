import Synchronization

/// SQL text that can only be written as a literal: values are always bound, never spliced in.
///
/// It deliberately does not support string interpolation, so `"… \(x)"` does not compile.
/// Dynamic statements are assembled from literal fragments with `+`.
public struct SQL: ExpressibleByStringLiteral, Sendable {
    enum Storage: @unchecked Sendable {
        // @unchecked: a StaticString points at immutable program text.
        case literal(StaticString)
        case composed(String)
        case kept(KeptText)
    }

    /// Composed text that lives as long as the program (see `kept`).
    final class KeptText: Sendable {
        let text: String
        init(_ text: String) { self.text = text }
    }

    let storage: Storage

    public init(stringLiteral value: StaticString) { storage = .literal(value) }

    private init(text: String) { storage = .composed(text) }

    public var text: String {
        switch storage {
        case .literal(let literal): literal.description
        case .composed(let text): text
        case .kept(let kept): kept.text
        }
    }

    /// This composed statement, for a `static let` used on hot paths: the statement cache then knows
    /// it by identity, as it knows literals, instead of hashing its text (a kilobyte for the rollup
    /// upserts) on every use.
    public var kept: SQL {
        if case .composed(let text) = storage { return SQL(storage: .kept(KeptText(text))) }
        return self
    }

    private init(storage: Storage) { self.storage = storage }

    /// A cheap, stable statement-cache key for a literal (the address of its text) or a kept
    /// statement (the address of its text's box, which the cache keeps alive with the statement, so
    /// the address cannot be reused for other text); nil for other composed text, cached by the text.
    var stableAddress: (address: UnsafeRawPointer, owner: AnyObject?)? {
        switch storage {
        case .literal(let literal):
            literal.hasPointerRepresentation ? (UnsafeRawPointer(literal.utf8Start), nil) : nil
        case .kept(let kept):
            (UnsafeRawPointer(Unmanaged.passUnretained(kept).toOpaque()), kept)
        case .composed:
            nil
        }
    }

    /// The address of a literal's text (see `stableAddress`).
    var literalAddress: UnsafeRawPointer? {
        if case .literal(let literal) = storage, literal.hasPointerRepresentation { return UnsafeRawPointer(literal.utf8Start) }
        return nil
    }

    /// `PRAGMA name=value` for an integer setting (PRAGMA takes no bound parameters; an integer
    /// cannot carry SQL).
    public static func pragma(_ name: StaticString, _ value: Int64) -> SQL { SQL(text: "PRAGMA \(name)=\(value)") }

    /// Joins two fragments with a space.
    public static func + (lhs: SQL, rhs: SQL) -> SQL { SQL(text: lhs.text + " " + rhs.text) }

    /// `fragment` repeated `count` times, joined by `separator`: multi-row VALUES lists and IN lists.
    /// Both are literals, so nothing but SQL text from the program can end up in the statement.
    public static func repeated(_ fragment: SQL, count: Int, separator: SQL = ",") -> SQL {
        // Bulk inserts ask for the same few lists on every chunk: keep the text of literal ones.
        guard let fragmentAddress = fragment.literalAddress, let separatorAddress = separator.literalAddress else {
            return SQL(text: Array(repeating: fragment.text, count: max(count, 1)).joined(separator: separator.text))
        }
        let key = RepeatedKey(fragment: fragmentAddress, separator: separatorAddress, count: count)
        if let known = repeatedTexts.withLock({ $0[key] }) { return SQL(text: known) }
        let text = Array(repeating: fragment.text, count: max(count, 1)).joined(separator: separator.text)
        repeatedTexts.withLock { texts in
            if texts.count < repeatedTextsLimit { texts[key] = text }
        }
        return SQL(text: text)
    }

    private struct RepeatedKey: Hashable, @unchecked Sendable {
        // @unchecked: the addresses point at immutable program text.
        let fragment: UnsafeRawPointer, separator: UnsafeRawPointer, count: Int
    }
    private static let repeatedTextsLimit = 1_024
    private static let repeatedTexts = Mutex<[RepeatedKey: String]>([:])

    /// `?, ?, ?` for a dynamic `IN (…)` list of `count` bound values.
    public static func placeholders(_ count: Int) -> SQL {
        SQL(text: Array(repeating: "?", count: max(count, 1)).joined(separator: ", "))
    }
}
