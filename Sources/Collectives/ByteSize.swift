import Foundation

/// A message size in bytes, as written on the command line: `4`, `1K`, `16M`, `256M`, `1G`.
///
/// Suffixes are powers of 1024, as in nccl-tests' `-b`/`-e` and OSU's `-m`; `KB`, `KiB` and
/// lower case are accepted too. Parsing never traps: overflow and junk are errors.
public struct ByteSize: Equatable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// Parses `text`; nil when it is not a whole number of bytes with an optional K, M or G suffix
    /// or when the value does not fit in an `Int`.
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var suffix = ""
        while let last = digits.last, !last.isASCII || !last.isNumber {
            suffix = String(last) + suffix
            digits = digits.dropLast()
        }
        let multipliers: [String: Int] = ["": 1, "b": 1,
                                          "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
                                          "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
                                          "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(digits), let multiplier = multipliers[suffix.lowercased()] else { return nil }
        let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.bytes = value
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    /// The shortest exact spelling: `256M` for 268435456, `1536` for 1536.
    public var description: String {
        for (suffix, shift) in [("G", 30), ("M", 20), ("K", 10)] where bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return "\(bytes)"
    }
}
