@testable import ParleyApp
import ParleyTestSupport
import Testing

@Suite struct ConfigurationTests {
    @Test func environmentOverridesTheFileAndDefaults() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/parley.json"
            try #require(writeFile(file, #"{"port": 9000, "log_level": "debug", "http": {"idle_timeout_ms": 5000}}"#))
            let config = try AppConfiguration.load(environment: ["PARLEY_CONFIG": file, "PARLEY_PORT": "9100", "PARLEY_DB": "/tmp/x.db"])
            #expect(config.http.port == 9100)
            #expect(config.logLevel == .debug)
            #expect(config.http.idleTimeout == .milliseconds(5000))
            #expect(config.databasePath == "/tmp/x.db")
            #expect(config.http.host == "127.0.0.1")
        }
    }

    @Test func everyBadSettingIsNamed() throws {
        do {
            _ = try AppConfiguration.load(environment: [
                "PARLEY_CONFIG": "/nonexistent/parley.json", "PARLEY_PORT": "99999", "PARLEY_LOG_LEVEL": "loud",
                "PARLEY_BOOTSTRAP_ADMIN_KEY": "short", "PARLEY_HOST": "not a host",
            ])
            Issue.record("accepted a bad configuration")
        } catch let invalid as AppConfiguration.Invalid {
            let text = invalid.description
            for key in ["PARLEY_CONFIG", "PARLEY_PORT", "PARLEY_LOG_LEVEL", "PARLEY_BOOTSTRAP_ADMIN_KEY", "PARLEY_HOST"] {
                #expect(text.contains(key), "\(key) not named in: \(text)")
            }
            #expect(!text.contains("\n"))
        }
    }

    @Test func hostsAreAddressesOrWellFormedNames() throws {
        for host in ["127.0.0.1", "0.0.0.0", "::", "::1", "fe80::1%lo", "localhost", "api-1.example.org", "parley.local.", "db_1"] {
            #expect(AppConfiguration.isListenable(host), "\(host)")
        }
        for host in ["not a host", "999.1.1.1", "127.0.0.1:80", "", "-a.example", "a..b", "[::1]"] {
            #expect(!AppConfiguration.isListenable(host), "\(host)")
        }
    }

    /// Without `public_url`, links point at the address the server listens on.
    @Test func thePublicURLDefaultsToTheListeningAddress() throws {
        func publicURL(_ environment: [String: String]) throws -> String {
            var environment = environment
            environment["PARLEY_DB"] = "/tmp/x.db"
            return try AppConfiguration.load(environment: environment).publicURL
        }
        #expect(AppConfiguration.listeningURL(host: "::", port: 9200) == "http://127.0.0.1:9200")
        #expect(AppConfiguration.listeningURL(host: "::1", port: 9200) == "http://[::1]:9200")
        #expect(AppConfiguration.listeningURL(host: "example.org", port: 0) == nil)
        try withTemporaryDirectory { directory in
            let file = directory + "/parley.json"
            try #require(writeFile(file, "{}"))
            #expect(try publicURL(["PARLEY_CONFIG": file, "PARLEY_PORT": "19201"]) == "http://127.0.0.1:19201")
            #expect(try publicURL(["PARLEY_CONFIG": file, "PARLEY_PORT": "19201", "PARLEY_HOST": "0.0.0.0"]) == "http://127.0.0.1:19201")
            #expect(try publicURL(["PARLEY_CONFIG": file, "PARLEY_PORT": "19201", "PARLEY_PUBLIC_URL": "https://pay.example.com"])
                    == "https://pay.example.com")
        }
    }

    @Test func unknownKeysInTheFileAreErrors() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/parley.json"
            try #require(writeFile(file, #"{"prot": 1}"#))
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.load(environment: ["PARLEY_CONFIG": file]) }
        }
    }
}
