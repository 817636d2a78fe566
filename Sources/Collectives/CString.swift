/// Turns the fixed-size `char` arrays MPI fills in into Swift strings.
enum CString {
    /// The first `length` bytes of `bytes` (clamped to the array), decoded as UTF-8.
    static func string(from bytes: [CChar], length: Int) -> String {
        let used = bytes.prefix(max(0, min(length, bytes.count))).prefix { $0 != 0 }
        return String(decoding: used.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
