// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A descriptor read on a `DescriptorReader` thread into a `DeadlineQueue`, for an async consumer
/// that waits with a deadline: a serial port, the keyboard.
///
/// When reading ends for a reason of its own (the device went away, end of input), `describe`
/// turns the reason into the error the consumer gets once it has read everything that arrived
/// before; nil ends the stream without an error.
public final class DescriptorStream: Sendable {
  private let chunks: DeadlineQueue<SerialChunk>
  private let failure: Locked<RigError?>
  private let reader: DescriptorReader

  /// Starts reading `fd`; the descriptor must stay open until `stop()` has returned.
  public init(
    fd: Int32, name: String, endOfFile: ReadingHandler.EndOfFile, capacity: Int = 1 << 16,
    read: @escaping ReadingHandler.ReadOnce = ReadingHandler.posixRead,
    describe: @escaping @Sendable (ReadingHandler.End) -> RigError?
  ) throws {
    let chunks = DeadlineQueue<SerialChunk>(capacity: capacity)
    let failure = Locked<RigError?>(nil)
    self.chunks = chunks
    self.failure = failure
    let handler = ReadingHandler(
      endOfFile: endOfFile, read: read, onBytes: { chunks.push($0) },
      onEnd: { end in
        failure.withLock { $0 = $0 ?? describe(end) }
        chunks.finish()
      })
    reader = try DescriptorReader(fd: fd, name: name, handler: handler)
  }

  deinit {
    stop()
  }

  /// The next chunk, nil at the deadline (or at the end without an error); throws once reading
  /// has failed and everything that arrived before has been read.
  public func next(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    if let chunk = try await chunks.next(until: deadline) { return chunk }
    if let error = failure.value { throw error }
    return nil
  }

  /// The error that ended the stream, if it ended with one.
  public var error: RigError? { failure.value }

  /// Whether the stream has ended and everything in it was read.
  public var isFinished: Bool { chunks.isFinished }

  /// Drops what was queued and not read.
  public func discard() {
    chunks.removeAll()
  }

  /// Waits until the descriptor can take bytes (see `DescriptorReader.writable(until:)`).
  public func writable(until deadline: ContinuousClock.Instant) async -> Bool {
    await reader.writable(until: deadline)
  }

  /// Stops the reader thread and waits for it; the consumer then drains what is queued and gets
  /// nil. Safe to call more than once.
  public func stop() {
    reader.stop()
    chunks.finish()
  }
}
