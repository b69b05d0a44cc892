import ParleyCore

/// A short page that explains why the asked-for page is not shown (unknown or withdrawn link, used
/// survey, bad request, too many requests), with the agency's contact details.
enum NoticePage {
    static func render(_ s: PageStrings, title: String, text: String, agency: AgencyContact) -> HTML {
        PageLayout.document(s, title: title, main: """
            <h1>\(title)</h1>
            <section id="notice"><p>\(text)</p></section>
            \(AgencySection.render(agency, s))
            """)
    }
}
