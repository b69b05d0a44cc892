import ParleyCore
import ParleyHTTP

/// Reads a JSON request body into typed fields, the one decoding path of the API.
///
/// Wrong types are 400 at once (the body is not what the client meant to send); fields that are
/// absent, null or fail validation are collected and thrown together as one 422.
struct JSONBody {
    private let members: [(String, JSONValue)]
    private(set) var failure = ValidationFailure()
    private let prefix: String

    /// Parses the body of `request`, which must be `application/json` and a JSON object.
    init(_ request: HTTPRequest) throws {
        try Self.requireJSONContentType(request)
        let value: JSONValue
        do {
            value = try JSONParser.parse(request.body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = value else { throw APIError.badRequest("the body must be a JSON object") }
        self.members = members
        self.prefix = ""
    }

    /// The body of a request whose body is optional (`{}`, or nothing at all): nil when it has none,
    /// whatever `Content-Type` says; one that is sent must be a JSON object (415, 400).
    static func ifPresent(_ request: HTTPRequest) throws -> JSONBody? {
        guard !request.body.isEmpty else { return nil }
        return try JSONBody(request)
    }

    init(object members: [(String, JSONValue)], prefix: String) {
        self.members = members
        self.prefix = prefix
    }

    static func requireJSONContentType(_ request: HTTPRequest) throws {
        if request.headers["content-type"] == nil, request.body.isEmpty { throw APIError.badRequest("this request needs a JSON body") }
        try ContentType.require("application/json", in: request.headers["content-type"], otherwise: "send the body as application/json")
    }

    func path(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    func value(_ name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }

    func has(_ name: String) -> Bool { value(name) != nil }

    mutating func fail(_ name: String, _ message: String) { failure.add(path(name), message) }
    mutating func failPath(_ fullPath: String, _ message: String) { failure.add(fullPath, message) }

    // MARK: Typed reads. `required…` records a missing/null field and returns nil.

    mutating func requiredString(_ name: String) throws -> String? {
        guard let value = try optionalString(name) else {
            fail(name, "is required")
            return nil
        }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        switch value(name) {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw APIError.badRequest("\(path(name)) must be a string", field: path(name))
        }
    }

    /// Distinguishes absent (nil) from explicit null (.some(nil)), for PATCH.
    func patchString(_ name: String) throws -> String?? {
        switch value(name) {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: throw APIError.badRequest("\(path(name)) must be a string or null", field: path(name))
        }
    }

    mutating func requiredInt(_ name: String) throws -> Int64? {
        guard has(name), value(name) != .null else {
            fail(name, "is required")
            return nil
        }
        return try optionalInt(name)
    }

    /// An integer however it is written (`100`, `100.0`, `1e2`); a fraction is a wrong type (400);
    /// an integer too large for any field is recorded as out of range (422, with the others).
    mutating func optionalInt(_ name: String) throws -> Int64? {
        guard let value = value(name), value != .null else { return nil }
        guard case .number = value else { throw APIError.badRequest("\(path(name)) must be an integer", field: path(name)) }
        guard let integer = value.exactInt64 else {
            if value.isIntegral {
                fail(name, "is out of range")
                return nil
            }
            // Amounts are the common case: say why a fraction is wrong for them.
            let why = name.hasSuffix("_minor") ? " (minor units, no fraction)" : " (no fraction)"
            throw APIError.badRequest("\(path(name)) must be an integer" + why, field: path(name))
        }
        return integer
    }

    func optionalBool(_ name: String) throws -> Bool? {
        switch value(name) {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw APIError.badRequest("\(path(name)) must be true or false", field: path(name))
        }
    }

    mutating func requiredBool(_ name: String) throws -> Bool? {
        guard let value = try optionalBool(name) else {
            fail(name, "is required")
            return nil
        }
        return value
    }

    /// A string that must be one of `allowed`; records an unknown value as a 422 field error.
    mutating func requiredEnum<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E?
    where E.RawValue == String, E: CaseIterable {
        guard let text = try requiredString(name) else { return nil }
        return enumValue(name, text, type)
    }

    mutating func optionalEnum<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E?
    where E.RawValue == String, E: CaseIterable {
        guard let text = try optionalString(name) else { return nil }
        return enumValue(name, text, type)
    }

    private mutating func enumValue<E: RawRepresentable>(_ name: String, _ text: String, _ type: E.Type) -> E?
    where E.RawValue == String, E: CaseIterable {
        if let value = E(rawValue: text) { return value }
        fail(name, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }

    /// An RFC 3339 instant; a malformed one is a 422 field error.
    mutating func optionalInstant(_ name: String) throws -> Instant? {
        guard let text = try optionalString(name) else { return nil }
        guard let instant = Instant(rfc3339: text) else {
            fail(name, "must be an RFC 3339 instant such as 2026-11-29T06:00:00Z")
            return nil
        }
        return instant
    }

    mutating func requiredInstant(_ name: String) throws -> Instant? {
        guard has(name), value(name) != .null else {
            fail(name, "is required")
            return nil
        }
        return try optionalInstant(name)
    }

    func optionalObject(_ name: String) throws -> JSONBody? {
        switch value(name) {
        case nil, .null?: return nil
        case .object(let members)?: return JSONBody(object: members, prefix: path(name))
        default: throw APIError.badRequest("\(path(name)) must be an object", field: path(name))
        }
    }

    func optionalArray(_ name: String) throws -> [JSONValue]? {
        switch value(name) {
        case nil, .null?: return nil
        case .array(let elements)?: return elements
        default: throw APIError.badRequest("\(path(name)) must be an array", field: path(name))
        }
    }

    /// Adds field errors found beyond the body's shape (ids that name nothing), so they are
    /// reported together with every other field error.
    mutating func merge(_ other: ValidationFailure) {
        let reported = Set(failure.errors.map(\.field))
        for error in other.errors where !reported.contains(error.field) { failure.add(error.field, error.message) }
    }

    /// Throws the collected field errors, if any, as one 422.
    func finish() throws { try failure.throwIfAny() }

    /// Like `finish()`, but a failing body is reported together with `checks`: the service's own
    /// checks of the values that were read, which otherwise run only once the body is clean. So one
    /// answer names every failing field (contract §15); a field already failed is not named twice.
    func finish(alsoChecking checks: @autoclosure () throws -> ValidationFailure) throws {
        guard !failure.isEmpty else { return }
        var all = failure
        all.mergeNewFields(try checks())
        throw all
    }

    /// Throws the collected field errors, if any; otherwise unwraps the required values read
    /// (a `required…` read that found nothing recorded a field error, so none is nil here).
    func finish<each Value>(_ values: repeat (each Value)?) throws -> (repeat each Value) {
        try failure.throwIfAny()
        return (repeat try Self.present(each values))
    }

    private static func present<Value>(_ value: Value?) throws -> Value {
        guard let value else { throw ValidationFailure("body", "a required field is missing") }
        return value
    }
}
