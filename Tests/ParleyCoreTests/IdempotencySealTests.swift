import ParleyCore
import Testing

@Suite struct IdempotencySealTests {
    let key = IdempotencyKey(scope: "usr_1 POST /v1/cases/case_1/portal-links", key: "3f2c9a7e-link")

    @Test func anAnswerOpensOnlyForTheKeyItWasSealedFor() throws {
        let answer = Array("201\n\n{\"url\":\"/p/s/secret-token\"}".utf8)
        let sealed = try IdempotencySeal.seal(answer, for: key)
        #expect(IdempotencySeal.open(sealed, for: key) == answer)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("secret-token"))
        #expect(IdempotencySeal.open(sealed, for: IdempotencyKey(scope: key.scope, key: "another")) == nil)
        #expect(IdempotencySeal.open(sealed, for: IdempotencyKey(scope: "usr_2 POST /v1/cases/case_1/portal-links", key: key.key)) == nil)
        var altered = sealed
        altered[altered.count / 2] ^= 1
        #expect(IdempotencySeal.open(altered, for: key) == nil)
        #expect(IdempotencySeal.open([1, 2, 3], for: key) == nil)
    }

    @Test func theRecordIDNamesNeitherScopeNorKeyAndTellsKeysApart() {
        let id = IdempotencySeal.recordID(key)
        #expect(id.count == 64 && !id.contains("usr_1") && !id.contains("link"))
        #expect(id == IdempotencySeal.recordID(IdempotencyKey(scope: key.scope, key: key.key)))
        #expect(id != IdempotencySeal.recordID(IdempotencyKey(scope: key.scope, key: key.key + "x")))
        // Scope and key are separated: moving a character across the boundary is another record.
        #expect(IdempotencySeal.recordID(IdempotencyKey(scope: "ab", key: "c")) != IdempotencySeal.recordID(IdempotencyKey(scope: "a", key: "bc")))
    }
}
