import ParleySQLite

/// The money store's statements, composed from the column lists once rather than on every call
/// (a payment runs several of them).
enum MoneyStatements {
    static let upsertPlan: SQL = "INSERT INTO payment_plan (" + MoneyRows.planColumns + """
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, installments = excluded.installments,
            settlement_waiver = excluded.settlement_waiver, updated_at = excluded.updated_at, decided_by = excluded.decided_by
        """
    static let upsertPayment: SQL = "INSERT INTO payment (" + MoneyRows.paymentColumns + """
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, reversed_at = excluded.reversed_at,
            reversed_by = excluded.reversed_by, reversal_reason = excluded.reversal_reason
        """
    static let upsertPromise: SQL = "INSERT INTO promise (" + MoneyRows.promiseColumns + """
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, resolved_at = excluded.resolved_at
        """
    static let upsertAdjustment: SQL = "INSERT INTO adjustment (" + MoneyRows.adjustmentColumns + """
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, waiver = excluded.waiver, decided_by = excluded.decided_by,
            decided_at = excluded.decided_at
        """
    static let plansOfCase: SQL = "SELECT" + MoneyRows.planColumns + "FROM payment_plan WHERE case_id = ? ORDER BY id"
    static let planByID: SQL = "SELECT" + MoneyRows.planColumns + "FROM payment_plan WHERE id = ?"
    static let activePlans: SQL = "SELECT" + MoneyRows.planColumns
        + "FROM payment_plan INDEXED BY payment_plan_active WHERE status = 'active' ORDER BY id"
    static let paymentsOfCase: SQL = "SELECT" + MoneyRows.paymentColumns + "FROM payment WHERE case_id = ? ORDER BY id"
    static let paymentByID: SQL = "SELECT" + MoneyRows.paymentColumns + "FROM payment WHERE id = ?"
    static let promisesOfCase: SQL = "SELECT" + MoneyRows.promiseColumns + "FROM promise WHERE case_id = ? ORDER BY id"
    static let pendingPromises: SQL = "SELECT" + MoneyRows.promiseColumns
        + "FROM promise INDEXED BY promise_pending WHERE status = 'pending' ORDER BY id"
    static let adjustmentsOfCase: SQL = "SELECT" + MoneyRows.adjustmentColumns + "FROM adjustment WHERE case_id = ? ORDER BY id"
    static let adjustmentByID: SQL = "SELECT" + MoneyRows.adjustmentColumns + "FROM adjustment WHERE id = ?"
}
