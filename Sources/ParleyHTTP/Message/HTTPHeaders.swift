/// An ordered list of header fields with case-insensitive lookup.
///
/// Field names are compared ASCII case-insensitively (RFC 9110 §5.1); the order of
/// fields is kept because it matters for repeated fields such as `Set-Cookie`.
public struct HTTPHeaders: Sendable, Sequence {
    public typealias Element = (name: String, value: String)
    @usableFromInline var fields: [Element] = []

    public init() {}
    public init(_ fields: [Element]) { self.fields = fields }

    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        for field in fields where field.name.asciiCaseInsensitiveEquals(name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(of name: String) -> [String] {
        fields.filter { $0.name.asciiCaseInsensitiveEquals(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field called `name` with one field.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.asciiCaseInsensitiveEquals(name) }
    }
}

extension String {
    /// ASCII case-insensitive comparison, as header names and tokens need; no Unicode folding.
    @inlinable
    public func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        var a = self.utf8.makeIterator()
        var b = other.utf8.makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y { continue }
                if x | 0x20 != y | 0x20 { return false }
                let lower = x | 0x20
                if lower < 0x61 || lower > 0x7A { return false }
            default: return false
            }
        }
    }
}
