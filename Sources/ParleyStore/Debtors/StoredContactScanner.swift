import ParleyCore

/// Reads the `phones` and `emails` columns in the exact shape `ContactJSON` writes them, without
/// building a JSON tree: the writer reads a debtor for every contact it records, and decoding its
/// phones through the general parser was a tenth of that read. Anything else (an escaped
/// character, another key order, stray space) makes the scan answer nil, and the general parser
/// reads the column instead.
struct StoredContactScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func phones(_ text: String) -> [Phone]? {
        scan(text) { scanner in
            guard scanner.take("{\"number\":"), let number = scanner.string(), scanner.take(",\"type\":"),
                  let type = scanner.string().flatMap(Phone.Kind.init(rawValue:)), scanner.take(",\"consent\":{\"calls\":"),
                  let calls = scanner.bool(), scanner.take(",\"sms\":"), let sms = scanner.bool(), scanner.take("}}")
            else { return nil }
            return Phone(number: number, type: type, consentCalls: calls, consentSMS: sms)
        }
    }

    static func emails(_ text: String) -> [Email]? {
        scan(text) { scanner in
            guard scanner.take("{\"address\":"), let address = scanner.string(), scanner.take(",\"opted_out\":"),
                  let optedOut = scanner.bool(), scanner.take("}")
            else { return nil }
            return Email(address: address, optedOut: optedOut)
        }
    }

    /// `[item,item,…]` with nothing around it; nil when any item (or the text) is not as expected.
    private static func scan<Item>(_ text: String, _ item: (inout StoredContactScanner) -> Item?) -> [Item]? {
        var text = text
        return text.withUTF8 { bytes -> [Item]? in
            var scanner = StoredContactScanner(bytes)
            guard scanner.take("[") else { return nil }
            var items: [Item] = []
            if !scanner.take("]") {
                repeat {
                    guard let next = item(&scanner) else { return nil }
                    items.append(next)
                } while scanner.take(",")
                guard scanner.take("]") else { return nil }
            }
            return scanner.index == bytes.count ? items : nil
        }
    }

    /// Consumes `literal` if the text continues with it.
    private mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    /// A string without escapes (the writer escapes only quotes, backslashes and control characters;
    /// a raw control character is left to the general parser, which refuses it).
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") || bytes[end] < 0x20 { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        index = end + 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private mutating func bool() -> Bool? {
        if take("true") { return true }
        if take("false") { return false }
        return nil
    }
}
