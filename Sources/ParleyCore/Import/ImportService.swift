import Dispatch
import Synchronization

/// Bulk placement import (contract §13): parse, validate every row with its line number, store the
/// valid ones. Invalid rows are reported and nothing of them is stored; a repeated file creates nothing.
///
/// Parsing and validation run on a second thread while the first stores the batches already
/// validated, so the CPU work of checking rows overlaps SQLite's work of writing them.
public struct ImportService: Sendable {
    private let store: any ImportStore
    private let ids: IDGenerator
    private let clock: WallClock
    /// Rows per transaction: large enough to amortise commits, small enough not to hold the writer
    /// long (under half a second) or swell the WAL. 25,000 wrote 30 % fewer bytes over a
    /// 500,000-row import, but held every other write for about a second per transaction and let
    /// the WAL pass its 64 MiB bound (Docs/performance.md).
    public static let batchSize = 10_000
    /// Rows per hand-off from the validating thread: small, so storing starts almost at once.
    static let handoffSize = 500
    /// Validated pieces waiting for the writer, at most.
    static let piecesAhead = 4

    public init(store: any ImportStore, ids: IDGenerator, clock: WallClock) {
        self.store = store
        self.ids = ids
        self.clock = clock
    }

    public func run(csv: [UInt8], dryRun: Bool, by actor: Principal) throws -> ImportResult {
        try actor.require(.writeDebtorsAndCases)
        let now = clock.now()
        var reader = CSVReader(csv)
        let header = try Self.readHeader(&reader)
        var result = ImportResult()
        result.dryRun = dryRun
        result.importID = ids.make("imp")
        let ids = self.ids
        let factory = ImportFactory(
            makeID: { ids.make($0) },
            segment: { row, bankruptcy in
                var inputs = SegmentInputs()
                inputs.bankruptcy = bankruptcy
                inputs.daysPastDue = SegmentRules.daysPastDue(since: row.delinquentSince, now: now)
                return SegmentRules.segment(inputs, now: now)
            },
            debtorCreated: { [importID = result.importID] debtor in
                AuditRecord(action: .debtorCreated, entity: "debtor", entityID: debtor.id, detail: .object([
                    ("external_ref", debtor.externalRef.map(JSONValue.string) ?? .null), ("import_id", .string(importID)),
                ]))
            },
            caseCreated: { [importID = result.importID] debtCase in
                AuditRecord(action: .caseCreated, entity: "case", entityID: debtCase.id, detail: .object([
                    ("debtor_id", .string(debtCase.debtorID.rawValue)), ("creditor", .string(debtCase.creditor)),
                    ("external_ref", .string(debtCase.externalRef)), ("import_id", .string(importID)),
                ]))
            })

        if dryRun {
            var validator = RowValidator(reader: reader, header: header, today: now.utcDate)
            var valid: [PlacementRow] = []
            while let batch = validator.nextBatch(size: Int.max) { valid += batch }
            let counts = try store.dryRun(valid.map { factory.prepare($0, at: now) }, importID: result.importID, actor: actor, at: now, factory: factory)
            return result.with(counts, validator: validator)
        }

        let handoff = Handoff<[PreparedPlacement]>(capacity: Self.piecesAhead)
        let validated = Mutex<RowValidator?>(nil)
        let startedReader = reader
        WorkerThread.start(name: "parley.import.validate") {
            var validator = RowValidator(reader: startedReader, header: header, today: now.utcDate)
            while !handoff.isCancelled, let piece = validator.nextBatch(size: Self.handoffSize) {
                handoff.push(piece.map { factory.prepare($0, at: now) })
            }
            validated.withLock { $0 = validator }
            handoff.finish()
        }
        var counts = ImportCounts()
        var debtors: [String: ImportedDebtor] = [:]
        do {
            var exhausted = false
            while !exhausted {
                let (stored, done) = try store.importBatch(
                    next: { handoff.pop() }, batchSize: Self.batchSize, importID: result.importID, actor: actor, at: now,
                    factory: factory, debtors: &debtors)
                counts.add(stored)
                exhausted = done
            }
        } catch {
            handoff.cancel()
            while handoff.pop() != nil {}  // let the validator finish before returning
            throw error
        }
        // Set before finish(), which pop() waited for.
        guard let validator = validated.withLock({ $0 }) else { throw CorruptDataError("the import validator did not report") }
        return result.with(counts, validator: validator)
    }

    /// Maps the header row to the placement columns; a missing column, or one named twice, is a
    /// 422 naming it (which of two would count is anyone's guess). Other columns are ignored.
    static func readHeader(_ reader: inout CSVReader) throws -> PlacementHeader {
        guard let header = reader.next() else { throw ValidationFailure("body", "the file is empty; it needs a header row") }
        guard case .fields(_, let names) = header else { throw ValidationFailure("header", "the header row is malformed") }
        var columnIndex: [String: Int] = [:]
        var failure = ValidationFailure()
        for (offset, name) in names.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            if columnIndex[key] == nil {
                columnIndex[key] = offset
            } else if PlacementColumns.all.contains(key), !failure.errors.contains(where: { $0.field == "header.\(key)" }) {
                failure.add("header.\(key)", "the column appears more than once")
            }
        }
        for column in PlacementColumns.all where columnIndex[column] == nil { failure.add("header.\(column)", "the column is missing") }
        try failure.throwIfAny()
        return PlacementHeader(positions: PlacementColumns.all.map { columnIndex[$0]! }, width: names.count)  // all present, checked above
    }
}

extension ImportResult {
    fileprivate func with(_ counts: ImportCounts, validator: RowValidator) -> ImportResult {
        var result = self
        result.rows = validator.rows
        result.rejected = validator.rejected
        result.createdDebtors = counts.createdDebtors
        result.createdCases = counts.createdCases
        result.unchanged = counts.unchanged
        return result
    }
}

extension ImportCounts {
    mutating func add(_ other: ImportCounts) {
        createdDebtors += other.createdDebtors
        createdCases += other.createdCases
        unchanged += other.unchanged
    }
}

/// Where each placement column is in the file, and how many fields the header has. A row with more
/// (RFC 4180 §2.4: every record has as many) is refused whole: which of its values belongs to which
/// column is anyone's guess. A row cut short names each missing cell that is required.
struct PlacementHeader: Sendable {
    let positions: [Int]
    let width: Int
}

/// Reads records and sorts them into valid rows and rejected lines.
struct RowValidator: @unchecked Sendable {
    // @unchecked: used by one thread at a time (the validating thread, then the caller after the hand-off).
    var reader: CSVReader
    let header: PlacementHeader
    let today: CalendarDate
    var rows = 0
    var rejected: [RejectedRow] = []
    var zones: [String: Bool] = [:]

    init(reader: CSVReader, header: PlacementHeader, today: CalendarDate) {
        self.reader = reader
        self.header = header
        self.today = today
    }

    /// Up to `size` valid rows; nil when the file is done.
    mutating func nextBatch(size: Int) -> [PlacementRow]? {
        var batch: [PlacementRow] = []
        while batch.count < size, let record = reader.next() {
            rows += 1
            switch record {
            case .malformed(let line, let message):
                rejected.append(RejectedRow(line: line, errors: [FieldError("row", "malformed CSV: \(message)")]))
            case .fields(let line, let fields) where fields.count > header.width:
                rejected.append(RejectedRow(line: line, errors: [FieldError("row", "has \(fields.count) fields; the header has \(header.width)")]))
            case .fields(let line, let fields):
                switch PlacementValidation.validate(fields, positions: header.positions, line: line, today: today, zones: &zones) {
                case .success(let row): batch.append(row)
                case .failure(let failure): rejected.append(RejectedRow(line: line, errors: failure.errors))
                }
            }
        }
        return batch.isEmpty ? nil : batch
    }
}

/// A one-producer, one-consumer queue with end and cancel signals. The producer waits while
/// `capacity` items are queued, so it runs at most that far ahead of the consumer: an import's rows
/// get their ids shortly before they are stored (ids grow with time, and lists page by them), and
/// a large file is never held prepared in memory.
final class Handoff<Item: Sendable>: Sendable {
    private let items = Mutex<(queue: [Item], finished: Bool, cancelled: Bool)>(([], false, false))
    private let available = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore

    init(capacity: Int) { space = DispatchSemaphore(value: capacity) }

    /// Queues `item`, first waiting for room (the consumer pops, cancelled or not).
    func push(_ item: Item) {
        space.wait()
        items.withLock { $0.queue.append(item) }
        available.signal()
    }

    func finish() {
        items.withLock { $0.finished = true }
        available.signal()
    }

    func cancel() { items.withLock { $0.cancelled = true } }

    var isCancelled: Bool { items.withLock { $0.cancelled } }

    /// The next item, waiting for one; nil once the producer finished and the queue is empty.
    func pop() -> Item? {
        while true {
            available.wait()
            let next: (Item?, Bool) = items.withLock { state in
                if !state.queue.isEmpty { return (state.queue.removeFirst(), false) }
                return (nil, state.finished)
            }
            if let item = next.0 {
                space.signal()
                return item
            }
            if next.1 {
                available.signal()  // keep the end visible to any later pop()
                return nil
            }
        }
    }
}
