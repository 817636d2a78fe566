import Foundation

/// A typed, page-aligned buffer owned by Swift and lent to MPI as a pointer.
///
/// Allocated once for the largest size of a sweep and reused at every size through `prefix`,
/// as OSU and nccl-tests do. Alignment to 4 KiB follows OSU's `MAX_ALIGNMENT` practice so that
/// results do not depend on where the allocator happened to put the buffer. Allocation failure
/// is an error, not a trap.
public final class MessageBuffer<Element: MPIElement> {
    /// The whole buffer.
    public let storage: UnsafeMutableBufferPointer<Element>

    /// Allocates room for `capacity` elements; throws when the size overflows or the system
    /// refuses the memory.
    public init(capacity: Int) throws {
        let (bytes, overflow) = max(0, capacity).multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow else { throw BenchmarkError.allocationFailed(bytes: Int.max) }
        var raw: UnsafeMutableRawPointer?
        // posix_memalign reports failure instead of trapping like Swift's allocator would.
        guard posix_memalign(&raw, 4096, max(bytes, 1)) == 0, let raw else {
            throw BenchmarkError.allocationFailed(bytes: bytes)
        }
        let typed = raw.bindMemory(to: Element.self, capacity: max(0, capacity))
        storage = UnsafeMutableBufferPointer(start: typed, count: max(0, capacity))
    }

    deinit { free(storage.baseAddress) }

    /// The first `count` elements (clamped to the capacity), as MPI will read or write them.
    public func prefix(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: storage[0 ..< min(max(0, count), storage.count)])
    }

    /// Sets the first `count` elements to `value(index)`.
    public func fill(_ count: Int, with value: (Int) -> Int) {
        let target = prefix(count)
        for index in target.indices { target[index] = Element(patternValue: value(index)) }
    }
}
