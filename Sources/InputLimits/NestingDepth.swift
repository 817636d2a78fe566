import Foundation

/// The nesting depth of a YAML or JSON document, measured on its bytes in one pass without
/// recursion: flow levels (`[`, `{` outside quotes and comments) plus block levels (the stack of
/// indentation columns of the lines outside flow context, a `- ` list marker opening one more).
/// JSON is YAML's flow style, so one scanner serves both. It over-counts rather than under-counts
/// (a bracket in a block scalar's text counts), which only matters for documents near the limit.
enum NestingDepth {
    /// The deepest level reached, or a value above `stopAbove` as soon as one is reached.
    static func measure(_ data: Data, stopAbove limit: Int) -> Int {
        data.withUnsafeBytes { raw in
            measure(raw.bindMemory(to: UInt8.self), stopAbove: limit)
        }
    }

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    private static let dash = UInt8(ascii: "-"), hash = UInt8(ascii: "#")
    private static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
    private static let openers: Set<UInt8> = [UInt8(ascii: "["), UInt8(ascii: "{")]
    private static let closers: Set<UInt8> = [UInt8(ascii: "]"), UInt8(ascii: "}")]
    private static let comma = UInt8(ascii: ","), question = UInt8(ascii: "?"), colon = UInt8(ascii: ":")
    private static let blockScalarIndicators: Set<UInt8> = [UInt8(ascii: "|"), UInt8(ascii: ">")]

    private static func measure(_ bytes: UnsafeBufferPointer<UInt8>, stopAbove limit: Int) -> Int {
        var deepest = 0
        var flow = 0
        var blocks: [Int] = []
        var quote: UInt8? = nil
        /// Lines indented deeper than this are the text of a block scalar (`key: |`).
        var scalarIndent: Int? = nil
        var index = 0
        let count = bytes.count
        while index < count {
            // At the start of a line.
            var column = 0
            while index < count, bytes[index] == space || bytes[index] == tab {
                column += 1
                index += 1
            }
            if index >= count { break }
            if bytes[index] == newline { index += 1; continue }
            if let indent = scalarIndent {
                if column > indent { skipLine(bytes, &index); continue }
                scalarIndent = nil
            }
            if flow == 0 && quote == nil {
                if bytes[index] == hash { skipLine(bytes, &index); continue }
                // The line's own level, then one per leading `- ` list marker.
                var levels = [column]
                while index < count, bytes[index] == dash,
                      index + 1 >= count || bytes[index + 1] == space || bytes[index + 1] == newline {
                    index += 1
                    column += 1
                    while index < count, bytes[index] == space { index += 1; column += 1 }
                    if index < count, bytes[index] != newline { levels.append(column) }
                }
                // A line whose node starts with `[` or `{` opens a flow collection, counted below,
                // not a block one.
                let flowNode = index < count && openers.contains(bytes[index])
                for (position, level) in levels.enumerated() {
                    while let top = blocks.last, top >= level { blocks.removeLast() }
                    if !(flowNode && position == levels.count - 1) { blocks.append(level) }
                }
            }
            // The rest of the line. A quote opens a quoted scalar only where a scalar starts (line
            // start, after `[`, `{`, `,`, `? ` or a `:` key indicator), as in YAML; JSON strings
            // always start there.
            var atScalarStart = true
            var last: UInt8 = space
            var beforeLast: UInt8 = space
            var previous: UInt8 = space
            while index < count, bytes[index] != newline {
                let byte = bytes[index]
                if let open = quote {
                    if open == doubleQuote, byte == backslash { index += 2; previous = byte; continue }
                    if open == singleQuote, byte == singleQuote, index + 1 < count, bytes[index + 1] == singleQuote {
                        index += 2
                        continue
                    }
                    if byte == open { quote = nil; atScalarStart = false }
                } else if byte == space || byte == tab {
                    // Whitespace keeps the state.
                } else if (byte == doubleQuote || byte == singleQuote) && atScalarStart {
                    quote = byte
                } else if byte == hash, previous == space || previous == tab {
                    skipLine(bytes, &index)
                    break
                } else if openers.contains(byte) {
                    flow += 1
                    deepest = max(deepest, flow + blocks.count)
                    if deepest > limit { return deepest }
                    atScalarStart = true
                } else if closers.contains(byte) {
                    flow = max(0, flow - 1)
                    atScalarStart = false
                } else if byte == comma || byte == question {
                    atScalarStart = true
                } else if byte == colon {
                    let next = index + 1 < count ? bytes[index + 1] : newline
                    atScalarStart = next == space || next == tab || next == newline || flow > 0
                } else {
                    atScalarStart = false
                }
                if byte != space && byte != tab && quote == nil {
                    beforeLast = last
                    last = byte
                }
                previous = byte
                index += 1
            }
            deepest = max(deepest, flow + blocks.count)
            if deepest > limit { return deepest }
            if flow == 0, quote == nil, isBlockScalarHeader(last: last, beforeLast: beforeLast) {
                scalarIndent = blocks.last ?? 0
            }
            index += 1
        }
        return deepest
    }

    /// A line ending in `|` or `>` (or `|-`, `>+`, `|2`: a chomping or indentation indicator after
    /// it) opens a block scalar, whose more-indented lines that follow are text.
    private static func isBlockScalarHeader(last: UInt8, beforeLast: UInt8) -> Bool {
        if blockScalarIndicators.contains(last) { return true }
        let modifier = last == dash || last == UInt8(ascii: "+") || (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(last)
        return modifier && blockScalarIndicators.contains(beforeLast)
    }

    private static func skipLine(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) {
        while index < bytes.count, bytes[index] != newline { index += 1 }
    }
}
