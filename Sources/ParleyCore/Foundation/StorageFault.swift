/// An error from the storage underneath a service. When `isStorageUnavailable` (the disk is full,
/// the database is read-only or cannot be written or read), the request cannot be served now but
/// nothing already stored is lost: the API answers 503 and clients retry later.
public protocol StorageFault: Error {
    var isStorageUnavailable: Bool { get }
}
