// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The `events.ndjson` form of an event: one flat JSON object whose `event` field names the kind
/// and whose other fields are the payload's, e.g.
/// `{"at":"2026-11-25T20:40:05.123Z","event":"test_started","attempt":1,"name":"corridor-day"}`.
extension RunEvent: Codable {
  /// The snake_case name written in the `event` field.
  public var name: String {
    switch self {
    case .runStarted: "run_started"
    case .boardState: "board_state"
    case .testStarted: "test_started"
    case .frameFinding: "frame_finding"
    case .flash: "flash"
    case .testFinished: "test_finished"
    case .note: "note"
    case .rigState: "rig_state"
    case .runFinished: "run_finished"
    }
  }

  /// Every event name, in the order a run emits them.
  public static let names = [
    "run_started", "rig_state", "board_state", "flash", "test_started", "frame_finding",
    "test_finished", "note", "run_finished",
  ]

  /// The payload alone (without the `event` field).
  var payload: any Encodable {
    switch self {
    case .runStarted(let value): value
    case .boardState(let value): value
    case .testStarted(let value): value
    case .frameFinding(let value): value
    case .flash(let value): value
    case .testFinished(let value): value
    case .note(let value): value
    case .rigState(let value): value
    case .runFinished(let value): value
    }
  }

  enum DiscriminatorKey: String, CodingKey {
    case event
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: DiscriminatorKey.self)
    let name = try container.decode(String.self, forKey: .event)
    // The payload's fields sit beside `event` in the same object, so each payload type decodes
    // from the same decoder and ignores the discriminator.
    switch name {
    case "run_started": self = .runStarted(try RunStart(from: decoder))
    case "board_state": self = .boardState(try BoardStateChange(from: decoder))
    case "test_started": self = .testStarted(try TestStart(from: decoder))
    case "frame_finding": self = .frameFinding(try FrameFinding(from: decoder))
    case "flash": self = .flash(try FlashReport(from: decoder))
    case "test_finished": self = .testFinished(try TestResult(from: decoder))
    case "note": self = .note(try Note(from: decoder))
    case "rig_state": self = .rigState(try RigRun(from: decoder))
    case "run_finished": self = .runFinished(try RunFinish(from: decoder))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .event, in: container,
        debugDescription: "unknown event '\(name)' (known: \(Self.names.joined(separator: ", ")))")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    try payload.encode(to: encoder)
    var container = encoder.container(keyedBy: DiscriminatorKey.self)
    try container.encode(name, forKey: .event)
  }
}

extension TimedEvent: Codable {
  enum TimeKey: String, CodingKey {
    case at
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: TimeKey.self)
    self.init(at: try container.decode(Date.self, forKey: .at), try RunEvent(from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try event.encode(to: encoder)
    var container = encoder.container(keyedBy: TimeKey.self)
    try container.encode(at, forKey: .at)
  }
}
