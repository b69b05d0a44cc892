/// Letters of other scripts that look like Latin ones, and signs written for letters, read as the
/// Latin letter they imitate (lower case: the text is lowered first).
enum LookAlikes {
    static func latin(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "@": "a"
        case "$": "s"
        case "\u{0430}", "\u{03B1}", "\u{0251}": "a"
        case "\u{0441}", "\u{03F2}": "c"
        case "\u{0501}": "d"
        case "\u{0435}", "\u{03B5}": "e"
        case "\u{04BB}": "h"
        case "\u{0456}", "\u{03B9}": "i"
        case "\u{0458}": "j"
        case "\u{03BA}": "k"
        case "\u{04CF}": "l"
        case "\u{043E}", "\u{03BF}": "o"
        case "\u{0440}", "\u{03C1}": "p"
        case "\u{0455}": "s"
        case "\u{03C4}": "t"
        case "\u{03C5}": "u"
        case "\u{03BD}": "v"
        case "\u{0445}", "\u{03C7}": "x"
        case "\u{0443}": "y"
        default: scalar
        }
    }
}
