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
        let comma = needsComma
        needsComma = false
        staged(upTo: name.utf8CodeUnitCount + 4) { out in
            Self.writeKey(name, comma: comma, to: out)
        }
    }

    /// `,"name":` (the comma when `comma`) at `out`; returns the bytes written.
    @inline(__always)
    private static func writeKey(_ name: StaticString, comma: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        if comma { out[0] = UInt8(ascii: ","); at = 1 }
        out[at] = UInt8(ascii: "\"")
        (out + at + 1).update(from: name.utf8Start, count: name.utf8CodeUnitCount)
        at += 1 + name.utf8CodeUnitCount
        out[at] = UInt8(ascii: "\"")
        out[at + 1] = UInt8(ascii: ":")
        return at + 2
    }

    /// Writes at most `count` bytes with `write` (which returns how many it wrote), then appends
    /// them to the document at once: one capacity and uniqueness check per member instead of one
    /// per byte (per-byte appends were a tenth of a 50-case list's CPU).
    @inline(__always)
    private mutating func staged(upTo count: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch in
            let written = write(scratch.baseAddress!)
            // A producer that wrote past the room it asked for has overwritten the stack: stop.
            precondition(written <= count, "a JSON member wrote more bytes than it reserved")
            bytes.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: written))
        }
    }

    public mutating func key(dynamic name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) { separate(); appendQuoted(value) }
    public mutating func int(_ value: Int64) {
        let comma = needsComma
        needsComma = true
        staged(upTo: 21) { out in
            var at = 0
            if comma { out[0] = UInt8(ascii: ","); at = 1 }
            return at + Self.writeDecimal(value, to: out + at)
        }
    }

    /// The decimal digits of `value` at `out` (at most 20 bytes); returns how many.
    @inline(__always)
    public static func writeDecimal(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        if value < 0 { out[0] = UInt8(ascii: "-"); at = 1 }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude / 10
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        var index = at + digits - 1
        repeat {
            out[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
        return at + digits
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
    public mutating func field(_ name: StaticString, _ value: String) {
        guard name.hasPointerRepresentation else { key(name); return string(value) }
        var value = value
        let written = value.withUTF8 { utf8 -> Bool in
            guard utf8.count <= Self.stagedStringLimit, Self.needsNoEscape(utf8) else { return false }
            let comma = needsComma
            needsComma = true
            staged(upTo: name.utf8CodeUnitCount + utf8.count + 6) { out in
                let at = Self.writeKey(name, comma: comma, to: out)
                return at + Self.writeQuoted(utf8, to: out + at)
            }
            return true
        }
        if !written { key(name); string(value) }
    }
    public mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } else { key(name); null() } }
    public mutating func field(_ name: StaticString, _ value: Int64) {
        guard name.hasPointerRepresentation else { key(name); return int(value) }
        let comma = needsComma
        needsComma = true
        staged(upTo: name.utf8CodeUnitCount + 24) { out in
            let at = Self.writeKey(name, comma: comma, to: out)
            return at + Self.writeDecimal(value, to: out + at)
        }
    }
    public mutating func field(_ name: StaticString, _ value: Int64?) { if let value { field(name, value) } else { key(name); null() } }
    public mutating func field(_ name: StaticString, _ value: Int) { field(name, Int64(value)) }
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
        var text = text
        // Fast path: most strings need no escape, and are copied whole.
        let plain = text.withUTF8 { utf8 -> Bool in
            guard Self.needsNoEscape(utf8) else { return false }
            if utf8.count <= Self.stagedStringLimit {
                staged(upTo: utf8.count + 2) { out in Self.writeQuoted(utf8, to: out) }
            } else {
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
            }
            return true
        }
        if !plain {
            bytes.append(UInt8(ascii: "\""))
            appendEscaped(text)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Strings up to this many bytes are written through the stack in one append.
    private static let stagedStringLimit = 240

    @inline(__always)
    private static func needsNoEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// `"…"` at `out`, for bytes that need no escaping; returns the bytes written.
    @inline(__always)
    private static func writeQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\"")
        if let base = utf8.baseAddress { (out + 1).update(from: base, count: utf8.count) }
        out[utf8.count + 1] = UInt8(ascii: "\"")
        return utf8.count + 2
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

    /// Writes `"name":"…"` where `produce` writes at most `maxCount` bytes at the pointer it is
    /// given and returns how many: for values whose bytes are known to need no escaping (such as
    /// RFC 3339 instants).
    public mutating func field(_ name: StaticString, quotedASCII maxCount: Int, _ produce: (UnsafeMutablePointer<UInt8>) -> Int) {
        guard name.hasPointerRepresentation else { key(name); return quotedASCII(maxCount, produce) }
        let comma = needsComma
        needsComma = true
        staged(upTo: name.utf8CodeUnitCount + maxCount + 6) { out in
            var at = Self.writeKey(name, comma: comma, to: out)
            out[at] = UInt8(ascii: "\"")
            at += 1 + produce(out + at + 1)
            out[at] = UInt8(ascii: "\"")
            return at + 1
        }
    }

    /// Writes `"…"` where `produce` writes at most `maxCount` bytes that need no escaping.
    public mutating func quotedASCII(_ maxCount: Int, _ produce: (UnsafeMutablePointer<UInt8>) -> Int) {
        let comma = needsComma
        needsComma = true
        staged(upTo: maxCount + 3) { out in
            var at = 0
            if comma { out[0] = UInt8(ascii: ","); at = 1 }
            out[at] = UInt8(ascii: "\"")
            at += 1 + produce(out + at + 1)
            out[at] = UInt8(ascii: "\"")
            return at + 1
        }
    }
}
