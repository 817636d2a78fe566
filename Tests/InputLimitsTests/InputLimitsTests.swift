import Foundation
import InputLimits
import Testing
import Yams

/// The limits every reader applies before parsing: each expected depth is counted by hand from
/// the document written in the test.
@Suite struct InputLimitsTests {
    static func passes(_ text: String) -> Bool {
        (try? InputLimits.check(text, file: "t")) != nil
    }

    @Test(arguments: [
        // (document, whether it passes); each is at most 5 levels deep, counted in the comment.
        ("a: 1\nb: 2\n", true),                                  // one mapping
        ("a:\n  b:\n    c: [1, {d: 2}]\n", true),                // 3 block levels + 2 flow levels = 5
        ("{\"a\": [[[1]]], \"b\": \"[[[[[[\"}", true),            // brackets inside a JSON string do not count
        ("a: 'it''s [ok'\nb: [1]\n", true),                       // '' is a quote inside a single-quoted scalar
        ("text: |\n  [[[[[[[[\n  {{{{{{{{\nnext: 1\n", true),   // a block scalar's text is text
        ("a: don't [1]\n", true),                                // an apostrophe inside a plain scalar opens nothing
    ])
    func realisticDocumentsPass(text: String, passes: Bool) {
        #expect(Self.passes(text) == passes)
    }

    @Test func depthJustAtAndAboveTheLimit() throws {
        let limit = InputLimits.maxDepth
        // `limit` flow levels: exactly the limit, accepted.
        try InputLimits.check(String(repeating: "[", count: limit) + String(repeating: "]", count: limit), file: "t")
        // One more: refused, with the file and the limit named in one line.
        let deeper = String(repeating: "[", count: limit + 1)
        let error = #expect(throws: InputLimitError.self) { try InputLimits.check(deeper, file: "d.yaml") }
        #expect(error?.description == "d.yaml: nested more than \(limit) levels deep (mappings and lists), the limit for an input file")
    }

    @Test func fiveThousandBracketsAreRefusedQuickly() {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(throws: InputLimitError.self) {
                try InputLimits.check(String(repeating: "[", count: 5000) + "\n", file: "d.yaml")
            }
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func nestedBlockMappingsCountByIndentation() {
        // k0:\n k1:\n  k2: ... one level per line: 2,000 lines are 2,000 levels.
        let text = (0..<2000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(throws: InputLimitError.self) { try InputLimits.check(text, file: "m.yaml") }
        // The same with 10 lines (10 levels) passes.
        let shallow = (0..<10).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(throws: Never.self) { try InputLimits.check(shallow, file: "m.yaml") }
    }

    @Test func nestedListMarkersEachOpenALevel() {
        // "- - - ... x": one sequence per marker.
        let limit = InputLimits.maxDepth
        let over = String(repeating: "- ", count: limit + 1) + "x\n"
        #expect(throws: InputLimitError.self) { try InputLimits.check(over, file: "l.yaml") }
        let under = String(repeating: "- ", count: limit - 1) + "x\n"
        #expect(throws: Never.self) { try InputLimits.check(under, file: "l.yaml") }
    }

    @Test func sizeAboveTheLimitIsRefusedBeforeParsing() {
        let big = Data(repeating: UInt8(ascii: " "), count: InputLimits.maxFileBytes + 1)
        let error = #expect(throws: InputLimitError.self) { try InputLimits.check(big, file: "big.json") }
        #expect(error?.description == "big.json: is 4194305 bytes, more than the limit of 4194304 bytes (4 MiB) for an input file")
    }

    @Test func readFileRefusesALargeFileWithoutReadingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loom-limits-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A sparse 50 MB file: the size comes from its attributes.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 50_000_000)
        try handle.close()
        let error = #expect(throws: InputLimitError.self) { _ = try InputLimits.readFile(path) }
        #expect(error?.description == "\(path): is 50000000 bytes, more than the limit of 4194304 bytes (4 MiB) for an input file")
    }

    @Test func aliasBombIsRefusedAndSmallAliasesPass() throws {
        // Level 0 holds 9 scalars; each of 8 further levels holds 9 aliases of the one below:
        // the last stands for 9^9 = 387,420,489 scalars.
        var lines = ["a0: &a0 [" + Array(repeating: "x", count: 9).joined(separator: ", ") + "]"]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let bomb = lines.joined(separator: "\n") + "\n"
        try InputLimits.check(bomb, file: "bomb.yaml")  // shallow and small: the text checks pass
        let root = try #require(try Yams.compose(yaml: bomb))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(throws: InputLimitError.self) { try InputLimits.checkExpandedSize(root, file: "bomb.yaml") }
        }
        #expect(elapsed < .seconds(1))
        // Two aliases of a 3-element list: 1 + 2 keys + 2 x (1 list + 3) + 1 anchor key + 4 = well under.
        let small = try #require(try Yams.compose(yaml: "base: &b [1, 2, 3]\nx: *b\ny: *b\n"))
        try InputLimits.checkExpandedSize(small, file: "small.yaml")
    }
}
