import Crypto
import ParleyJSON

/// Extends the audit chain entry by entry: each entry's `seq` and hash from the one before, as
/// `AuditEntry.canonical` and `AuditEntry.chainHash` define them, with one buffer for every
/// canonical form (a bulk import links an entry per created debtor and case).
public struct AuditChain: Sendable {
    /// The last entry linked so far (the chain's head before the first `link`).
    public private(set) var seq: Int64
    public private(set) var hash: String
    private var writer = JSONWriter(capacity: 512)
    private var lastAt: (instant: Instant, text: String)?

    public init(afterSeq seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Links the entry that follows the head and returns its hash.
    public mutating func link(at: Instant, actor: String, action: String, entity: String, entityID: String,
                              detailCanonical: String) -> String {
        seq += 1
        writer.removeAll()
        AuditEntry.writeCanonical(into: &writer, seq: seq, at: rfc3339(at), actor: actor, action: action, entity: entity,
                                  entityID: entityID, detailCanonical: detailCanonical)
        var hasher = SHA256()
        var previous = hash
        previous.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        Self.lineFeed.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        writer.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hash = Hashing.hex(hasher.finalize())
        return hash
    }

    private static let lineFeed: [UInt8] = [UInt8(ascii: "\n")]

    /// Entries written together share their instant: format it once.
    private mutating func rfc3339(_ at: Instant) -> String {
        if let lastAt, lastAt.instant == at { return lastAt.text }
        let text = at.rfc3339
        lastAt = (at, text)
        return text
    }
}
