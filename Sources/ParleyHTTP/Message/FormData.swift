/// An `application/x-www-form-urlencoded` body (WHATWG URL standard, "application/x-www-form-urlencoded
/// parsing"), decoded strictly: `+` is a space, `%XX` is a byte, the bytes must be UTF-8. Unlike the
/// lenient query-string reader, a malformed escape or invalid UTF-8 is an error (the caller answers
/// 400), never a silently dropped field. Every pair is kept in order, repeated names included.
public struct FormData: Sendable, Equatable {
    public private(set) var pairs: [Pair] = []

    public struct Pair: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Decodes `body`. Empty pieces between `&` are skipped; a piece without `=` has the empty value.
    public init(_ body: [UInt8]) throws(DecodingError) {
        for piece in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = try Self.decode(piece[piece.startIndex..<(equals ?? piece.endIndex)])
            var value = ""
            if let equals { value = try Self.decode(piece[piece.index(after: equals)...]) }
            pairs.append(Pair(name: name, value: value))
        }
    }

    /// Every value sent for `name`, in order.
    public func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The names sent more than once.
    public var repeatedNames: Set<String> {
        var seen = Set<String>(), repeated = Set<String>()
        for pair in pairs where !seen.insert(pair.name).inserted { repeated.insert(pair.name) }
        return repeated
    }

    /// One component: `+` → space, `%XX` → the byte; then the bytes as UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(DecodingError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(0x20)
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = QueryParameters.hexValue(bytes[index + 1]), let low = QueryParameters.hexValue(bytes[index + 2])
                else { throw DecodingError(reason: "a % is not followed by two hexadecimal digits") }
                out.append(high << 4 | low)
                index += 2
            default:
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw DecodingError(reason: "the form is not UTF-8") }
        return text
    }
}
