import Foundation

/// Number formatting shared by the tables and charts (locale-independent, so committed
/// reports do not change with the machine that regenerates them).
public enum ReportFormat {
    /// 4096 -> "4,096".
    public static func integer(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e18 else { return "-" }
        let n = Int(value.rounded())
        let digits = String(abs(n))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return n < 0 ? "-" + out : out
    }

    /// 1234567 -> "1.23M", 45000 -> "45k", 0.5 -> "0.5".
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        let units: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where magnitude >= scale {
            return trimmed(value / scale) + suffix
        }
        return trimmed(value)
    }

    /// Three significant digits without trailing zeros.
    static func trimmed(_ value: Double) -> String {
        let magnitude = abs(value)
        let text: String
        if magnitude >= 100 || magnitude == 0 { text = String(format: "%.0f", value) }
        else if magnitude >= 10 { text = String(format: "%.1f", value) }
        else if magnitude >= 1 { text = String(format: "%.2f", value) }
        else { text = String(format: "%.3g", value) }
        guard text.contains("."), !text.contains("e") else { return text }
        var out = text
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return out
    }

    /// 0.4567 -> "45.7%".
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return String(format: "%.1f%%", 100 * fraction)
    }

    /// Seconds per step: "12.35 s", "0.842 s".
    public static func seconds(_ value: Double) -> String {
        value.isFinite ? number(value) + " s" : "-"
    }

    /// A long duration in days (or hours below two days): "31.2 days", "17.5 h".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let days = seconds / 86_400
        if days >= 2 { return days >= 100 ? String(format: "%.0f days", days) : String(format: "%.1f days", days) }
        return String(format: "%.1f h", seconds / 3600)
    }

    /// Seconds without a unit (the column header has it): "12.3", "0.842".
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return value >= 10 ? String(format: "%.1f", value) : String(format: "%.3f", value)
    }

    /// A duration in days without a unit (the header has it): "31.2", "0.73".
    public static func days(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let days = seconds / 86_400
        return days >= 100 ? String(format: "%.0f", days) : (days >= 2 ? String(format: "%.1f", days) : String(format: "%.2f", days))
    }

    /// Bytes in GiB: "61.3 GiB".
    public static func gib(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "-" }
        return String(format: "%.1f GiB", bytes / 1_073_741_824)
    }

    /// Money without a currency symbol, grouped: "1,234,567".
    public static func money(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return value >= 100 ? integer(value) : String(format: "%.2f", value)
    }

    /// Tokens: 3.5e12 -> "3.5T tokens".
    public static func tokens(_ value: Double) -> String { compact(value) + " tokens" }
}
