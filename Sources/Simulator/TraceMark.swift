/// An event the trace shows beside the simulated step's tasks, on every pipeline stage: e.g. the
/// blocking part of a checkpoint save after the step's optimizer update. Seconds from the start of
/// the step; `name`, `category` and `track` are plain ASCII without quotes or backslashes.
public struct TraceMark: Sendable, Hashable {
    public var name: String
    public var category: String
    public var startSeconds: Double
    public var durationSeconds: Double
    /// The thread the mark is drawn on (one per distinct track, after the streams).
    public var track: String

    /// Thread id of the first track (the streams use 0, 1, 2).
    static let firstThread = 10

    public init(name: String, category: String, startSeconds: Double, durationSeconds: Double, track: String) {
        self.name = name
        self.category = category
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
        self.track = track
    }
}
