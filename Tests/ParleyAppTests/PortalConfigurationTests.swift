import ParleyApp
import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct PortalConfigurationTests {
    @Test func publicURLAndAgencyFromTheFileAndTheEnvironment() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/parley.json"
            try #require(writeFile(file, """
                {"public_url": "https://pay.example.com/", "agency": {"name": "Acme", "phone": "+86 21 5555 0100", "email": null,
                 "address": "1 Bund Road\\nShanghai", "hours": ""}}
                """))
            let config = try AppConfiguration.load(environment: ["PARLEY_CONFIG": file, "PARLEY_AGENCY_EMAIL": "help@acme.example"])
            #expect(config.publicURL == "https://pay.example.com")
            #expect(config.agency == AgencyContact(name: "Acme", phone: "+86 21 5555 0100", email: "help@acme.example",
                                                   address: "1 Bund Road\nShanghai", hours: nil))
            let defaults = try AppConfiguration.load(environment: ["PARLEY_CONFIG": file, "PARLEY_PUBLIC_URL": "http://10.0.0.5:8080"])
            #expect(defaults.publicURL == "http://10.0.0.5:8080")
        }
    }

    @Test func badPublicURLsAndAgencySettingsAreNamed() throws {
        for (name, value) in [("PARLEY_PUBLIC_URL", "ftp://x"), ("PARLEY_PUBLIC_URL", "https://x.example/?a=1"), ("PARLEY_PUBLIC_URL", "pay.example"),
                              ("PARLEY_AGENCY_EMAIL", "not an address"), ("PARLEY_AGENCY_NAME", String(repeating: "x", count: 201)),
                              ("PARLEY_AGENCY_PHONE", "555\u{7}0100")] {
            do {
                _ = try AppConfiguration.load(environment: [name: value])
                Issue.record("accepted \(name)=\(value)")
            } catch let invalid as AppConfiguration.Invalid {
                #expect(invalid.description.contains(name))
            }
        }
    }
}
