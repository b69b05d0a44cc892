@_exported import ParleyJSON

extension JSONWriter {
    /// Instants are written as RFC 3339 UTC strings, everywhere.
    public mutating func field(_ name: StaticString, _ value: Instant) {
        field(name, quotedASCII: Instant.rfc3339MaxCount) { value.writeRFC3339(to: $0) }
    }

    public mutating func field(_ name: StaticString, _ value: Instant?) {
        guard let value else { key(name); null(); return }
        field(name, value)
    }

    /// Calendar dates are written as `YYYY-MM-DD` strings.
    public mutating func field(_ name: StaticString, _ value: CalendarDate) {
        field(name, quotedASCII: CalendarDate.isoCount) { value.writeISO(to: $0) }
    }

    public mutating func field(_ name: StaticString, _ value: CalendarDate?) {
        guard let value else { key(name); null(); return }
        field(name, value)
    }
}
