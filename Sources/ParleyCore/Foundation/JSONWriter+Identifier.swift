import ParleyJSON

/// Ids are written as their plain text, so typed ids leave the JSON unchanged.
extension JSONWriter {
    public mutating func field<Entity>(_ name: StaticString, _ id: Identifier<Entity>) { field(name, id.rawValue) }

    public mutating func field<Entity>(_ name: StaticString, _ id: Identifier<Entity>?) { field(name, id?.rawValue) }

    public mutating func string<Entity>(_ id: Identifier<Entity>) { string(id.rawValue) }
}
