import Foundation

extension RunsFileReader {
    /// The fields of a runs file that the reader does not read (a misspelt key, or one the format
    /// does not have), as "run 'id': field 'layout.sequence_paralel'": found by encoding what was
    /// decoded back to snake_case JSON and comparing key paths with the file. A key whose value
    /// is null counts as read (it says "unstated", which is what an unread key means).
    public static func unreadFields(path: String) throws -> [String] {
        // Fields under a config's name (`RunsFileAliases`) are read, as their file names.
        let (data, keyPath) = RunsFileAliases.normalized(try read(path))
        let runs = try decodeArray(of: PublishedRun.self, from: data, path: path, keyPath: keyPath)
        return try unreadFields(in: runs, data: data, keyPath: keyPath)
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
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let roundTrip = try JSONSerialization.jsonObject(with: encoder.encode(decoded))
        guard let files = original as? [Any], let reads = roundTrip as? [Any] else { return [] }
        var unread: [String] = []
        for (index, (file, read)) in zip(files, reads).enumerated() {
            let id = ((file as? [String: Any])?["id"] as? String) ?? "#\(index + 1)"
            for field in missing(from: read, in: file, prefix: "") {
                unread.append("run '\(id)': field '\(field)'")
            }
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
