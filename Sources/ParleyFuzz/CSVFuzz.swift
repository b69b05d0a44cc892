import ParleyCore

/// The placement-file CSV reader under hostile bytes. Properties of every input:
/// - it never crashes and always ends, each record starting on a line no earlier than the last;
/// - every record it reads as fields survives a round trip: written back with RFC 4180 quoting
///   and read again, it gives the same fields.
public struct CSVFuzz: FuzzTarget {
    public init() {}

    public let corpus: [[UInt8]] = [
        "external_ref,name,phone,currency,principal\nA-1,Li Wei,+8613800000000,CNY,120000\nA-2,\"Smith, J\",+12125550100,USD,99\n",
        "\u{FEFF}a,b,c\r\n1,\"two\nlines\",3\r\n\"quoted \"\"quote\"\"\",,\r\n",
        "a,b\n\"unterminated,1\nx,y\n",
        "\n\n,,,\n\"\",\"\"\n",
        "名前,金額\n王芳,100\n",
    ].map { Array($0.utf8) }

    public let mutator = Mutator(interesting: Array("\",\r\n \t;".utf8) + [0x00, 0xEF, 0xBB, 0xBF, 0xC3, 0x80, 0xFF])

    public func check(_ input: [UInt8], random: inout FuzzRandom) throws(FuzzFailure) {
        var reader = CSVReader(input)
        var lastLine = 0
        var records = 0
        while let record = reader.next() {
            records += 1
            guard records <= input.count + 1 else { throw FuzzFailure("more records than bytes: the reader does not advance", input: input) }
            switch record {
            case .malformed(let line, _):
                guard line >= lastLine else { throw FuzzFailure("record lines went backwards", input: input) }
                lastLine = line
            case .fields(let line, let fields):
                guard line >= lastLine else { throw FuzzFailure("record lines went backwards", input: input) }
                lastLine = line
                try roundTrip(fields, input: input)
            }
        }
    }

    private func roundTrip(_ fields: [String], input: [UInt8]) throws(FuzzFailure) {
        // A record of one empty field is a blank line, which the reader skips by design.
        guard fields != [""] else { return }
        let line = fields.map { field -> String in
            "\"" + field.replacingQuotes() + "\""
        }.joined(separator: ",") + "\r\n"
        var reader = CSVReader(Array(line.utf8))
        guard case .fields(_, let again)? = reader.next(), again == fields else {
            throw FuzzFailure("fields \(fields) do not survive being written and read again", input: input)
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
