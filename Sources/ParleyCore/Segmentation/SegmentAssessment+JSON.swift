/// The assessment in the contract's snake_case shape (§11).
extension SegmentAssessment {
    public var json: JSONValue {
        .object([
            ("segment", .string(segment.rawValue)),
            ("segment_source", .string(source.rawValue)),
            ("rule_segment", .string(ruleSegment.rawValue)),
            ("factors", .array(factors.map(\.json))),
            ("recommended_actions", .array(recommendedActions.map { .string($0) })),
            ("protected", .bool(isProtected)),
            ("protected_reasons", .array(protectedReasons.map { .string($0) })),
            ("computed_at", .string(computedAt.rfc3339)),
        ])
    }
}

extension SegmentAssessment.Factor {
    public var json: JSONValue {
        .object([("name", .string(name.rawValue)), ("value", value), ("effect", .string(effect))])
    }
}
