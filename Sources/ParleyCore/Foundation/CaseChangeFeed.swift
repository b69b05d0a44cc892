import Synchronization

/// Tells whoever listens that something about a case changed (a payment, a promise, a contact, a
/// dispute, a complaint, a restriction), after the change committed. Derived state such as the
/// segment is recomputed from it; a listener's failure never undoes the change.
public final class CaseChangeFeed: Sendable {
    /// What changed: one case, or a debtor (and with it every case of the debtor).
    public enum Subject: Sendable, Equatable {
        case debtCase(CaseID)
        case debtor(DebtorID)
    }

    private let listeners = Mutex<[@Sendable (Subject) -> Void]>([])

    public init() {}

    /// A feed nobody listens to (one-shot commands, unit tests).
    public static var silent: CaseChangeFeed { CaseChangeFeed() }

    public func listen(_ listener: @escaping @Sendable (Subject) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    public func changed(_ caseID: CaseID) { publish(.debtCase(caseID)) }

    public func debtorChanged(_ debtorID: DebtorID) { publish(.debtor(debtorID)) }

    private func publish(_ subject: Subject) {
        for listener in listeners.withLock({ $0 }) { listener(subject) }
    }
}
