/// Keyset pagination: items after an id, in id order. Ids grow with creation time, so a walk
/// sees every item exactly once even while new ones are inserted (they land after the end).
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public let limit: Int
    /// The last id of the previous page, nil for the first page.
    public let after: String?

    public init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }
}

public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// The id to continue after, nil at the end.
    public let nextAfter: String?

    /// Builds a page from up to `limit + 1` fetched rows: the extra row only says there is more.
    public init(fetched: [Item], limit: Int, id: (Item) -> String) {
        if fetched.count > limit {
            items = Array(fetched.prefix(limit))
            nextAfter = items.last.map(id)
        } else {
            items = fetched
            nextAfter = nil
        }
    }
}

extension Page {
    /// A page of a short list already in memory, in id order (a case's plans, payments, promises).
    public static func of(_ items: [Item], _ request: PageRequest, id: (Item) -> String) -> Page<Item> {
        let after = request.after ?? ""
        return Page(fetched: Array(items.filter { id($0) > after }.prefix(request.limit + 1)), limit: request.limit, id: id)
    }
}

extension Page {
    /// Items keyed by a typed id: its text is the cursor.
    public init<Entity>(fetched: [Item], limit: Int, id: (Item) -> Identifier<Entity>) {
        self.init(fetched: fetched, limit: limit) { id($0).rawValue }
    }

    public static func of<Entity>(_ items: [Item], _ request: PageRequest, id: (Item) -> Identifier<Entity>) -> Page<Item> {
        of(items, request) { id($0).rawValue }
    }
}
