import Logging
import ParleyCore
import ParleyHTTP

/// The single place errors become RFC 9457 problem documents. Unknown errors are 500s that
/// carry only the request id; their details go to the log, never to the client.
enum ProblemRenderer {
    static func render(_ error: any Error, context: RequestContext) -> HTTPResponse {
        switch error {
        case let failure as ValidationFailure:
            return problem(.unprocessableContent, detail: summary(failure), context: context) { writer in
                writer.key("errors")
                writeFieldErrors(failure.errors, to: &writer)
            }
        case let wrongType as WrongJSONType:
            return problem(.badRequest, detail: wrongType.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                           context: context) { writer in
                writer.key("errors")
                writeFieldErrors(wrongType.errors, to: &writer)
            }
        case let block as ComplianceBlock:
            return problem(.unprocessableContent, detail: "the compliance rules do not allow this contact: "
                           + block.violations.map(\.rule.rawValue).joined(separator: ", "), context: context) { writer in
                writer.key("violations")
                ComplianceJSON.write(block.violations, to: &writer)
                writer.field("next_allowed_at", block.nextAllowedAt)
            }
        case let domain as DomainError:
            return render(domain, context: context)
        case let api as APIError:
            return render(api, context: context)
        case let http as HTTPError:
            var response = problem(http.status, detail: http.detail, context: context)
            for field in http.headers { response.headers.add(field.name, field.value) }
            return response
        case let fault as any StorageFault where fault.isStorageUnavailable:
            context.logger.error("storage unavailable", metadata: ["message": "\(error)"])
            var response = problem(.serviceUnavailable, detail: "the database cannot take this request now (disk full, "
                                   + "read-only or failing); nothing already stored is lost; retry later", context: context)
            response.headers.add("Retry-After", "30")
            return response
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(describing: type(of: error)))", "message": "\(error)"])
            return problem(.internalServerError, detail: "an unexpected error occurred; quote request id \(context.requestID)",
                           context: context)
        }
    }

    private static func render(_ error: DomainError, context: RequestContext) -> HTTPResponse {
        switch error {
        case .notFound(let what): return problem(.notFound, detail: "\(what) was not found", context: context)
        case .conflict(let message, let allowed):
            return problem(.conflict, detail: message, context: context) { writer in
                // A transition's list is there even when empty (no way out of a final status).
                guard let allowed else { return }
                writer.key("allowed")
                writer.beginArray()
                for target in allowed { writer.string(target) }
                writer.endArray()
            }
        case .forbidden(let message): return problem(.forbidden, detail: message, context: context)
        case .preconditionFailed(let message): return problem(.preconditionFailed, detail: message, context: context)
        case .unprocessable(let message): return problem(.unprocessableContent, detail: message, context: context)
        case .gone(let message): return problem(HTTPStatus(410), detail: message, context: context)
        case .rateLimited(let seconds):
            var response = problem(HTTPStatus(429), detail: "too many requests from this address; retry in \(seconds) s", context: context)
            response.headers.add("Retry-After", String(seconds))
            return response
        }
    }

    private static func render(_ error: APIError, context: RequestContext) -> HTTPResponse {
        switch error {
        case .badRequest(let message, let field):
            return problem(.badRequest, detail: message, context: context) { writer in
                guard let field else { return }
                writer.key("errors")
                writeFieldErrors([FieldError(field, message)], to: &writer)
            }
        case .unsupportedMediaType(let message): return problem(.unsupportedMediaType, detail: message, context: context)
        case .unauthorized(let message):
            var response = problem(.unauthorized, detail: message, context: context)
            response.headers.add("WWW-Authenticate", "Bearer realm=\"parley\"")
            return response
        }
    }

    /// `[{"field":…,"message":…}]`, the one shape of field errors (problems and import rejections).
    static func writeFieldErrors(_ errors: [FieldError], to writer: inout JSONWriter) {
        writer.beginArray()
        for error in errors {
            writer.beginObject()
            writer.field("field", error.field)
            writer.field("message", error.message)
            writer.endObject()
        }
        writer.endArray()
    }

    static func summary(_ failure: ValidationFailure) -> String {
        let fields = failure.errors.map(\.field)
        var unique: [String] = []
        for field in fields where !unique.contains(field) { unique.append(field) }
        return "invalid fields: " + unique.joined(separator: ", ")
    }

    /// The request id header is added by `RequestIDMiddleware` on the way out.
    static func problem(
        _ status: HTTPStatus, detail: String, context: RequestContext, extra: (inout JSONWriter) -> Void = { _ in }
    ) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers,
                            body: ProblemBody.make(status: status, detail: detail, requestID: context.requestID, extra: extra))
    }
}
