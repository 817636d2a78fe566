import Foundation
import Yams

/// A value read from a JSON or YAML model file, with booleans, integers and reals kept apart
/// (Foundation's `JSONSerialization` gives `NSNumber` for all three).
enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    /// Converts what `JSONSerialization` (NSNumber, NSString, NSArray, NSDictionary, NSNull) or
    /// Yams (Swift Bool, Int, Double, String, arrays and dictionaries) returns.
    init(_ any: Any?) {
        guard let any, !(any is NSNull) else {
            self = .null
            return
        }
        let type = type(of: any)
        if type == Bool.self, let value = any as? Bool {
            self = .bool(value)
        } else if type == Int.self, let value = any as? Int {
            self = .int(value)
        } else if type == Double.self, let value = any as? Double {
            self = .double(value)
        } else if let value = any as? String {
            self = .string(value)
        } else if let number = any as? NSNumber {
            self = ConfigValue(number: number)
        } else if let value = any as? [Any] {
            self = .array(value.map { ConfigValue($0) })
        } else if let value = any as? [String: Any] {
            self = .object(value.mapValues { ConfigValue($0) })
        } else if let value = any as? [AnyHashable: Any] {
            // YAML allows non-string keys; they are read by their text.
            var object: [String: ConfigValue] = [:]
            for (key, element) in value { object["\(key.base)"] = ConfigValue(element) }
            self = .object(object)
        } else {
            self = .string("\(any)")
        }
    }

    /// Converts a composed YAML node. Scalars are typed by Yams' resolver (int, float, bool,
    /// null, string); mapping keys are read by their text. Yams' own conversion of a whole tree
    /// (`Node.any`) traps on a mapping key that is itself a mapping or a list (found by
    /// Fuzz/fuzz-model-file), so only scalars are handed to it.
    init(node: Node) {
        switch node {
        case .scalar:
            self = ConfigValue(Constructor.default.any(from: node))
        case .sequence(let sequence):
            self = .array(sequence.map { ConfigValue(node: $0) })
        case .mapping(let mapping):
            var object: [String: ConfigValue] = [:]
            for (key, value) in mapping {
                object[Self.keyText(key)] = ConfigValue(node: value)
            }
            self = .object(object)
        }
    }

    /// A mapping key's text: a scalar's own text, "a mapping" or "a list" otherwise (such a key
    /// is then an unknown key, reported by name).
    private static func keyText(_ key: Node) -> String {
        switch key {
        case .scalar(let scalar): return scalar.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// JSONSerialization's numbers: booleans have ObjC type "c" (char), which JSON numbers never
    /// get; reals "d" or "f"; large unsigned integers "Q".
    private init(number: NSNumber) {
        switch String(cString: number.objCType) {
        case "c", "B":
            self = .bool(number.boolValue)
        case "d", "f":
            self = .double(number.doubleValue)
        case "Q", "L", "I", "S", "C":
            if let value = Int(exactly: number.uint64Value) { self = .int(value) } else { self = .double(number.doubleValue) }
        default:
            self = .int(number.intValue)
        }
    }

    /// How the value reads in an error message.
    var display: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "\(value)"
        case .int(let value): return "\(value)"
        case .double(let value): return value.isNaN ? "nan" : "\(value)"
        case .string(let value): return "\"\(value)\""
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}
