@_exported import ParleyJSON

extension JSONWriter {
    /// Instants are written as RFC 3339 UTC strings, everywhere.
    public mutating func field(_ name: StaticString, _ value: Instant) { key(name); string(value.rfc3339) }
    public mutating func field(_ name: StaticString, _ value: Instant?) { key(name); string(value?.rfc3339) }
}
