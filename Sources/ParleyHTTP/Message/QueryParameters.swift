/// Query string parameters, percent-decoded (`+` is a space, as in HTML forms).
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []
    /// Parameters whose name or value is not valid percent-encoded UTF-8 (by name, or as sent when
    /// the name itself is malformed); they are not in `pairs`, and a caller should refuse them
    /// rather than answer as if they had not been sent.
    public private(set) var malformed: [String] = []

    public init(_ query: Substring) {
        guard !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            if let name, let value {
                pairs.append((name, value))
            } else {
                malformed.append(name ?? String(pieces[0]))
            }
        }
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first value of a free-text filter, nil when absent or empty: `?team=` filters nothing,
    /// as a form with an empty field means (a filter on the empty string would match no record).
    public func filter(_ name: String) -> String? {
        self[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Percent-decodes one component; nil when it is malformed or not UTF-8.
    public static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
