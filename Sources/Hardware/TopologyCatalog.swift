import NameMatching
import Foundation

/// Finds cluster descriptions by name (`--cluster dgx-h100`) or path (`--cluster my.yaml`).
///
/// A name `N` is looked up as `N.yaml` (then `N.yml`) in these directories, first match wins:
/// 1. each directory of `$LOOM_TOPOLOGIES` (colon-separated, like `PATH`);
/// 2. `./Topologies` in the current directory;
/// 3. the repository's `Topologies/`, found by walking up from the running executable's
///    directory (`/proc/self/exe`, e.g. `.build/debug/loom`) to the first folder holding both
///    `Package.swift` and `Topologies/`.
///
/// The presets live only in the repository's `Topologies/` (one copy, no resources compiled
/// into the binary): a `loom` binary copied elsewhere needs `$LOOM_TOPOLOGIES` or a path, and
/// says where it looked when a name is not found.
public struct TopologyCatalog: Sendable {
    /// One place the catalog searches.
    public struct Directory: Sendable, Hashable {
        /// Absolute path.
        public var path: String
        /// Why it is searched: `$LOOM_TOPOLOGIES`, `./Topologies` or `repository`.
        public var origin: String

        public init(path: String, origin: String) {
            self.path = path
            self.origin = origin
        }

        public var exists: Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// A topology found in a catalog directory.
    public struct Entry: Sendable {
        /// The name `load` takes: the file name without `.yaml`.
        public var name: String
        public var topology: ClusterTopology
        /// The YAML file it was read from.
        public var file: String
        public var directory: Directory
    }

    /// Everything `all()` found; files that failed to load are reported, not fatal.
    public struct Listing: Sendable {
        /// Sorted by name; a name found in several directories appears once, from the first.
        public var entries: [Entry]
        public var problems: [TopologyError]
    }

    /// Search order, first match wins.
    public var directories: [Directory]

    public init(directories: [Directory]) {
        var seen = Set<String>()
        self.directories = directories.filter { seen.insert($0.path).inserted }
    }

    // MARK: The default catalog

    /// The catalog for this process: `$LOOM_TOPOLOGIES`, `./Topologies`, the repository's.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: String = FileManager.default.currentDirectoryPath,
                                executable: URL? = TopologyCatalog.executableURL()) -> TopologyCatalog {
        let cwd = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        func absolute(_ path: String) -> String {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)
            return url.standardizedFileURL.path
        }
        var directories: [Directory] = []
        for entry in (environment["LOOM_TOPOLOGIES"] ?? "").split(separator: ":") where !entry.isEmpty {
            directories.append(Directory(path: absolute(String(entry)), origin: "$LOOM_TOPOLOGIES"))
        }
        directories.append(Directory(path: absolute("Topologies"), origin: "./Topologies"))
        if let repository = executable.flatMap(repositoryTopologies(near:)) {
            directories.append(Directory(path: repository, origin: "repository"))
        }
        return TopologyCatalog(directories: directories)
    }

    /// Loads a topology by catalog name or file path with the standard catalog.
    public static func load(_ spec: String) throws -> ClusterTopology {
        try standard().load(spec)
    }

    /// Every topology of the standard catalog.
    public static func all() -> Listing {
        standard().all()
    }

    /// The running executable (`/proc/self/exe` on Linux).
    public static func executableURL() -> URL? {
        let proc = "/proc/self/exe"
        if FileManager.default.fileExists(atPath: proc) {
            return URL(fileURLWithPath: proc).resolvingSymlinksInPath()
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    /// `<root>/Topologies` for the nearest ancestor `<root>` of the executable's directory that
    /// holds `Package.swift` and a `Topologies` folder.
    static func repositoryTopologies(near executable: URL) -> String? {
        var directory = executable.deletingLastPathComponent().standardizedFileURL
        for _ in 0..<12 {
            let candidate = directory.appendingPathComponent("Topologies")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue,
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return candidate.standardizedFileURL.path
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return nil
    }

    // MARK: Lookup

    /// True when `spec` names a file rather than a catalog entry (it has a `/` or ends in
    /// `.yaml`/`.yml`).
    public static func isPath(_ spec: String) -> Bool {
        let lower = spec.lowercased()
        return spec.contains("/") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// Loads a topology by name (searching `directories`) or by path, and validates it.
    public func load(_ spec: String) throws -> ClusterTopology {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw TopologyError(.unknownTopology, "empty cluster name; `loom clusters` lists the names")
        }
        if Self.isPath(trimmed) {
            return try TopologyLoader.load(path: trimmed)
        }
        if let file = locate(trimmed) {
            return try TopologyLoader.load(path: file)
        }
        throw unknownName(trimmed)
    }

    /// The file a name resolves to, if any directory has it.
    public func locate(_ name: String) -> String? {
        for directory in directories {
            for ext in ["yaml", "yml"] {
                let path = URL(fileURLWithPath: directory.path).appendingPathComponent("\(name).\(ext)").path
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Names available, sorted (without loading the files).
    public func names() -> [String] {
        var names = Set<String>()
        for directory in directories {
            for file in yamlFiles(in: directory) { names.insert(file.name) }
        }
        return names.sorted()
    }

    /// Loads every topology file of every directory; a name shadowed by an earlier directory is
    /// skipped, and files that fail to load are returned as problems.
    public func all() -> Listing {
        var entries: [String: Entry] = [:]
        var problems: [TopologyError] = []
        for directory in directories {
            for file in yamlFiles(in: directory) where entries[file.name] == nil {
                do {
                    let topology = try TopologyLoader.load(path: file.path)
                    entries[file.name] = Entry(name: file.name, topology: topology, file: file.path,
                                               directory: directory)
                } catch let error as TopologyError {
                    problems.append(error)
                } catch {
                    problems.append(TopologyError(.unreadableFile, "\(error)", file: file.path))
                }
            }
        }
        return Listing(entries: entries.values.sorted { $0.name < $1.name }, problems: problems)
    }

    private func yamlFiles(in directory: Directory) -> [(name: String, path: String)] {
        guard let contents = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var files: [(name: String, path: String)] = []
        for item in contents.sorted() {
            let url = URL(fileURLWithPath: directory.path).appendingPathComponent(item)
            let ext = url.pathExtension.lowercased()
            guard ext == "yaml" || ext == "yml", !item.hasPrefix(".") else { continue }
            let name = url.deletingPathExtension().lastPathComponent
            // `.yaml` before `.yml` for the same name, as `locate` does.
            if files.contains(where: { $0.name == name }) { continue }
            files.append((name, url.path))
        }
        return files.sorted { $0.name < $1.name || ($0.name == $1.name && $0.path.hasSuffix(".yaml")) }
    }

    private func unknownName(_ name: String) -> TopologyError {
        let available = names()
        var message = "unknown cluster '\(name)'"
        let nearest = nearestNames(to: name, in: available, limit: 3)
        if !nearest.isEmpty {
            message += "; nearest: " + nearest.joined(separator: ", ")
        } else if !available.isEmpty {
            let shown = available.prefix(12).joined(separator: ", ")
            message += "; available: " + shown + (available.count > 12 ? ", ..." : "")
        }
        let looked = directories.map { $0.exists ? $0.path : "\($0.path) (missing)" }
        message += "; looked for \(name).yaml in " + looked.joined(separator: ", ")
        if !directories.contains(where: { $0.origin == "$LOOM_TOPOLOGIES" }) {
            message += " ($LOOM_TOPOLOGIES unset)"
        }
        return TopologyError(.unknownTopology, message)
    }
}

/// Up to `limit` names closest to `query` (`NameSuggestions`), nearest first; empty when
/// nothing is close.
func nearestNames(to query: String, in names: [String], limit: Int) -> [String] {
    guard !query.isEmpty else { return [] }
    return NameSuggestions.nearest(to: query, in: names, limit: max(limit, 0))
}
