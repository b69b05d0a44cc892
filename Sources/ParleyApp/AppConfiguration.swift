import Foundation
import Glibc
import Logging
import ParleyCore
import ParleyHTTP

/// Every setting of the server, parsed once at start-up.
///
/// Precedence: built-in defaults, then the JSON file (`PARLEY_CONFIG`, else `config/parley.json`
/// when it exists), then `PARLEY_*` environment variables. Every bad setting is collected and
/// reported in one error, each naming its key. Docs/configuration.md lists them all.
public struct AppConfiguration: Sendable {
    public var http = HTTPServerConfiguration()
    public var databasePath = "data/parley.db"
    public var databaseSynchronousFull = false
    /// A cap on the database file's size in bytes (nil: none); past it writes answer 503.
    public var databaseMaxBytes: Int64?
    public var logLevel: Logger.Level = .info
    public var messageWebhookURL: String?
    public var outboxPath = "data/outbox.jsonl"
    public var bootstrapAdminKey: String?
    public var metricsRequireKey = false
    /// The body limit of the CSV import route (the default limit is `http.limits.maxBodyBytes`).
    public var maxImportBytes = 10 * 1024 * 1024
    /// Seconds between scheduled runs of the message dispatcher; 0 runs jobs on demand only.
    public var dispatchIntervalSeconds = 5
    /// Requests a minute one client address may make to the public feedback endpoint and pages.
    public var publicRateLimitPerMinute = 10
    /// Where debtors reach the server; `{{portal.url}}` in a message is this plus `/p/s/{token}`.
    /// Unless set, the address the server listens on (`load`).
    public var publicURL = "http://127.0.0.1:8080"
    /// Whether `public_url` was given, so `load` leaves it as it is.
    var publicURLGiven = false
    /// How debtors reach the agency: shown on the debtor pages and in the statement's dispute text.
    public var agency = AgencyContact()

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "invalid configuration: " + problems.joined(separator: "; ") }
    }

    /// Loads the configuration from the file and `environment`.
    public static func load(environment: [String: String]) throws -> AppConfiguration {
        var config = AppConfiguration()
        var problems: [String] = []
        let explicitFile = environment["PARLEY_CONFIG"]
        let file = explicitFile ?? "config/parley.json"
        if let contents = readFile(file) {
            config.apply(file: contents, name: file, problems: &problems)
        } else if explicitFile != nil {
            problems.append("PARLEY_CONFIG: cannot read \(file)")
        }
        config.apply(environment: environment, problems: &problems)
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        if !config.publicURLGiven, let listening = listeningURL(host: config.http.host, port: config.http.port) {
            config.publicURL = listening
        }
        return config
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// One setting: its file path, its environment variable, and how to apply a value.
    struct Key: Sendable {
        let file: String
        let environment: String
        let apply: @Sendable (inout AppConfiguration, Setting) throws -> Void
    }

    /// A raw value from either source.
    enum Setting {
        case text(String)
        case json(JSONValue)

        var string: String? {
            switch self {
            case .text(let text): text
            case .json(.string(let text)): text
            case .json(.number(let text)): text
            case .json(.bool(let flag)): flag ? "true" : "false"
            default: nil
            }
        }
        var isNull: Bool { if case .json(.null) = self { return true } else { return false } }
    }

    struct BadValue: Error { let message: String }

    static func int(_ setting: Setting, _ range: ClosedRange<Int>) throws -> Int {
        guard let text = setting.string, let value = Int(text), range.contains(value) else {
            throw BadValue(message: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The URL of the address the server listens on (loopback for a wildcard address), the
    /// default `public_url`; nil for port 0, whose number is only known once bound.
    static func listeningURL(host: String, port: Int) -> String? {
        guard port > 0 else { return nil }
        var name = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        // An IPv6 literal goes in brackets, its zone's `%` percent-encoded (RFC 6874).
        if name.contains(":") { name = "[" + name.replacingOccurrences(of: "%", with: "%25") + "]" }
        return "http://\(name):\(port)"
    }

    /// Whether `host` is an IP address or a well-formed host name (RFC 1123: letters, digits and
    /// inner hyphens in dot-separated labels, the last not all digits), so a mistyped one stops
    /// start-up naming the setting. No name is looked up here: a name that does not resolve, or an
    /// address that is not this machine's, fails when the server starts to listen, and says so.
    static func isListenable(_ host: String) -> Bool {
        var address = in6_addr()
        if inet_pton(AF_INET, host, &address) == 1 { return true }
        // An IPv6 literal may name its zone ("fe80::1%eth0").
        let literal = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? host
        if literal.contains(":") { return inet_pton(AF_INET6, literal, &address) == 1 }
        // A fully qualified name may end in a dot; container names may hold underscores.
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, let last = labels.last, !last.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { byte in
                    byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte)
                        || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                }
        }
    }

    static func bool(_ setting: Setting) throws -> Bool {
        switch setting.string?.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw BadValue(message: "must be true or false")
        }
    }

    static func milliseconds(_ setting: Setting) throws -> Duration {
        .milliseconds(try int(setting, 1...86_400_000))
    }

    static let keys: [Key] = [
        Key(file: "host", environment: "PARLEY_HOST") { config, value in
            guard let host = value.string, !host.isEmpty else { throw BadValue(message: "must be an address") }
            guard isListenable(host) else { throw BadValue(message: "must be an IP address or a host name") }
            config.http.host = host
        },
        Key(file: "port", environment: "PARLEY_PORT") { config, value in config.http.port = try int(value, 0...65_535) },
        Key(file: "database", environment: "PARLEY_DB") { config, value in
            guard let path = value.string, !path.isEmpty else { throw BadValue(message: "must be a file path") }
            config.databasePath = path
        },
        Key(file: "database_synchronous", environment: "PARLEY_DB_SYNCHRONOUS") { config, value in
            switch value.string?.lowercased() {
            case "normal": config.databaseSynchronousFull = false
            case "full": config.databaseSynchronousFull = true
            default: throw BadValue(message: "must be normal or full")
            }
        },
        Key(file: "database_max_mb", environment: "PARLEY_DB_MAX_MB") { config, value in
            config.databaseMaxBytes = Int64(try int(value, 1...16_777_216)) * 1_048_576
        },
        Key(file: "log_level", environment: "PARLEY_LOG_LEVEL") { config, value in
            guard let level = value.string.flatMap({ Logger.Level(rawValue: $0.lowercased()) }) else {
                throw BadValue(message: "must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = level
        },
        Key(file: "message_webhook_url", environment: "PARLEY_MESSAGE_WEBHOOK_URL") { config, value in
            if value.isNull { config.messageWebhookURL = nil; return }
            guard let url = value.string,
                  url.isEmpty || ((url.hasPrefix("http://") || url.hasPrefix("https://")) && URL(string: url)?.host?.isEmpty == false)
            else {
                throw BadValue(message: "must be an http:// or https:// URL with a host")
            }
            config.messageWebhookURL = url.isEmpty ? nil : url
        },
        Key(file: "outbox_path", environment: "PARLEY_OUTBOX_PATH") { config, value in
            guard let path = value.string, !path.isEmpty else { throw BadValue(message: "must be a file path") }
            config.outboxPath = path
        },
        Key(file: "bootstrap_admin_key", environment: "PARLEY_BOOTSTRAP_ADMIN_KEY") { config, value in
            if value.isNull { return }
            guard let key = value.string, key.utf8.count >= 16, key.utf8.count <= 256,
                  key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else { throw BadValue(message: "must be 16 to 256 visible ASCII characters") }
            config.bootstrapAdminKey = key
        },
        Key(file: "metrics_require_key", environment: "PARLEY_METRICS_REQUIRE_KEY") { config, value in
            config.metricsRequireKey = try bool(value)
        },
        Key(file: "http.max_connections", environment: "PARLEY_HTTP_MAX_CONNECTIONS") { config, value in
            config.http.maxConnections = try int(value, 1...1_000_000)
        },
        Key(file: "http.max_connections_per_address", environment: "PARLEY_HTTP_MAX_CONNECTIONS_PER_ADDRESS") { config, value in
            config.http.maxConnectionsPerAddress = try int(value, 1...1_000_000)
        },
        Key(file: "http.event_loops", environment: "PARLEY_HTTP_EVENT_LOOPS") { config, value in
            config.http.eventLoopCount = try int(value, 0...256)
        },
        Key(file: "http.handler_threads", environment: "PARLEY_HTTP_HANDLER_THREADS") { config, value in
            config.http.handlerThreads = try int(value, 1...1_024)
        },
        Key(file: "http.max_concurrent_streams", environment: "PARLEY_HTTP_MAX_CONCURRENT_STREAMS") { config, value in
            config.http.maxConcurrentStreams = try int(value, 1...1_024)
        },
        Key(file: "http.header_timeout_ms", environment: "PARLEY_HTTP_HEADER_TIMEOUT_MS") { config, value in
            config.http.headerTimeout = try milliseconds(value)
        },
        Key(file: "http.body_timeout_ms", environment: "PARLEY_HTTP_BODY_TIMEOUT_MS") { config, value in
            config.http.bodyTimeout = try milliseconds(value)
        },
        Key(file: "http.idle_timeout_ms", environment: "PARLEY_HTTP_IDLE_TIMEOUT_MS") { config, value in
            config.http.idleTimeout = try milliseconds(value)
        },
        Key(file: "http.write_timeout_ms", environment: "PARLEY_HTTP_WRITE_TIMEOUT_MS") { config, value in
            config.http.writeTimeout = try milliseconds(value)
        },
        Key(file: "http.shutdown_grace_ms", environment: "PARLEY_HTTP_SHUTDOWN_GRACE_MS") { config, value in
            config.http.shutdownGracePeriod = try milliseconds(value)
        },
        Key(file: "http.max_request_line_bytes", environment: "PARLEY_HTTP_MAX_REQUEST_LINE_BYTES") { config, value in
            config.http.limits.maxRequestLineBytes = try int(value, 256...1_048_576)
        },
        Key(file: "http.max_header_bytes", environment: "PARLEY_HTTP_MAX_HEADER_BYTES") { config, value in
            config.http.limits.maxHeaderBytes = try int(value, 1_024...1_048_576)
        },
        Key(file: "http.max_header_count", environment: "PARLEY_HTTP_MAX_HEADER_COUNT") { config, value in
            config.http.limits.maxHeaderCount = try int(value, 8...10_000)
        },
        Key(file: "http.max_body_bytes", environment: "PARLEY_HTTP_MAX_BODY_BYTES") { config, value in
            config.http.limits.maxBodyBytes = try int(value, 1_024...1_073_741_824)
        },
        Key(file: "http.max_import_bytes", environment: "PARLEY_HTTP_MAX_IMPORT_BYTES") { config, value in
            config.maxImportBytes = try int(value, 1_024...1_073_741_824)
        },
        Key(file: "public_rate_limit_per_minute", environment: "PARLEY_PUBLIC_RATE_LIMIT") { config, value in
            config.publicRateLimitPerMinute = try int(value, 1...100_000)
        },
        Key(file: "jobs.dispatch_interval_seconds", environment: "PARLEY_DISPATCH_INTERVAL_SECONDS") { config, value in
            config.dispatchIntervalSeconds = try int(value, 0...86_400)
        },
        Key(file: "public_url", environment: "PARLEY_PUBLIC_URL") { config, value in
            config.publicURL = try publicURL(value)
            config.publicURLGiven = true
        },
        Key(file: "agency.name", environment: "PARLEY_AGENCY_NAME") { config, value in
            config.agency.name = try contactText(value, maximum: 200)
        },
        Key(file: "agency.phone", environment: "PARLEY_AGENCY_PHONE") { config, value in
            config.agency.phone = try contactText(value, maximum: 50)
        },
        Key(file: "agency.email", environment: "PARLEY_AGENCY_EMAIL") { config, value in
            let email = try contactText(value, maximum: 254)
            if let email, !Validators.isEmail(email) { throw BadValue(message: "must be an e-mail address") }
            config.agency.email = email
        },
        Key(file: "agency.address", environment: "PARLEY_AGENCY_ADDRESS") { config, value in
            config.agency.address = try contactText(value, maximum: 500)
        },
        Key(file: "agency.hours", environment: "PARLEY_AGENCY_HOURS") { config, value in
            config.agency.hours = try contactText(value, maximum: 200)
        },
    ]

    /// An `http://` or `https://` URL with a host and no query or fragment; a trailing `/` is dropped.
    static func publicURL(_ setting: Setting) throws -> String {
        guard var text = setting.string, text.hasPrefix("http://") || text.hasPrefix("https://"),
              let url = URL(string: text), url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else { throw BadValue(message: "must be an http:// or https:// URL with a host, without query or fragment") }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Text shown to debtors: trimmed, at most `maximum` characters, no control characters except
    /// line breaks (addresses span lines); empty or null means not set.
    static func contactText(_ setting: Setting, maximum: Int) throws -> String? {
        if setting.isNull { return nil }
        guard let text = setting.string?.trimmingSpaces else { throw BadValue(message: "must be a string") }
        if text.isEmpty { return nil }
        guard text.count <= maximum,
              text.unicodeScalars.allSatisfy({ $0 == "\n" || !($0.properties.generalCategory == .control) })
        else { throw BadValue(message: "must be at most \(maximum) characters without control characters") }
        return text
    }

    mutating func apply(file contents: [UInt8], name: String, problems: inout [String]) {
        guard let document = try? JSONParser.parse(contents), case .object = document else {
            problems.append("\(name): not a JSON object")
            return
        }
        var known = Set<String>()
        for key in Self.keys {
            known.insert(key.file)
            var value: JSONValue? = document
            for part in key.file.split(separator: ".") { value = value?[String(part)] }
            guard let value else { continue }
            do { try key.apply(&self, .json(value)) } catch let bad as BadValue {
                problems.append("\(key.file) in \(name): \(bad.message)")
            } catch { problems.append("\(key.file) in \(name): \(error)") }
        }
        if case .object(let members) = document {
            for (name, value) in members {
                if case .object(let inner) = value {
                    for (innerName, _) in inner where !known.contains("\(name).\(innerName)") {
                        problems.append("\(name).\(innerName) in config: unknown setting")
                    }
                } else if !known.contains(name) {
                    problems.append("\(name) in config: unknown setting")
                }
            }
        }
    }

    mutating func apply(environment: [String: String], problems: inout [String]) {
        for key in Self.keys {
            guard let text = environment[key.environment] else { continue }
            do { try key.apply(&self, .text(text)) } catch let bad as BadValue {
                problems.append("\(key.environment): \(bad.message)")
            } catch { problems.append("\(key.environment): \(error)") }
        }
    }
}
