import ParleyCore
import ParleyHTTP

/// The feedback form's fields read from a decoded body. The form uses the JSON endpoint's field
/// names (`scores.communication`, …, `nps`, `comment`), and its checks are the service's own
/// (`FeedbackService.validate`) plus what only a form can get wrong: a missing or non-numeric choice.
struct FeedbackFormAnswer: Sendable {
    static let ratingFields = ["scores.communication", "scores.attitude", "scores.resolution"]
    static let fields = ratingFields + ["nps", "comment"]

    /// What was sent, to show again beside the errors.
    let sent: [String: String]
    /// The fields that failed, by name.
    let invalid: Set<String>
    let scores: FeedbackScores
    let nps: Int?
    let comment: String?

    /// Reads the form; a field of the form sent twice is a malformed request (400), as duplicate
    /// member names are in JSON.
    init(_ form: FormData) throws {
        let repeated = form.repeatedNames.intersection(Self.fields)
        if let name = repeated.sorted().first { throw APIError.badRequest("the field \(name) was sent more than once") }
        var sent: [String: String] = [:]
        for name in Self.fields { sent[name] = form.values(name).first }
        var failure = ValidationFailure()
        func rating(_ name: String) -> Int {
            guard let text = sent[name], !text.trimmingSpaces.isEmpty else {
                failure.add(name, "is required")
                return 3  // a stand-in the range check accepts; the field is already reported
            }
            return Self.integer(text)
        }
        let scores = FeedbackScores(communication: rating("scores.communication"), attitude: rating("scores.attitude"),
                                    resolution: rating("scores.resolution"))
        let npsText = sent["nps"]?.trimmingSpaces ?? ""
        let nps = npsText.isEmpty ? nil : Self.integer(npsText)
        let commentText = sent["comment"] ?? ""
        let comment = commentText.trimmingSpaces.isEmpty ? nil : commentText
        failure.merge(FeedbackService.validate(scores: scores, nps: nps, comment: comment))
        self.sent = sent
        self.invalid = Set(failure.errors.map(\.field))
        self.scores = scores
        self.nps = nps
        self.comment = comment
    }

    /// A small decimal integer, or -1 (which every range refuses) for anything else.
    static func integer(_ text: String) -> Int {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.count <= 4, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(trimmed)
        else { return -1 }
        return value
    }
}
