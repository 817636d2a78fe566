/// A report that cannot be made, in one line naming the bad value and the constraint it breaks.
public struct ReportError: Error, CustomStringConvertible, Sendable, Hashable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The one-line text of any error (the library errors are all CustomStringConvertible).
    static func line(_ error: Error) -> String {
        let text = String(describing: error)
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}
