import ParleyCore

/// The feedback form (three 1–5 ratings, NPS 0–10, a comment; each input with a visible label),
/// shown again with a message beside each failed field, and the thank-you page.
enum FeedbackPage {
    /// What the form shows: the values sent and the fields that failed (both empty at first).
    struct State {
        var sent: [String: String] = [:]
        var invalid: Set<String> = []
    }

    static func form(_ state: State, agency: AgencyContact, _ s: PageStrings) -> HTML {
        let summary: HTML = state.invalid.isEmpty ? HTML()
            : "<section class=\"summary\" id=\"error-summary\" role=\"alert\"><p>\(s.errorSummary)</p></section>"
        let main: HTML = """
            <h1>\(s.feedbackTitle)</h1>
            <p>\(s.feedbackIntro)</p>
            \(summary)
            <form method="post" accept-charset="utf-8">
            <section>
            \(rating("communication", s.ratingCommunication, state, s))
            \(rating("attitude", s.ratingAttitude, state, s))
            \(rating("resolution", s.ratingResolution, state, s))
            \(nps(state, s))
            \(comment(state, s))
            <button type="submit">\(s.submit)</button>
            </section>
            </form>
            \(AgencySection.render(agency, s))
            """
        return PageLayout.document(s, title: s.feedbackTitle, main: main)
    }

    static func thankYou(_ feedback: Feedback, agency: AgencyContact, _ s: PageStrings) -> HTML {
        let followUp: HTML = feedback.needsFollowUp ? "<p id=\"follow-up\">\(s.followUpText)</p>" : HTML()
        return PageLayout.document(s, title: s.thankYouTitle, main: """
            <h1>\(s.thankYouTitle)</h1>
            <section id="thank-you"><p>\(s.thankYouText)</p>\(followUp)</section>
            \(AgencySection.render(agency, s))
            """)
    }

    /// A 1–5 rating as a group of labelled radio buttons; its error sits under the question.
    static func rating(_ key: String, _ question: String, _ state: State, _ s: PageStrings) -> HTML {
        let name = "scores." + key
        let failed = state.invalid.contains(name)
        let choices = (1...5).map { value -> HTML in
            let checked: HTML = state.sent[name]?.trimmingSpaces == String(value) ? " checked" : ""
            return "<label><input type=\"radio\" name=\"\(name)\" value=\"\(value)\"\(checked)> \(value)</label>"
        }
        let error: HTML = failed ? "<p class=\"error\" id=\"error-\(key)\">\(s.ratingRequired)</p>" : HTML()
        let describedBy: HTML = failed ? " aria-describedby=\"error-\(key)\"" : HTML()
        let invalid: HTML = failed ? " class=\"invalid\"" : HTML()
        return """
            <fieldset id="field-\(key)"\(invalid)\(describedBy)>
            <legend>\(question)</legend>
            <p class="muted">\(s.ratingScale)</p>
            \(error)<div class="choices">\(choices)</div>
            </fieldset>
            """
    }

    static func nps(_ state: State, _ s: PageStrings) -> HTML {
        let failed = state.invalid.contains("nps")
        let chosen = state.sent["nps"]?.trimmingSpaces ?? ""
        let options = [("", s.npsNoAnswer)] + (0...10).map { (String($0), String($0)) }
        let list = options.map { value, label -> HTML in
            let selected: HTML = chosen == value ? " selected" : ""
            return "<option value=\"\(value)\"\(selected)>\(label)</option>"
        }
        let error: HTML = failed ? "<p class=\"error\" id=\"error-nps\">\(s.npsInvalid)</p>" : HTML()
        let describedBy: HTML = failed ? " aria-describedby=\"error-nps\"" : HTML()
        let fieldClass: HTML = failed ? "field invalid" : "field"
        return """
            <div class="\(fieldClass)" id="field-nps">
            <label for="nps">\(s.npsLabel)</label>
            \(error)<select id="nps" name="nps"\(describedBy)>\(list)</select>
            </div>
            """
    }

    static func comment(_ state: State, _ s: PageStrings) -> HTML {
        let failed = state.invalid.contains("comment")
        let error: HTML = failed ? "<p class=\"error\" id=\"error-comment\">\(s.commentTooLong)</p>" : HTML()
        let describedBy: HTML = failed ? " aria-describedby=\"error-comment\"" : HTML()
        let fieldClass: HTML = failed ? "field invalid" : "field"
        // The parser drops one newline right after <textarea>, so a comment's own first line break survives.
        return """
            <div class="\(fieldClass)" id="field-comment">
            <label for="comment">\(s.commentLabel)</label>
            \(error)<textarea id="comment" name="comment" rows="5"\(describedBy)>\n\(state.sent["comment"] ?? "")</textarea>
            </div>
            """
    }
}
