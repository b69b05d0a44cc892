/// The answer of `GET /v1/cases/{id}/assessment` (contract §11): a case's segment as of
/// `computedAt`, why, and what to do about it.
public struct SegmentAssessment: Sendable, Equatable {
    /// The segment in force: the override when a supervisor set one, else the rules' answer.
    public let segment: Segment
    public let source: SegmentSource
    /// What the rules say, shown even when an override is in force.
    public let ruleSegment: Segment
    /// Every factor in `SegmentFactorName` order, each with its value and effect.
    public let factors: [Factor]
    /// The segment's playbook actions, or the fixed protected steps when `isProtected`.
    public let recommendedActions: [String]
    /// Outreach must stop or pass to a specialist, whatever the segment.
    public let isProtected: Bool
    public let protectedReasons: [String]
    public let computedAt: Instant

    public init(segment: Segment, source: SegmentSource, ruleSegment: Segment, factors: [Factor],
                recommendedActions: [String], protectedReasons: [String], computedAt: Instant) {
        self.segment = segment
        self.source = source
        self.ruleSegment = ruleSegment
        self.factors = factors
        self.recommendedActions = recommendedActions
        self.isProtected = !protectedReasons.isEmpty
        self.protectedReasons = protectedReasons
        self.computedAt = computedAt
    }

    /// One fact the rules read, with its value and what it did to the segment.
    public struct Factor: Sendable, Equatable {
        public let name: SegmentFactorName
        public let value: JSONValue
        /// `none`, `<segment>: <why>` (optionally `; outranked by <segment>`), `suspended: …`,
        /// `softens: …` or `protected: …` (Docs/segmentation.md).
        public let effect: String

        public init(name: SegmentFactorName, value: JSONValue, effect: String) {
            self.name = name
            self.value = value
            self.effect = effect
        }
    }

    /// The factor called `name`.
    public func factor(_ name: SegmentFactorName) -> Factor? { factors.first { $0.name == name } }
}

/// Where an assessment's segment comes from (`segment_source`).
public enum SegmentSource: String, Sendable, CaseIterable {
    case rules, override
}
