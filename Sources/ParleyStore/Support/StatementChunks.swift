extension Array {
    /// Consecutive slices for multi-row statements: as many of `size` elements as fit, then the
    /// rest in descending powers of two. Each slice length is its own statement text, and a prepared
    /// statement is kept per text; with arbitrary lengths a bulk import prepared (and, after every
    /// `PRAGMA foreign_keys` change, re-prepared) a statement for nearly every length it met.
    func statementChunks(upTo size: Int) -> [ArraySlice<Element>] {
        precondition(size > 0, "a chunk holds at least one element")
        var chunks: [ArraySlice<Element>] = []
        var start = 0
        while count - start >= size {
            chunks.append(self[start..<start + size])
            start += size
        }
        var length = 1
        while length * 2 <= count - start { length *= 2 }
        while start < count {
            if count - start >= length {
                chunks.append(self[start..<start + length])
                start += length
            }
            length /= 2
        }
        return chunks
    }
}
