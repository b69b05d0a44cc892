import ParleyCore
import ParleyHTTP

/// Bulk placement import and the case export (contract §13).
struct ImportRoutes {
    let services: APIServices

    func register(in router: Router) {
        router.post("/v1/imports", bodyLimit: services.maxImportBytes, handler: services.idempotentAfterwards(.writeDebtorsAndCases, runImport))
        router.get("/v1/cases/export", handler: services.secured(.exportCases, export))
    }

    func runImport(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        try ContentType.require("text/csv", in: request.headers["content-type"], otherwise: "send the placement file as text/csv")
        var dryRun = false
        if let text = request.queryParameters["dry_run"] {
            guard text == "true" || text == "false" else { throw ValidationFailure("dry_run", "must be true or false") }
            dryRun = text == "true"
        }
        let result = try services.imports.run(csv: request.body, dryRun: dryRun, by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("import_id", result.importID)
            writer.field("dry_run", result.dryRun)
            writer.field("rows", result.rows)
            writer.field("created_debtors", result.createdDebtors)
            writer.field("created_cases", result.createdCases)
            writer.field("unchanged", result.unchanged)
            writer.key("rejected")
            writer.beginArray()
            for row in result.rejected {
                writer.beginObject()
                writer.field("line", row.line)
                writer.key("errors")
                ProblemRenderer.writeFieldErrors(row.errors, to: &writer)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
    }

    /// Streams every matching case as CSV (chunked), never holding the whole file in memory.
    func export(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let filter = try CaseRoutes.filter(request)
        let produce = try services.cases.export(filter, by: actor)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        headers.add("Content-Disposition", "attachment; filename=\"cases.csv\"")
        return HTTPResponse(status: .ok, headers: headers, stream: .stream({ write in
            var line = CSVLine()
            for name in PlacementColumns.all + PlacementColumns.exportExtra { line.append(name) }
            try write(line.finish())
            try produce { row in
                var line = CSVLine()
                let c = row.debtCase
                line.append(c.creditor)
                line.append(c.externalRef)
                line.append(row.debtorExternalRef ?? "")
                line.append(row.debtorName)
                line.append(row.phone ?? "")
                line.append(row.email ?? "")
                line.append(row.timezone)
                line.append(c.jurisdiction)
                line.append(c.currency)
                line.append(String(c.balance.principalMinor))
                line.append(String(c.balance.interestMinor))
                line.append(String(c.balance.feesMinor))
                line.append(c.delinquentSince.description)
                line.append(c.status.rawValue)
                line.append(String(c.balance.balanceMinor))
                line.append(c.effectiveSegment.rawValue)
                try write(line.finish())
            }
        }))
    }
}

/// One RFC 4180 record: fields quoted when they hold a comma, quote or line break; CRLF-terminated.
struct CSVLine {
    private var bytes: [UInt8] = []

    mutating func append(_ field: String) {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            bytes.append(contentsOf: field.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func finish() -> ArraySlice<UInt8> {
        bytes.append(contentsOf: [0x0D, 0x0A])
        return bytes[...]
    }
}
