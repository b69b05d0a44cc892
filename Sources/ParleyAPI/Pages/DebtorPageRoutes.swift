import Logging
import ParleyCore
import ParleyHTTP

/// The debtor pages (contract §16): `GET /p/s/{token}` (statement), `GET` and `POST /p/f/{token}`
/// (feedback form). Server-rendered HTML without script, in the debtor's language; every answer,
/// errors included, is an HTML page with the security headers (`PageReply`). Each request counts
/// against the public per-address limit shared with `POST /v1/public/feedback`.
///
/// Tokens travel only in the path: logs and metrics carry the route pattern, and no message this
/// file logs or throws contains a token.
struct DebtorPageRoutes {
    let services: APIServices
    var portal: PortalService { services.portal }
    var feedback: FeedbackService { services.feedback }
    var agency: AgencyContact { portal.agency }

    func register(in router: Router) {
        router.get("/p/s/{token}", handler: page(statement))
        router.get("/p/f/{token}", handler: page(feedbackForm))
        router.post("/p/f/{token}", handler: page(submitFeedback))
    }

    /// Admits the request, runs the page, and turns what no page handled into a notice page in the
    /// language the browser asks for (there is no debtor to ask when a token is unknown).
    func page(_ render: @escaping @Sendable (HTTPRequest, RequestContext) throws -> HTTPResponse) -> HTTPHandler {
        { request, context in
            let strings = PageStrings.forAcceptLanguage(request.headers["accept-language"])
            do {
                try feedback.admit(request.remoteAddress)
                return try render(request, context)
            } catch DomainError.rateLimited(let seconds) {
                return PageReply.html(.tooManyRequests, NoticePage.render(strings, title: strings.tooManyTitle,
                                                                          text: strings.tooManyText(seconds), agency: agency),
                                      headers: [("Retry-After", String(seconds))])
            } catch DomainError.notFound {
                return notFound(strings)
            } catch {
                // The type only: no message text, which could one day quote what a request carried.
                context.logger.error("debtor page failed", metadata: ["error": "\(String(describing: type(of: error)))"])
                return PageReply.html(.internalServerError, NoticePage.render(strings, title: strings.serverErrorTitle,
                                                                              text: strings.serverErrorText, agency: agency))
            }
        }
    }

    func notFound(_ strings: PageStrings) -> HTTPResponse {
        PageReply.html(.notFound, NoticePage.render(strings, title: strings.notFoundTitle, text: strings.notFoundText, agency: agency))
    }

    func statement(_ request: HTTPRequest, _ context: RequestContext) throws -> HTTPResponse {
        guard let link = try portal.link(token: context.parameter("token")) else { throw DomainError.notFound("link") }
        let audience = try portal.audience(caseID: link.caseID)
        let strings = PageStrings.forLanguage(audience.language)
        do { try portal.ensureUsable(link) } catch DomainError.gone {
            return PageReply.html(.gone, NoticePage.render(strings, title: strings.statementGoneTitle, text: strings.statementGoneText,
                                                           agency: agency))
        }
        let content = try portal.statement(for: link)
        return PageReply.html(.ok, StatementPage.render(content, audience: audience, agency: agency, strings))
    }

    /// The survey a token opens and the language to answer in; a used or expired survey is the
    /// 410 page, already rendered.
    func survey(_ token: String) throws -> (Survey, PageStrings, gone: HTTPResponse?) {
        guard let survey = try feedback.survey(token: token) else { throw DomainError.notFound("survey") }
        let strings = PageStrings.forLanguage(try portal.audience(caseID: survey.caseID).language)
        do { _ = try feedback.openSurvey(token: token) } catch DomainError.gone {
            return (survey, strings, gone(strings, answered: survey.usedAt != nil))
        }
        return (survey, strings, nil)
    }

    /// The 410 page: a survey answered says so (a reload of the thank-you page lands here), one
    /// expired says it is closed.
    func gone(_ strings: PageStrings, answered: Bool) -> HTTPResponse {
        let (title, text) = answered ? (strings.feedbackAnsweredTitle, strings.feedbackAnsweredText)
            : (strings.feedbackGoneTitle, strings.feedbackGoneText)
        return PageReply.html(.gone, NoticePage.render(strings, title: title, text: text, agency: agency))
    }

    func feedbackForm(_ request: HTTPRequest, _ context: RequestContext) throws -> HTTPResponse {
        let (_, strings, gone) = try survey(context.parameter("token"))
        if let gone { return gone }
        return PageReply.html(.ok, FeedbackPage.form(FeedbackPage.State(), agency: agency, strings))
    }

    /// Records the answer as `POST /v1/public/feedback` does (one service: validation, follow-up,
    /// single use). A thank-you page is 200, not 201: the page reports the outcome, and the created
    /// feedback has no address the debtor could follow.
    func submitFeedback(_ request: HTTPRequest, _ context: RequestContext) throws -> HTTPResponse {
        let token = context.parameter("token")
        let (_, strings, gone) = try survey(token)
        if let gone { return gone }
        let answer: FeedbackFormAnswer
        do {
            try Self.requireFormContentType(request)
            answer = try FeedbackFormAnswer(try FormData(request.body))
        } catch let refusal as UnsupportedForm {
            return PageReply.html(refusal.status, NoticePage.render(strings, title: strings.badRequestTitle,
                                                                    text: strings.badRequestText, agency: agency))
        } catch is FormData.DecodingError {
            return badRequest(strings)
        } catch is APIError {
            return badRequest(strings)
        }
        guard answer.invalid.isEmpty else {
            return PageReply.html(.unprocessableContent, FeedbackPage.form(
                FeedbackPage.State(sent: answer.sent, invalid: answer.invalid), agency: agency, strings))
        }
        do {
            let saved = try feedback.submit(token: token, scores: answer.scores, nps: answer.nps, comment: answer.comment)
            return PageReply.html(.ok, FeedbackPage.thankYou(saved, agency: agency, strings))
        } catch DomainError.gone {
            // Answered by another request in the meantime, or expired since it was opened.
            return self.gone(strings, answered: try feedback.survey(token: token)?.usedAt != nil)
        } catch let failure as ValidationFailure {
            return PageReply.html(.unprocessableContent, FeedbackPage.form(
                FeedbackPage.State(sent: answer.sent, invalid: Set(failure.errors.map(\.field))), agency: agency, strings))
        }
    }

    func badRequest(_ strings: PageStrings) -> HTTPResponse {
        PageReply.html(.badRequest, NoticePage.render(strings, title: strings.badRequestTitle, text: strings.badRequestText, agency: agency))
    }

    struct UnsupportedForm: Error { let status: HTTPStatus }

    /// The form posts `application/x-www-form-urlencoded` (a charset parameter may follow); anything
    /// else is 415.
    static func requireFormContentType(_ request: HTTPRequest) throws {
        let type = request.headers["content-type"]?.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() }
        guard type == "application/x-www-form-urlencoded" else { throw UnsupportedForm(status: .unsupportedMediaType) }
    }
}
