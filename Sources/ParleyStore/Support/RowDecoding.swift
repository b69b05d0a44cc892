import ParleyCore
import ParleySQLite

/// Strict reads of stored values: a value the domain cannot understand is `CorruptDataError`
/// (a logged 500), never a silent default.
extension Row {
    func value<E: RawRepresentable>(_ column: Int32, as type: E.Type) throws -> E where E.RawValue == String {
        let text = string(column)
        guard let value = E(rawValue: text) else { throw CorruptDataError("unknown \(E.self) '\(text)' in column \(column)") }
        return value
    }

    func valueOrNil<E: RawRepresentable>(_ column: Int32, as type: E.Type) throws -> E? where E.RawValue == String {
        isNull(column) ? nil : try value(column, as: type)
    }

    func date(_ column: Int32) throws -> CalendarDate {
        guard let date = withText(column, CalendarDate.init(isoBytes:)) else {
            throw CorruptDataError("malformed date '\(string(column))' in column \(column)")
        }
        return date
    }

    /// Whether the column's text is exactly `literal` (no `String` made for the comparison).
    func textEquals(_ column: Int32, _ literal: StaticString) -> Bool {
        withText(column) { bytes in
            literal.hasPointerRepresentation
                && bytes.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
    }

    func dateOrNil(_ column: Int32) throws -> CalendarDate? { isNull(column) ? nil : try date(column) }

    func instant(_ column: Int32) -> Instant { Instant(millisecondsSinceEpoch: int(column)) }

    func instantOrNil(_ column: Int32) -> Instant? { isNull(column) ? nil : instant(column) }

    func json(_ column: Int32) throws -> JSONValue {
        do {
            return try JSONParser.parse(Array(string(column).utf8))
        } catch {
            throw CorruptDataError("malformed JSON in column \(column)")
        }
    }

    func jsonOrNil(_ column: Int32) throws -> JSONValue? { isNull(column) ? nil : try json(column) }
}
