import CostModel
/// Token counts as people write them: `15T`, `300B`, `1.5M`, `10K`, `2.5e12`, `15000000`.
/// Suffixes are decimal (K = 1e3, M = 1e6, B = G = 1e9, T = 1e12), either case.
public enum TokenCount {
    public static func parse(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits = Substring(trimmed)
        var scale = 1.0
        if let last = trimmed.last, last.isLetter, !trimmed.lowercased().hasSuffix("e") {
            switch last.lowercased() {
            case "k": scale = 1e3
            case "m": scale = 1e6
            case "b", "g": scale = 1e9
            case "t": scale = 1e12
            default:
                throw GoodputError("token count '\(text)': unknown suffix '\(last)', expected K, M, B or T "
                                   + "(e.g. 15T, 300B, 2.5e12)")
            }
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite else {
            throw GoodputError("token count '\(text)' is not a number (e.g. 15T, 300B, 2.5e12)")
        }
        let tokens = value * scale
        guard tokens.isFinite, tokens >= 1 else {
            throw GoodputError("token count '\(text)' is \(tokens), must be at least 1")
        }
        guard tokens <= CostModelConstants.maximumTrainingTokens else {
            throw GoodputError("token count '\(text)' is more than \(CostModelConstants.maximumTrainingTokens) tokens, "
                               + "the most a time-to-train question accepts")
        }
        return tokens
    }
}

import Foundation
