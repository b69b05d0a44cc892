import CSQLite

/// SQLite's built-in page cache, with one call made cheap: truncation when nothing lies beyond.
///
/// At the end of every write transaction the pager asks its cache to drop the pages past the
/// database's end (`xTruncate`). The built-in cache walks its whole hash table (one bucket per
/// cached page: 8,192 for the writer's 32 MiB) whenever the highest page number it was ever
/// given lies past that end by more than the table's size — and a b-tree rebalance moves a page
/// through a temporary number, that of the page holding the 1 GiB lock byte (which no b-tree
/// uses), far past the end of any smaller database. A group of contacts splits some index page in nearly every commit, so nearly every
/// commit walked the table: a twentieth of the writer's time.
///
/// Each cache here wraps a built-in one and keeps a bound on the page numbers it may hold: the
/// highest it created, and the numbers pages were moved to beyond that. Truncation is passed on
/// only when some page may lie at or past the limit, so the wrapped cache is never asked to walk
/// its table for nothing; what it holds, evicts and returns is unchanged.
enum PageCacheTruncation {
    /// The built-in methods, read once before the library initialises.
    nonisolated(unsafe) private static var builtIn = sqlite3_pcache_methods2()

    /// Replaces the page cache methods with the wrapping ones; `false` if the library refused
    /// (already initialised by someone else in this process: it keeps the built-in cache). Call
    /// once (`Connection`'s library settings do): a second call would take the wrapper for the
    /// built-in cache, and refuses.
    static func install() -> Bool {
        guard builtIn.xCreate == nil, parley_sqlite3_get_page_cache(&builtIn) == SQLITE_OK, builtIn.xCreate != nil
        else { return false }
        var methods = builtIn
        methods.xCreate = { pageSize, extraSize, purgeable in
            guard let inner = PageCacheTruncation.builtIn.xCreate!(pageSize, extraSize, purgeable) else { return nil }
            let cache = UnsafeMutablePointer<TrackedCache>.allocate(capacity: 1)
            cache.initialize(to: TrackedCache(inner: inner, methods: PageCacheTruncation.builtIn))
            return OpaquePointer(cache)
        }
        methods.xCachesize = { cache, size in
            let tracked = TrackedCache.from(cache)
            tracked.pointee.methods.xCachesize!(tracked.pointee.inner, size)
        }
        methods.xPagecount = { cache in
            let tracked = TrackedCache.from(cache)
            return tracked.pointee.methods.xPagecount!(tracked.pointee.inner)
        }
        methods.xFetch = { cache, key, createFlag in
            let tracked = TrackedCache.from(cache)
            let page = tracked.pointee.methods.xFetch!(tracked.pointee.inner, key, createFlag)
            if createFlag != 0, page != nil { tracked.pointee.created(key) }
            return page
        }
        methods.xUnpin = { cache, page, discard in
            let tracked = TrackedCache.from(cache)
            tracked.pointee.methods.xUnpin!(tracked.pointee.inner, page, discard)
        }
        methods.xRekey = { cache, page, oldKey, newKey in
            let tracked = TrackedCache.from(cache)
            tracked.pointee.methods.xRekey!(tracked.pointee.inner, page, oldKey, newKey)
            tracked.pointee.moved(from: oldKey, to: newKey)
        }
        methods.xTruncate = { cache, limit in
            let tracked = TrackedCache.from(cache)
            if tracked.pointee.mayHold(atOrAbove: limit) {
                tracked.pointee.methods.xTruncate!(tracked.pointee.inner, limit)
            }
            tracked.pointee.truncated(below: limit)
        }
        methods.xDestroy = { cache in
            let tracked = TrackedCache.from(cache)
            tracked.pointee.methods.xDestroy!(tracked.pointee.inner)
            tracked.deinitialize(count: 1)
            tracked.deallocate()
        }
        methods.xShrink = { cache in
            let tracked = TrackedCache.from(cache)
            tracked.pointee.methods.xShrink!(tracked.pointee.inner)
        }
        return parley_sqlite3_set_page_cache(&methods) == SQLITE_OK
    }
}

/// One wrapped cache and the bound on its page numbers. Invariant: every page the inner cache
/// holds has a number at most `highestCreated`, or one in `movedBeyond`. Pages enter a cache only
/// through `xFetch` with a create flag or through `xRekey`, so both are seen here; pages the
/// inner cache evicts or discards on its own only make the bound loose, never wrong.
struct TrackedCache {
    let inner: OpaquePointer
    let methods: sqlite3_pcache_methods2
    /// The highest page number created since the last truncation below it; -1: none.
    private var highestCreated: Int64 = -1
    /// Numbers pages were moved to above `highestCreated` (a rebalance's temporary numbers), until
    /// moved away again. A handful at most: entries under the bound are dropped at each truncation.
    private var movedBeyond: [UInt32] = []

    init(inner: OpaquePointer, methods: sqlite3_pcache_methods2) {
        self.inner = inner
        self.methods = methods
    }

    static func from(_ cache: OpaquePointer?) -> UnsafeMutablePointer<TrackedCache> {
        UnsafeMutablePointer(cache!)
    }

    mutating func created(_ key: UInt32) {
        if Int64(key) > highestCreated { highestCreated = Int64(key) }
    }

    mutating func moved(from oldKey: UInt32, to newKey: UInt32) {
        if let index = movedBeyond.firstIndex(of: oldKey) { movedBeyond.remove(at: index) }
        if Int64(newKey) > highestCreated { movedBeyond.append(newKey) }
    }

    func mayHold(atOrAbove limit: UInt32) -> Bool {
        highestCreated >= Int64(limit) || movedBeyond.contains { $0 >= limit }
    }

    /// After a truncation (passed on or found needless), nothing at or above `limit` is held.
    mutating func truncated(below limit: UInt32) {
        highestCreated = min(highestCreated, Int64(limit) - 1)
        let bound = highestCreated
        movedBeyond.removeAll { $0 >= limit || Int64($0) <= bound }
    }
}
