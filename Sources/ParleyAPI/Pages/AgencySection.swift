import ParleyCore

/// "Contact us": the agency's name, phone, e-mail, address and hours, as configured.
enum AgencySection {
    static func render(_ agency: AgencyContact, _ s: PageStrings) -> HTML {
        var rows: [HTML] = []
        if let phone = agency.phone {
            rows.append("<dt>\(s.phone)</dt><dd><a href=\"tel:\(telURI(phone))\">\(phone)</a></dd>")
        }
        if let email = agency.email {
            rows.append("<dt>\(s.email)</dt><dd><a href=\"mailto:\(email)\">\(email)</a></dd>")
        }
        if let address = agency.address { rows.append("<dt>\(s.address)</dt><dd class=\"address\">\(address)</dd>") }
        if let hours = agency.hours { rows.append("<dt>\(s.hours)</dt><dd>\(hours)</dd>") }
        let name: HTML = agency.name.map { name in "<p id=\"agency-name\"><strong>\(name)</strong></p>" } ?? HTML()
        let missing: HTML = agency.hasNoChannel ? "<p>\(s.contactMissing)</p>" : HTML()
        return """
            <section id="contact">
            <h2>\(s.contactHeading)</h2>
            \(name)\(missing)<dl>\(rows)</dl>
            </section>
            """
    }

    /// `tel:` wants the number alone: digits and a leading `+`.
    static func telURI(_ phone: String) -> String {
        var digits = ""
        for character in phone where character.isASCII && (character.isNumber || (character == "+" && digits.isEmpty)) {
            digits.append(character)
        }
        return digits
    }
}
