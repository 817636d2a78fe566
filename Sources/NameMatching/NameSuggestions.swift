/// "Did you mean ...?" for mistyped names: Levenshtein edit distance (Levenshtein 1966), with
/// names that start with or contain what was typed counted as close. Shared by model presets
/// (Workloads) and topologies and YAML keys (Hardware).
public enum NameSuggestions {
    /// Up to `limit` suggestions whose spelling (`match`: a name or an alias) is nearest to
    /// `typed`, nearest first; ties go to the longer common prefix, then to the order of
    /// `candidates`. Only spellings within a few edits, and within one edit of the nearest, qualify.
    public static func nearest(to typed: String, in candidates: [(match: String, name: String)], limit: Int = 2)
        -> [String]
    {
        let query = Array(typed.lowercased())
        let threshold = max(2, query.count / 3)
        var scored: [(name: String, distance: Int, prefix: Int, order: Int)] = []
        for (order, (match, name)) in candidates.enumerated() {
            let target = Array(match.lowercased())
            var distance = editDistance(query, target)
            if !query.isEmpty && (target.starts(with: query) || match.lowercased().contains(typed.lowercased())) {
                distance = min(distance, 1)
            }
            guard distance <= threshold else { continue }
            scored.append((name, distance, commonPrefix(query, target), order))
        }
        scored.sort {
            ($0.distance, -$0.prefix, $0.order) < ($1.distance, -$1.prefix, $1.order)
        }
        // Only the nearest tier (best distance, or one more) is worth suggesting.
        let best = scored.first?.distance ?? 0
        var result: [String] = []
        for entry in scored where entry.distance <= best + 1 && !result.contains(entry.name) && result.count < limit {
            result.append(entry.name)
        }
        return result
    }

    /// Insertions, deletions and substitutions turning `a` into `b` (two-row dynamic programming).
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func commonPrefix(_ a: [Character], _ b: [Character]) -> Int {
        var count = 0
        while count < a.count && count < b.count && a[count] == b[count] { count += 1 }
        return count
    }
}

extension NameSuggestions {
    /// Up to `limit` of `names` nearest to `typed` (each name is its own spelling).
    public static func nearest(to typed: String, in names: [String], limit: Int) -> [String] {
        nearest(to: typed, in: names.map { (match: $0, name: $0) }, limit: limit)
    }
}
