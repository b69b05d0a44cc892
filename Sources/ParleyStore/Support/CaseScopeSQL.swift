import ParleyCore
import ParleySQLite

extension CaseScope {
    /// Narrows a query over a table with a `case_id` column to the cases an agent may see
    /// (assigned to them or their team); other roles see every case.
    func restrict(_ sql: inout SQL, _ arguments: inout [any SQLBindable]) {
        guard case .own(let userID, let team) = self else { return }
        sql = sql + "AND case_id IN (SELECT id FROM debt_case WHERE assigned_to = ? OR team = ?)"
        arguments += [userID, team]
    }
}
