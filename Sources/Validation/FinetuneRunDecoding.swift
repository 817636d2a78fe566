import Foundation

/// Fine-tuning cases keep each source's own words, so their values come in the shapes sources
/// print them: a parameter count as `8e9` or `"8B"`, a flag as `true` or `"yes (U)"`, target
/// modules as a list or one comma-separated string, a memory cell as a number, `"OOM (>80)"` or
/// `"12.3 GB"`. These decoders read every such shape and leave a value they cannot read unset
/// (as the file's `null`: not stated), so one case's wording never rejects the file; only the
/// case's `id`, its `model.hf` and its `gpu` are required.
extension KeyedDecodingContainer {
    /// A number, an integer, or a string holding one with an optional K/M/B/T multiplier
    /// ("8B", "560M", "1.5e9", "12,000", "~7"); nil when absent, null or unreadable.
    func looseDouble(_ key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value.isFinite ? value : nil }
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        return LooseNumber.parse(text)
    }

    /// A whole number, as an integer, a number with no fraction, or a string holding one.
    func looseInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        guard let value = looseDouble(key), value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// `true`/`false`, 0/1, or a string beginning with a yes/no word ("true", "yes", "on",
    /// "enabled" / "false", "no", "off", "disabled", "none").
    func looseBool(_ key: Key) -> Bool? {
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value == 0 ? false : value == 1 ? true : nil }
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        let word = text.lowercased().trimmingCharacters(in: .whitespaces).prefix { $0.isLetter }
        if ["true", "yes", "on", "enabled", "enable"].contains(word) { return true }
        if ["false", "no", "off", "disabled", "disable", "none"].contains(word) { return false }
        return nil
    }

    /// A string, or a number written as one; nil otherwise.
    func looseString(_ key: Key) -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
        return nil
    }

    /// A list of strings, or one string of comma-separated items.
    func looseStrings(_ key: Key) -> [String]? {
        if let list = try? decodeIfPresent([String].self, forKey: key) { return list }
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Numbers in the words sources print them.
enum LooseNumber {
    /// "8B" -> 8e9, "560M" -> 5.6e8, "1.5e9", "12,000", "~7", "12.3 GB" -> 12.3; nil when no
    /// number leads the text.
    static func parse(_ text: String) -> Double? {
        var body = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        while let first = body.first, "~<>≈".contains(first) { body.removeFirst() }
        let number = body.prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "+" }
        guard var value = Double(number), value.isFinite else { return nil }
        let rest = body.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        switch rest.first {
        case "K"?, "k"?: value *= 1e3
        case "M"?: value *= 1e6
        case "B"?: value *= 1e9
        case "T"?: value *= 1e12
        default: break
        }
        return value
    }
}
