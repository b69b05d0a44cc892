/// The frame of every debtor page: language, viewport for phones, the inline stylesheet, and a
/// footer of small print.
enum PageLayout {
    static func document(_ strings: PageStrings, title: String, main: HTML, footer: [String] = []) -> HTML {
        let smallPrint = footer.map { line -> HTML in "<p class=\"muted\">\(line)</p>" }
        return """
            <!doctype html>
            <html lang="\(strings.htmlLang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <meta name="robots" content="noindex, nofollow">
            <title>\(title)</title>
            <style>\(HTML(stringLiteral: PageStyle.css))</style>
            </head>
            <body>
            <main>
            \(main)
            <footer>\(smallPrint)</footer>
            </main>
            </body>
            </html>

            """
    }
}
