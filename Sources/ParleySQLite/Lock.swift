import Glibc

/// A plain mutex for guarding a non-Sendable resource (a connection) whose users return
/// arbitrary values; `Synchronization.Mutex`'s `sending` rules do not fit that shape.
final class Lock: @unchecked Sendable {
    // @unchecked: the pthread mutex is the synchronisation; it is heap-allocated so it never moves.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
