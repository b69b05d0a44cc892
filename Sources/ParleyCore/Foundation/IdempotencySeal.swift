import Crypto

/// How a recorded answer is kept: filed under a digest of its scope and key, and sealed (AES-GCM)
/// with a key derived from them. The `Idempotency-Key` itself is never stored, so the table alone
/// names no caller or path and reads as no answer: answers carry personal data, and some a
/// credential (a statement link's token) that is otherwise kept only as a hash. The protection is
/// as strong as the keys clients choose (random ones, as UUIDs are, are the norm).
public enum IdempotencySeal {
    /// The record's identity: hex SHA-256 over a label, the scope and the key.
    public static func recordID(_ key: IdempotencyKey) -> String {
        Hashing.sha256Hex(concatenating: "parley idempotency record\n", key.scope, "\n", key.key)
    }

    public static func seal(_ answer: [UInt8], for key: IdempotencyKey) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(answer, using: sealingKey(key)).combined else {
            throw SealError()
        }
        return Array(combined)
    }

    /// The answer, or nil when `sealed` was not sealed for `key` (or was altered).
    public static func open(_ sealed: [UInt8], for key: IdempotencyKey) -> [UInt8]? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let answer = try? AES.GCM.open(box, using: sealingKey(key)) else { return nil }
        return Array(answer)
    }

    private static func sealingKey(_ key: IdempotencyKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Array((key.scope + "\n" + key.key).utf8)),
                               info: Array("parley idempotency seal".utf8), outputByteCount: 32)
    }

    /// AES-GCM with its standard 12-byte nonce always has a combined form; this is never thrown.
    struct SealError: Error {}
}
