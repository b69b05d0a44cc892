/// Writes compact JSON straight into bytes, with commas managed for the caller.
/// Used for every response body: no intermediate dictionaries, no Foundation.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Hands over the written bytes and leaves the writer empty, so the caller holds the only
    /// reference and can append to them without a copy.
    public mutating func takeBytes() -> [UInt8] {
        let taken = bytes
        bytes = []
        needsComma = false
        return taken
    }

    /// Empties the writer for another document, keeping its buffer.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Writes a member name; the next value call writes its value.
    public mutating func key(_ name: StaticString) {
        // A one-character literal may be stored as a scalar, without a pointer to its bytes.
        guard name.hasPointerRepresentation else { return key(dynamic: name.description) }
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        // Byte by byte: an array literal here would be a heap allocation per member written.
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func key(dynamic name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) { separate(); appendQuoted(value) }
    public mutating func int(_ value: Int64) {
        separate()
        appendDecimal(value)
    }

    /// The decimal digits of `value`, written straight into the buffer (no intermediate String).
    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digits = 0
        var probe = magnitude
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = start + digits - 1
        while magnitude > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        }
    }
    public mutating func int(_ value: Int) { int(Int64(value)) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    /// A number already in JSON form (rates: formatted by the caller without binary surprises).
    public mutating func rawNumber(_ text: String) { separate(); bytes.append(contentsOf: text.utf8) }
    /// A value already serialised as JSON (stored canonical documents).
    public mutating func rawJSON(_ text: String) { separate(); bytes.append(contentsOf: text.utf8) }

    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int64?) { if let value { int(value) } else { null() } }

    // Member shorthands.
    public mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: StaticString, _ value: String?) { key(name); string(value) }
    public mutating func field(_ name: StaticString, _ value: Int64) { key(name); int(value) }
    public mutating func field(_ name: StaticString, _ value: Int64?) { key(name); int(value) }
    public mutating func field(_ name: StaticString, _ value: Int) { key(name); int(Int64(value)) }
    public mutating func field(_ name: StaticString, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: StaticString, _ value: JSONValue) { key(name); self.value(value, sortKeys: false) }

    /// Writes a parsed value (audit details, stored documents).
    public mutating func value(_ value: JSONValue, sortKeys: Bool) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text): rawNumber(text)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element, sortKeys: sortKeys) }
            endArray()
        case .object(let members):
            beginObject()
            // Compared as UTF-8 views, without copying them into arrays (audit details are
            // canonicalised inside the writer's serial section).
            let ordered = sortKeys ? members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) } : members
            for (name, member) in ordered {
                key(dynamic: name)
                self.value(member, sortKeys: sortKeys)
            }
            endObject()
        }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        // Fast path: most strings need no escape, and are copied whole.
        let plain = text.withUTF8 { utf8 in
            utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        if plain {
            text.withUTF8 { bytes.append(contentsOf: $0) }
        } else {
            appendEscaped(text)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
    }

    /// Appends `"` + what `produce` appends + `"`; for values whose bytes are known to need no
    /// escaping (such as RFC 3339 instants).
    public mutating func quotedASCII(_ produce: (inout [UInt8]) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        produce(&bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
