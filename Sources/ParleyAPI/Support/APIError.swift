import ParleyCore
import ParleyHTTP

/// Errors that only the wire layer can raise: the request itself is unusable.
enum APIError: Error {
    /// 400: not JSON, a wrong JSON type, a missing required header.
    case badRequest(String, field: String? = nil)
    /// 415: a body in the wrong media type.
    case unsupportedMediaType(String)
    /// 401: no key, or a key that is unknown, revoked or belongs to a deactivated user.
    case unauthorized(String)
}
