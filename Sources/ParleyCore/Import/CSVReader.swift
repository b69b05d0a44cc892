/// A streaming RFC 4180 reader over bytes: quoted fields with embedded commas, quotes and line
/// breaks, CRLF or LF line ends, an optional UTF-8 BOM. Each record reports the physical line it
/// starts on (the header is line 1). A malformed record is reported and skipped up to the next
/// line end, so one bad row never hides the rest.
public struct CSVReader: Sendable {
    public enum Record: Sendable {
        case fields(line: Int, [String])
        case malformed(line: Int, message: String)
    }

    private let bytes: [UInt8]
    private var index: Int
    private var line = 1

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, or nil at the end of the input. Blank lines are skipped.
    public mutating func next() -> Record? {
        while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        fields.reserveCapacity(16)
        while true {
            switch readField() {
            case .failure(let error):
                skipToLineEnd()
                return .malformed(line: startLine, message: error.message)
            case .success(let (field, end)):
                fields.append(field)
                switch end {
                case .comma: continue
                case .lineEnd, .endOfInput: return .fields(line: startLine, fields)
                }
            }
        }
    }

    enum FieldEnd { case comma, lineEnd, endOfInput }

    private mutating func readField() -> Result<(String, FieldEnd), FieldError> {
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { return readQuoted() }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") {
                let field = bytes[start..<index]
                index += 1
                return decode(field).map { ($0, .comma) }
            }
            if byte == 0x0A || byte == 0x0D {
                let field = bytes[start..<index]
                consumeLineEnd()
                return decode(field).map { ($0, .lineEnd) }
            }
            if byte == UInt8(ascii: "\"") { return .failure(FieldError("a quote inside an unquoted field")) }
            index += 1
        }
        return decode(bytes[start..<index]).map { ($0, .endOfInput) }
    }

    private mutating func readQuoted() -> Result<(String, FieldEnd), FieldError> {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    value.append(byte)
                    index += 2
                    continue
                }
                index += 1
                guard index < bytes.count else { return decode(value[...]).map { ($0, .endOfInput) } }
                switch bytes[index] {
                case UInt8(ascii: ","):
                    index += 1
                    return decode(value[...]).map { ($0, .comma) }
                case 0x0A, 0x0D:
                    consumeLineEnd()
                    return decode(value[...]).map { ($0, .lineEnd) }
                default:
                    return .failure(FieldError("text after a closing quote"))
                }
            }
            if byte == 0x0A { line += 1 }
            value.append(byte)
            index += 1
        }
        return .failure(FieldError("an unterminated quoted field"))
    }

    private mutating func consumeLineEnd() {
        if index < bytes.count, bytes[index] == 0x0D { index += 1 }
        if index < bytes.count, bytes[index] == 0x0A { index += 1 }
        line += 1
    }

    /// Skips to just past the next line end that is not inside quotes (best effort after an error).
    private mutating func skipToLineEnd() {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        if index < bytes.count { index += 1; line += 1 }
    }

    private func decode(_ field: ArraySlice<UInt8>) -> Result<String, FieldError> {
        guard let text = String(validating: field, as: UTF8.self) else { return .failure(FieldError("text that is not UTF-8")) }
        return .success(text)
    }

    struct FieldError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

