// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The run-level event log of a pool: `events.ndjson` at the top of the run folder, written by
/// every rig's lane at once. It holds the run's plan, each rig's states, and each test's start
/// and final result under its unit's name (each rig's own full log is in `rigs/<rig>/`), so
/// `rig report` rebuilds the pool's reports from it alone.
final class PoolLog: Sendable {
  private let writer: EventLogWriter
  private let events = Locked<[TimedEvent]>([])
  private let onFailure: @Sendable (any Error) -> Void

  init(sink: any ArtifactSink, onFailure: @escaping @Sendable (any Error) -> Void) throws {
    writer = try EventLogWriter(sink: sink)
    self.onFailure = onFailure
  }

  func record(_ event: RunEvent) {
    let timed = TimedEvent(event)
    // One lock for both, so the file and the list keep the same order.
    let failure: (any Error)? = events.withLock { list in
      list.append(timed)
      do { try writer.append(timed) } catch { return error }
      return nil
    }
    if let failure { onFailure(failure) }
  }

  /// Everything recorded, in order.
  var recorded: [TimedEvent] { events.withLock { $0 } }

  func close() { writer.close() }

  /// The writer, for the notes of files that could not be written.
  var writerForNotes: EventLogWriter { writer }
}
