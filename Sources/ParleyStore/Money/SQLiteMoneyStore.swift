import ParleyCore
import ParleySQLite

/// Plans, payments, promises and adjustments. Invariant: a money change (the case ledger and
/// status, the records and their audit entries and timeline events) commits whole or not at all;
/// the case row's CHECK keeps paid + waived within what was placed.
public struct SQLiteMoneyStore: MoneyStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func apply(_ change: MoneyChange, actor: Principal, at: Instant) throws {
        do {
            try database.write { db in
                if let c = change.debtCase { try Self.saveCase(c, expectedVersion: change.expectedVersion, db) }
                for plan in change.plans { try Self.upsert(plan, db) }
                if let payment = change.payment { try Self.upsert(payment, db) }
                for promise in change.promises { try Self.upsert(promise, db) }
                for adjustment in change.adjustments { try Self.upsert(adjustment, db) }
                try AuditLog.append(change.audit, actor: actor, at: at, in: db)
                if let caseID = change.debtCase?.id ?? change.plans.first?.caseID ?? change.payment?.caseID
                    ?? change.promises.first?.caseID ?? change.adjustments.first?.caseID {
                    for event in change.events { try CaseRows.appendEvent(event, caseID: caseID, db) }
                }
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("the case already has a live plan")
        }
    }

    static func saveCase(_ c: DebtCase, expectedVersion: Int64, _ db: Connection) throws {
        let l = c.balance.ledger
        let changed = try db.run("""
            UPDATE debt_case SET paid_fees_minor = ?, paid_interest_minor = ?, paid_principal_minor = ?, waived_fees_minor = ?,
                waived_interest_minor = ?, waived_principal_minor = ?, status = ?, status_before = ?, close_reason = ?,
                version = ?, updated_at = ?
            WHERE id = ? AND version = ?
            """, [l.paidFees, l.paidInterest, l.paidPrincipal, l.waivedFees, l.waivedInterest, l.waivedPrincipal, c.status.rawValue,
                  c.statusBefore?.rawValue, c.closeReason?.rawValue, c.version, c.updatedAt.millisecondsSinceEpoch, c.id, expectedVersion])
        guard changed == 1 else { throw DomainError.preconditionFailed("case \(c.id) was changed meanwhile; try again") }
    }

    static func upsert(_ p: CasePlan, _ db: Connection) throws {
        try db.run(MoneyStatements.upsertPlan, [p.plan.id, p.caseID, p.plan.status.rawValue, p.plan.totalMinor, p.plan.frequency.rawValue,
                  p.plan.balanceAtProposalMinor, MoneyJSON.encode(p.plan.installments),
                  p.plan.settlementWaiver.map { MoneyJSON.encode($0).compact }, p.createdBy, p.createdAt.millisecondsSinceEpoch,
                  p.updatedAt.millisecondsSinceEpoch, p.decidedBy])
    }

    static func upsert(_ p: Payment, _ db: Connection) throws {
        try db.run(MoneyStatements.upsertPayment, [p.id, p.caseID, p.amountMinor, p.currency, p.paidAt.millisecondsSinceEpoch, p.method, p.reference, p.status.rawValue,
                  MoneyJSON.encode(p.allocation), p.createdBy, p.createdAt.millisecondsSinceEpoch,
                  p.reversedAt?.millisecondsSinceEpoch, p.reversedBy, p.reversalReason])
    }

    static func upsert(_ p: CasePromise, _ db: Connection) throws {
        try db.run(MoneyStatements.upsertPromise, [p.promise.id, p.caseID, p.promise.amountMinor, p.promise.dueDate.description, p.promise.status.rawValue, p.createdBy,
                  p.promise.createdAt.millisecondsSinceEpoch, p.resolvedAt?.millisecondsSinceEpoch])
    }

    static func upsert(_ a: Adjustment, _ db: Connection) throws {
        try db.run(MoneyStatements.upsertAdjustment, [a.id, a.caseID, a.kind.rawValue, a.amountMinor, a.reason, a.status.rawValue, a.waiver.map { MoneyJSON.encode($0).compact },
                  a.requestedBy, a.createdAt.millisecondsSinceEpoch, a.decidedBy, a.decidedAt?.millisecondsSinceEpoch])
    }

    public func plans(caseID: CaseID) throws -> [CasePlan] {
        try database.read { db in
            try db.query(MoneyStatements.plansOfCase, [caseID], MoneyRows.plan)
        }
    }

    public func plan(id: PlanID) throws -> CasePlan? {
        try database.read { db in try db.queryFirst(MoneyStatements.planByID, [id], MoneyRows.plan) }
    }

    public func activePlans() throws -> [CasePlan] {
        try database.read { db in
            try db.query(MoneyStatements.activePlans,
                         [], MoneyRows.plan)
        }
    }

    public func payments(caseID: CaseID) throws -> [Payment] {
        try database.read { db in
            try db.query(MoneyStatements.paymentsOfCase, [caseID], MoneyRows.payment)
        }
    }

    public func payment(id: PaymentID) throws -> Payment? {
        try database.read { db in try db.queryFirst(MoneyStatements.paymentByID, [id], MoneyRows.payment) }
    }

    public func promises(caseID: CaseID) throws -> [CasePromise] {
        try database.read { db in
            try db.query(MoneyStatements.promisesOfCase, [caseID], MoneyRows.promise)
        }
    }

    public func pendingPromises() throws -> [CasePromise] {
        try database.read { db in
            try db.query(MoneyStatements.pendingPromises,
                         [], MoneyRows.promise)
        }
    }

    public func adjustments(caseID: CaseID) throws -> [Adjustment] {
        try database.read { db in
            try db.query(MoneyStatements.adjustmentsOfCase, [caseID], MoneyRows.adjustment)
        }
    }

    public func adjustment(id: AdjustmentID) throws -> Adjustment? {
        try database.read { db in
            try db.queryFirst(MoneyStatements.adjustmentByID, [id], MoneyRows.adjustment)
        }
    }
}
