// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Appends a run's events to `events.ndjson`, one JSON object per line, as they happen.
///
/// Each line goes to the kernel in one write as soon as it is appended, so a `kill -9` of rig
/// loses at most the line being written; the file is also flushed to disk (`fsync`) when the run
/// starts, when a test finishes and when the run finishes, so a power cut keeps every finished
/// test. Safe to call from any thread or task; lines never interleave.
public final class EventLogWriter: Sendable {
  /// The file written, as messages name it.
  public let displayPath: String

  private struct State {
    var file: (any ArtifactLog)?
    let encoder: JSONEncoder
  }

  private let state: Locked<State>

  /// Opens (creating if needed) `path` in `sink` and appends after anything already in it.
  public init(sink: any ArtifactSink, path: String = "events.ndjson") throws {
    displayPath = sink.location.isEmpty ? path : "\(sink.location)/\(path)"
    let file = try sink.openLog(path, truncate: false)
    state = Locked(State(file: file, encoder: ReportJSON.encoder(pretty: false)))
  }

  deinit {
    state.withLock { state in state.file?.close() }
  }

  /// Writes one event as one line; flushes to disk at run start, test finish and run finish.
  public func append(_ event: TimedEvent) throws {
    try state.withLock { state in
      guard let file = state.file else {
        throw RigError(
          .internal,
          "the event log \(displayPath) was already closed; "
            + "'\(event.event.name)' was not written"
        )
      }
      let line = try Self.line(for: event, encoder: state.encoder)
      do {
        try file.append(line)
        switch event.event {
        case .runStarted, .testFinished, .runFinished: try file.synchronize()
        default: break
        }
      } catch {
        throw RigError(
          .hardwareFault,
          "cannot append '\(event.event.name)' to the event log \(displayPath) "
            + "(is the disk full?)",
          cause: error)
      }
    }
  }

  /// Flushes and closes the file; later appends throw. Calling it twice is harmless.
  public func close() {
    state.withLock { state in
      guard let file = state.file else { return }
      try? file.synchronize()
      file.close()
      state.file = nil
    }
  }

  /// One event as its `events.ndjson` line, newline included:
  /// `{"at":"…","event":"…",` then the payload's fields in sorted order.
  public static func line(for event: TimedEvent) throws -> Data {
    try line(for: event, encoder: ReportJSON.encoder(pretty: false))
  }

  private static func line(for event: TimedEvent, encoder: JSONEncoder) throws -> Data {
    // `at` and `event` lead every line so the file reads well with grep, less and jq alike; the
    // payload follows with sorted keys so identical events give identical lines.
    let payload: Data
    do {
      payload = try encoder.encode(event.event.payload)
    } catch {
      throw RigError(
        .internal, "cannot encode the '\(event.event.name)' event as JSON", cause: error)
    }
    var line = Data(
      "{\"at\":\"\(UTCTimestamp.iso8601(event.at))\",\"event\":\"\(event.event.name)\"".utf8)
    // The payload is always a JSON object: splice its fields in after the two leading ones.
    let fields = payload.dropFirst().dropLast()
    if !fields.isEmpty {
      line.append(UInt8(ascii: ","))
      line.append(contentsOf: fields)
    }
    line.append(contentsOf: Array("}\n".utf8))
    return line
  }
}
