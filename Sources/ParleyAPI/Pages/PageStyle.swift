import ParleyCore

/// The pages' only stylesheet, inlined in a `<style>` element. The Content-Security-Policy allows
/// exactly this text by its SHA-256 (`style-src 'sha256-…'`), so no other style, injected or not,
/// ever applies. Mobile first: no fixed widths, long words wrap anywhere, so nothing is wider than
/// a 360 px screen.
enum PageStyle {
    static let css: StaticString = """
        *{box-sizing:border-box}\
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
        body{margin:0;background:#f3f4f6;color:#1b1b1b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",\
        "PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;overflow-wrap:anywhere}\
        main{max-width:40rem;margin:0 auto;padding:.75rem}\
        h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 .75rem}\
        h2{font-size:1.1rem;margin:0 0 .5rem}\
        h3{font-size:1rem;margin:1rem 0 .25rem}\
        p{margin:0 0 .6rem}\
        section{background:#fff;border:1px solid #d6d9de;border-radius:.5rem;padding:.75rem;margin:0 0 .75rem}\
        .muted{color:#4d4d4d;font-size:.9rem}\
        table{width:100%;border-collapse:collapse;font-size:.9rem}\
        th,td{text-align:left;vertical-align:top;padding:.35rem .25rem;border-bottom:1px solid #e5e7eb}\
        .num{text-align:right}\
        tr.total th,tr.total td{font-weight:700;font-size:1rem;border-bottom:0}\
        tr.next td{background:#fff8e1}\
        .tag{display:inline-block;padding:0 .35rem;border-radius:.25rem;white-space:nowrap}\
        .paid{background:#e2f3e6;color:#1c6432}\
        .next .tag{background:#ffe8a3;color:#5c4300;font-weight:700}\
        .missed{background:#fbe0df;color:#8a1b1b}\
        .later{background:#eceef1;color:#3d3d3d}\
        ul{margin:0;padding-left:1.2rem}\
        dl{margin:0}\
        dt{font-weight:700}\
        dd{margin:0 0 .5rem}\
        .address{white-space:pre-line}\
        a{color:#174ea6}\
        fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}\
        legend{font-weight:700;padding:0}\
        .choices{display:flex;flex-wrap:wrap;gap:.5rem}\
        .choices label{display:inline-flex;align-items:center;gap:.3rem;padding:.3rem .6rem;border:1px solid #b9bec7;\
        border-radius:.35rem;background:#fff}\
        .field{margin:0 0 1rem}\
        .field>label{display:block;font-weight:700;margin:0 0 .25rem}\
        select,textarea{display:block;width:100%;font:inherit;padding:.4rem;border:1px solid #868e99;border-radius:.35rem;background:#fff}\
        button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border:0;border-radius:.35rem;background:#174ea6;color:#fff}\
        .invalid{border-left:4px solid #b3261e;padding-left:.6rem}\
        .error{color:#b3261e;font-weight:700;margin:.2rem 0 .4rem}\
        .summary{border:2px solid #b3261e;background:#fdecea}\
        footer{padding:0 .25rem}
        """

    /// `'sha256-…'`: the CSP source that allows `css`, and nothing else.
    static let hashSource: String = "'sha256-" + base64(Hashing.sha256(Array(css.description.utf8))) + "'"

    /// Standard base64 with padding, as CSP hash sources are written.
    static func base64(_ bytes: [UInt8]) -> String {
        var text = ""
        for character in Hashing.base64URL(bytes) {
            switch character {
            case "-": text.append("+")
            case "_": text.append("/")
            default: text.append(character)
            }
        }
        while text.utf8.count % 4 != 0 { text.append("=") }
        return text
    }
}
