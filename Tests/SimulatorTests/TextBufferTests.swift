@testable import Simulator
import Testing

/// The fast number writer behind the trace and the chart.
@Suite struct TextBufferTests {
    static func text(_ body: (inout TextBuffer) -> Void) -> String {
        var buffer = TextBuffer(capacity: 16)
        body(&buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test func integers() {
        #expect(Self.text { $0.append(0) } == "0")
        #expect(Self.text { $0.append(1234567) } == "1234567")
        #expect(Self.text { $0.append(-42) } == "-42")
        #expect(Self.text { $0.append(Int.min) } == String(Int.min))
        #expect(Self.text { $0.append(Int.max) } == String(Int.max))
    }

    @Test func fixedPoint() {
        #expect(Self.text { $0.append(1.5, decimals: 3) } == "1.500")
        #expect(Self.text { $0.append(0.0004, decimals: 3) } == "0.000")
        #expect(Self.text { $0.append(0.0005, decimals: 3) } == "0.001")
        #expect(Self.text { $0.append(-2.25, decimals: 1) } == "-2.3" || Self.text { $0.append(-2.25, decimals: 1) } == "-2.2")
        #expect(Self.text { $0.append(123456789.0123, decimals: 2) } == "123456789.01")
        #expect(Self.text { $0.append(7, decimals: 0) } == "7")
        #expect(Self.text { $0.append(Double.nan, decimals: 2) } == "0")
        #expect(Self.text { $0.append(Double.infinity, decimals: 2) } == "0")
        #expect(Self.text { $0.append(1e300, decimals: 2) } == "1e+300")
    }
}
