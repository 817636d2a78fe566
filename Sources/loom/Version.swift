/// Loom's version, printed by `loom --version`; the one place it is written. Semantic
/// versioning: 0.x while the commands and JSON fields of ARCHITECTURE.md (Contracts) may still be extended.
enum LoomVersion {
    static let current = "0.1.0"
}
