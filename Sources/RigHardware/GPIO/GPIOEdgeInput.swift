// SPDX-License-Identifier: Apache-2.0
import GPIOShim
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A GPIO input watched for edges through libgpiod: the DUT's result-ready pin.
///
/// A thread owned by the input sleeps on the line request's descriptor and queues each edge
/// with the kernel's CLOCK_MONOTONIC timestamp as soon as the kernel reports it; `nextEdge`
/// waits on that queue with a deadline. No polling interval is involved anywhere.
public final class GPIOEdgeInput: EdgeInput {
  /// Which edges to report.
  public enum Edges: String, Sendable, Hashable, Codable, CaseIterable {
    case rising, falling, both
  }

  /// `GPIO27 (gpiochip0 line 27)`.
  public let name: String
  public let spec: GPIOLineSpec
  public let edges: Edges
  /// Where the line was found when it was requested.
  public let location: GPIOLineLocation
  private let request: GPIOLineRequest
  private let feed: EdgeFeed
  private let watcher: DescriptorReader

  /// Finds the line `spec` names (its `drive` is ignored) and requests `edges` on it.
  ///
  /// - Throws: as `GPIOOutputLine.init`.
  public init(
    spec: GPIOLineSpec, edges: Edges, consumer: String = "rig",
    deviceDirectory: String = GPIOChips.deviceDirectory
  ) throws {
    self.spec = spec
    self.edges = edges
    location = try GPIOChips.locate(spec, deviceDirectory: deviceDirectory)
    let name = location.displayName
    self.name = name
    let request = try GPIOLineRequest.edges(
      location, edges: edges, activeLow: spec.activeLow, consumer: consumer)
    let feed = EdgeFeed(name: name)
    self.request = request
    self.feed = feed
    // The watcher is the only caller of gs_read_edge, and it is stopped before the line is
    // released, so it may use the line without the request's lock.
    watcher = try DescriptorReader(
      fd: gs_line_fd(request.unsafeLine), name: "rig gpio \(name)",
      handler: EdgeReader(request: request, feed: feed))
  }

  deinit {
    watcher.stop()
    request.release()
  }

  /// The next edge, oldest first, or nil when `deadline` passes first (or after `release()`).
  /// Edges that happened before this call and were not consumed are returned first.
  public func nextEdge(until deadline: ContinuousClock.Instant) async throws -> LineEdge? {
    if let edge = try await feed.queue.next(until: deadline) { return edge }
    if let error = feed.failure.withLock({ $0 }) { throw error }
    return nil
  }

  /// Forgets edges queued so far, so the next `nextEdge` waits for a new one.
  public func discardEdges() {
    feed.queue.removeAll()
  }

  /// The line's logical level now.
  public func read() async throws -> Bool {
    try request.withLine("read its value") { line throws(CLibraryError) in
      try CLibraryError.check(gs_get_value(line), "gs_get_value") == 1
    }
  }

  public func release() async {
    watcher.stop()
    request.release()
    feed.queue.finish()
  }
}

/// The watcher thread's turns: every edge the kernel queued, read as soon as it is readable.
private struct EdgeReader: DescriptorHandler {
  let request: GPIOLineRequest
  let feed: EdgeFeed

  func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next {
    switch event {
    case .started, .woken, .timedOut:
      return .wait(.readable)
    case .failed(let error):
      feed.fail("poll failed: \(error.reason)")
      return .stop
    case .ready(let readiness) where readiness.contains(.readable):
      return readEdges()
    case .ready(let readiness):
      feed.fail(readiness.contains(.invalid) ? "the descriptor was closed" : "the device went away")
      return .stop
    }
  }

  private func readEdges() -> DescriptorReader.Next {
    let line = request.unsafeLine
    var rising: Int32 = 0
    var timestamp: UInt64 = 0
    while true {
      let got = gs_read_edge(line, 0, &rising, &timestamp)
      if got == 1 {
        feed.queue.push(LineEdge(rising: rising == 1, timestampNanoseconds: timestamp))
        continue
      }
      if got == 0 { return .wait(.readable) }
      feed.fail("cannot read edge events: \(CLibraryError.fromErrno(errno, "gs_read_edge").message)")
      return .stop
    }
  }
}

/// The edges the watcher thread has read, and why it stopped if it failed.
private final class EdgeFeed: Sendable {
  let name: String
  let queue = DeadlineQueue<LineEdge>(capacity: 1 << 16)
  let failure = Locked<RigError?>(nil)

  init(name: String) {
    self.name = name
  }

  /// Records the first failure and ends the queue, so a waiting `nextEdge` throws it at once.
  func fail(_ why: String) {
    failure.withLock { $0 = $0 ?? RigError(.hardwareFault, "GPIO \(name): \(why)") }
    queue.finish()
  }
}
