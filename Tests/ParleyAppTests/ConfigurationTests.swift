import ParleyApp
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
                "PARLEY_BOOTSTRAP_ADMIN_KEY": "short",
            ])
            Issue.record("accepted a bad configuration")
        } catch let invalid as AppConfiguration.Invalid {
            let text = invalid.description
            for key in ["PARLEY_CONFIG", "PARLEY_PORT", "PARLEY_LOG_LEVEL", "PARLEY_BOOTSTRAP_ADMIN_KEY"] {
                #expect(text.contains(key), "\(key) not named in: \(text)")
            }
            #expect(!text.contains("\n"))
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
