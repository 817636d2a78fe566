import Foundation

/// A runs file that cannot be read, or a run in it that lacks a required field.
public enum RunsFileError: Error, CustomStringConvertible, Sendable, Hashable {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    /// A run (named by its id, else by its position) with a missing or mistyped field.
    case badRun(path: String, id: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read runs file \(path): \(reason)"
        case let .malformed(path, reason): return "runs file \(path) is not valid: \(reason)"
        case let .badRun(path, id, reason): return "runs file \(path): run '\(id)': \(reason)"
        }
    }
}

/// Reads JSON files whose top level is an array of runs (`PublishedRun`) or, for
/// `finetune-runs.json`, an object holding one; keys are snake_case.
public enum RunsFileReader {
    /// Decodes a runs file in the format of `Validation/published-runs*.json`: a top-level array
    /// of runs, or an object holding it under `runs` (beside, say, an `about` text).
    public static func loadRuns(path: String) throws -> [PublishedRun] {
        let (data, keyPath) = RunsFileAliases.normalized(try read(path))
        return try decodeArray(of: PublishedRun.self, from: data, path: path, keyPath: keyPath)
    }

    /// A run of a runs file that could not be read, with the field at fault (`loadRunsLossy`).
    public struct UnreadableRun: Sendable, Hashable {
        public var id: String
        public var source: String
        public var reason: String
    }

    /// `loadRuns`, except that a run with a missing or mistyped field is returned as unreadable,
    /// naming the field, and the file's other runs are still read; a file that is not a runs file
    /// at all is still one error.
    public static func loadRunsLossy(path: String) throws -> (runs: [PublishedRun], unreadable: [UnreadableRun]) {
        try loadRunsLossy(data: try read(path), path: path)
    }

    /// `loadRunsLossy(path:)` on a file's bytes; `path` names it in errors.
    public static func loadRunsLossy(data raw: Data, path: String) throws -> (runs: [PublishedRun], unreadable: [UnreadableRun]) {
        let (data, keyPath) = RunsFileAliases.normalized(raw)
        guard let root = try? JSONSerialization.jsonObject(with: data) else {
            return (try decodeArray(of: PublishedRun.self, from: data, path: path, keyPath: keyPath), [])
        }
        var node: Any? = root
        for key in keyPath { node = (node as? [String: Any])?[key] }
        guard let elements = node as? [Any] else {
            return (try decodeArray(of: PublishedRun.self, from: data, path: path, keyPath: keyPath), [])
        }
        var runs: [PublishedRun] = []
        var unreadable: [UnreadableRun] = []
        for (index, element) in elements.enumerated() {
            let id = (element as? [String: Any])?["id"] as? String ?? "#\(index + 1)"
            // Only an object is a run (JSONSerialization traps on writing anything else at the top).
            guard let object = element as? [String: Any] else {
                unreadable.append(UnreadableRun(id: id, source: "", reason: "not a JSON object"))
                continue
            }
            do {
                let item = try JSONSerialization.data(withJSONObject: object)
                runs.append(try decoder().decode(PublishedRun.self, from: item))
            } catch let error as DecodingError {
                unreadable.append(UnreadableRun(id: id, source: object["source"] as? String ?? "", reason: describe(error)))
            } catch {
                unreadable.append(UnreadableRun(id: id, source: object["source"] as? String ?? "", reason: "unreadable run"))
            }
        }
        return (runs, unreadable)
    }

    /// What went wrong in a decoding error ("missing required field 'layers'") and where; nil for
    /// a kind of error this reader does not know.
    static func phrase(_ error: DecodingError) -> (what: String, context: DecodingError.Context)? {
        switch error {
        case let .keyNotFound(key, c): return ("missing required field '\(snakeCase(key.stringValue))'", c)
        case let .typeMismatch(_, c): return ("wrong type", c)
        case let .valueNotFound(_, c): return ("null where a value is required", c)
        case let .dataCorrupted(c): return (c.codingPath.isEmpty ? "not JSON" : "unreadable value", c)
        @unknown default: return nil
        }
    }

    /// A decoding error of one run as one phrase naming the field ("missing required field
    /// 'layers' at model").
    static func describe(_ error: DecodingError) -> String {
        guard let (what, context) = phrase(error) else { return "unreadable value" }
        let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }
            .joined(separator: ".")
        return field.isEmpty ? what : "\(what) at \(field)"
    }

    /// The whole file as bytes, or a one-line error naming it.
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RunsFileError.unreadable(path: path, reason: "no such file or not readable")
        }
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// Decodes the array at `keyPath` (empty: the top level); an error inside one element names
    /// that element's `id` (or its index when it has none) and the field.
    static func decodeArray<T: Decodable>(of type: T.Type, from data: Data, path: String,
                                          keyPath: [String]) throws -> [T] {
        do {
            return try decoder().decode(Nested<T>.self, from: data, keyPath: keyPath)
        } catch let error as DecodingError {
            guard let (what, context) = phrase(error) else { throw RunsFileError.malformed(path: path, reason: "\(error)") }
            // Skip the object keys that lead to the array, then the element index.
            let inArray = context.codingPath.dropFirst(keyPath.count)
            guard let index = inArray.first?.intValue else {
                let expected = keyPath.isEmpty ? "a JSON array of runs" : "an object with '\(keyPath.joined(separator: "."))' holding an array"
                throw RunsFileError.malformed(path: path, reason: "\(what): expected \(expected)")
            }
            let field = inArray.dropFirst().map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }
                .joined(separator: ".")
            let at = field.isEmpty ? "" : " at \(field)"
            let id = (try? decoder().decode(Nested<Identified>.self, from: data, keyPath: keyPath))
                .flatMap { index < $0.count ? $0[index].id : nil } ?? "#\(index + 1)"
            throw RunsFileError.badRun(path: path, id: id, reason: "\(what)\(at)")
        } catch {
            throw RunsFileError.malformed(path: path, reason: "\(error)")
        }
    }

    /// A decoded key as the file spells it (`globalBatch` -> `global_batch`).
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Any object with an optional `id`, to name the run an error is in.
    struct Identified: Decodable {
        var id: String?
    }
}

/// Decodes the array found under a key path of nested objects.
private struct Nested<T: Decodable>: Decodable {
    var items: [T]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static var keyPathInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "loom.keyPath")! }

    init(from decoder: Decoder) throws {
        let path = decoder.userInfo[Self.keyPathInfo] as? [String] ?? []
        guard let first = path.first else {
            items = try [T](from: decoder)
            return
        }
        var container = try decoder.container(keyedBy: Key.self)
        for key in path.dropLast() {
            container = try container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: key))
        }
        items = try container.decode([T].self, forKey: Key(stringValue: path.last ?? first))
    }
}

private extension JSONDecoder {
    func decode<T: Decodable>(_ type: Nested<T>.Type, from data: Data, keyPath: [String]) throws -> [T] {
        userInfo[Nested<T>.keyPathInfo] = keyPath
        return try decode(type, from: data).items
    }
}
