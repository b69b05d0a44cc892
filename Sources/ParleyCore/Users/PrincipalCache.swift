import Synchronization

/// Principals of recently used API keys, by key hash, so that a request does not read the
/// database to authenticate. A change to a user or a key through this process empties it at once;
/// entries also expire after `lifetime`, which bounds how long a change made by another process
/// (the `parley` command on the same database) takes to reach this one. Unknown keys are never
/// cached: they are read every time.
final class PrincipalCache: Sendable {
    private struct Entry {
        let principal: Principal
        let expires: Instant
    }

    private struct State {
        var entries: [[UInt8]: Entry] = [:]
        /// Bumped by every invalidation: a lookup that began before one must not store what it read.
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let lifetime: Int64
    private let capacity: Int

    init(lifetimeSeconds: Int64 = 10, capacity: Int = 10_000) {
        self.lifetime = lifetimeSeconds
        self.capacity = capacity
    }

    /// The cached principal for `hash`, or the one `load` reads (cached when it exists).
    func principal(for hash: [UInt8], now: Instant, load: () throws -> Principal?) rethrows -> Principal? {
        let (cached, generation) = state.withLock { state in
            (state.entries[hash].flatMap { $0.expires > now ? $0.principal : nil }, state.generation)
        }
        if let cached { return cached }
        guard let loaded = try load() else { return nil }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = Entry(principal: loaded, expires: now.adding(seconds: lifetime))
        }
        return loaded
    }

    /// Forgets every entry; called after a user or key change has committed.
    func invalidate() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
