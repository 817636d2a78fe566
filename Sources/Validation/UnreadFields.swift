import Foundation

extension RunsFileReader {
    /// The fields of a runs file that the reader does not read (a misspelt key, or one the format
    /// does not have), as "run 'id': field 'layout.sequence_paralel'": found by encoding what was
    /// decoded back to snake_case JSON and comparing key paths with the file. A key whose value
    /// is null counts as read (it says "unstated", which is what an unread key means).
    public static func unreadFields(path: String) throws -> [String] {
        try unreadFields(data: try read(path))
    }

    /// `unreadFields(path:)` on a file's bytes.
    public static func unreadFields(data raw: Data) throws -> [String] {
        // Fields under a config's name (`RunsFileAliases`) are read, as their file names.
        // A run that cannot be decoded is refused by `loadRunsLossy`, not listed here.
        let (data, keyPath) = RunsFileAliases.normalized(raw)
        var original: Any = try JSONSerialization.jsonObject(with: data)
        for key in keyPath {
            original = (original as? [String: Any])?[key] ?? []
        }
        guard let files = original as? [Any] else { return [] }
        var unread: [String] = []
        for (index, file) in files.enumerated() {
            guard let object = file as? [String: Any], let item = try? JSONSerialization.data(withJSONObject: object),
                  let run = try? decoder().decode(PublishedRun.self, from: item) else { continue }
            unread += try unreadFields(file: file, decoded: run, index: index)
        }
        return unread
    }

    /// The fields of one run's JSON object `file` that `decoded` does not carry back.
    static func unreadFields<T: Encodable>(file: Any, decoded: T, index: Int) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let read = try JSONSerialization.jsonObject(with: encoder.encode(decoded))
        let id = ((file as? [String: Any])?["id"] as? String) ?? "#\(index + 1)"
        return missing(from: read, in: file, prefix: "").map { "run '\(id)': field '\($0)'" }
    }

    /// The same for `finetune-runs.json` (its `cases`).
    public static func unreadFinetuneFields(path: String) throws -> [String] {
        try unreadFields(in: loadFinetuneRuns(path: path), data: read(path), keyPath: ["cases"])
    }

    static func unreadFields<T: Encodable>(in decoded: [T], data: Data, keyPath: [String]) throws -> [String] {
        var original: Any = try JSONSerialization.jsonObject(with: data)
        for key in keyPath {
            original = (original as? [String: Any])?[key] ?? []
        }
        guard let files = original as? [Any] else { return [] }
        var unread: [String] = []
        for (index, (file, item)) in zip(files, decoded).enumerated() {
            unread += try unreadFields(file: file, decoded: item, index: index)
        }
        return unread
    }

    /// Key paths present (non-null) in `file` but absent from `read`.
    private static func missing(from read: Any, in file: Any, prefix: String) -> [String] {
        guard let fileObject = file as? [String: Any] else { return [] }
        let readObject = read as? [String: Any] ?? [:]
        var out: [String] = []
        for key in fileObject.keys.sorted() {
            let value = fileObject[key] as Any
            if value is NSNull { continue }
            guard let readValue = readObject[key] else {
                out.append(prefix + key)
                continue
            }
            out += missing(from: readValue, in: value, prefix: prefix + key + ".")
        }
        return out
    }
}
