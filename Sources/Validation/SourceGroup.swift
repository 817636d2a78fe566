import Foundation

/// The group a run's `source` belongs to in the summary: the repository and document (or the
/// paper and table), without the commit, the extra files and the remarks, i.e. the text before
/// the first " @", ";" or " + ". "pytorch/torchtitan docs/performance.md @0413..." and
/// "... @3faa..." are one group; "NVIDIA/NeMo ...performance_summary.md" and
/// "...performance_long_sequence.md" are two.
public enum SourceGroup {
    public static let unstated = "(no source)"

    public static func name(of source: String?) -> String {
        guard let source else { return unstated }
        var end = source.endIndex
        for separator in [" @", ";", " + "] {
            if let range = source.range(of: separator), range.lowerBound < end { end = range.lowerBound }
        }
        let name = source[..<end].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? unstated : name
    }
}
