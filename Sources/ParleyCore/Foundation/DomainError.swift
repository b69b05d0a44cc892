/// One field that failed validation, named by its wire path (`phones[0].number`).
public struct FieldError: Sendable, Equatable {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Collects every field error before failing, so a client fixes them all in one round.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// Each failing field and why (`name: must not be empty`), as a console shows it.
    public var description: String { errors.map { $0.field + ": " + $0.message }.joined(separator: "; ") }

    public private(set) var errors: [FieldError] = []

    public init() {}
    public init(_ field: String, _ message: String) { errors = [FieldError(field, message)] }

    public mutating func add(_ field: String, _ message: String) { errors.append(FieldError(field, message)) }
    public mutating func merge(_ other: ValidationFailure) { errors += other.errors }
    /// Adds `other`'s errors on fields that have none here yet, the first of each (one problem per
    /// field is enough).
    public mutating func mergeNewFields(_ other: ValidationFailure) {
        var failed = Set(errors.map(\.field))
        for error in other.errors where failed.insert(error.field).inserted { errors.append(error) }
    }

    public var isEmpty: Bool { errors.isEmpty }

    public func throwIfAny() throws {
        if !errors.isEmpty { throw self }
    }
}

/// A document the domain reads itself (the compliance policy) held a value of the wrong JSON type
/// (a string or a fraction where an integer is required, a number where a list is): the request is
/// malformed rather than refused by a rule, so it is answered like any body with a mistyped value
/// (400). `errors` names every failing field of the document, mistyped or not.
public struct WrongJSONType: Error, Sendable {
    public let errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// The domain's errors. Services never know HTTP; the API maps these to statuses once.
public enum DomainError: Error, Sendable, Equatable {
    /// The resource does not exist (or the caller may not know it exists).
    case notFound(String)
    /// A uniqueness or state conflict; `allowed` lists valid targets where that helps.
    case conflict(String, allowed: [String]? = nil)
    /// The caller is authenticated but lacks the right.
    case forbidden(String)
    /// `If-Match` named a version that is no longer current.
    case preconditionFailed(String)
    /// A well-formed request the rules refuse, without field errors.
    case unprocessable(String)
    /// The thing existed but is no longer usable (a used or expired token).
    case gone(String)
    /// Too many requests from one client; retry after this many seconds.
    case rateLimited(retryAfterSeconds: Int)
}

/// Runs a versioned store write. When another write changed the row first, the store answers
/// `preconditionFailed`; that is the answer only to a request made conditional with If-Match. Any
/// other request asked for no precondition, so it learns of the lost race as a conflict (409).
func versionedWrite<T>(conditional: Bool, _ write: () throws -> T) throws -> T {
    do {
        return try write()
    } catch DomainError.preconditionFailed(let message) where !conditional {
        throw DomainError.conflict(message)
    }
}

/// Stored data that cannot be read as the domain expects (an unknown status, a malformed date or
/// JSON column): damage or a bug, never a default. It surfaces as a logged 500.
public struct CorruptDataError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
