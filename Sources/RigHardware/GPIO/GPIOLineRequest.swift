// SPDX-License-Identifier: Apache-2.0
import GPIOShim
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// One line requested from the kernel through the libgpiod shim: the single owner of its
/// `gs_line`, which it releases exactly once.
final class GPIOLineRequest: @unchecked Sendable {
  // @unchecked: `line` is only used through `withLine`, under `state`'s lock, until `release()`
  // frees it; an edge reader that uses `unsafeLine` is stopped before `release()`.
  let location: GPIOLineLocation
  let unsafeLine: OpaquePointer
  private let state = Locked(true)

  private init(location: GPIOLineLocation, line: OpaquePointer) {
    self.location = location
    self.unsafeLine = line
  }

  deinit {
    release()
  }

  /// Requests the located line as an output at logical level `initial`.
  static func output(
    _ location: GPIOLineLocation, initial: Bool, activeLow: Bool, drive: GPIOLineSpec.Drive,
    consumer: String
  ) throws -> GPIOLineRequest {
    let mode: gs_drive =
      switch drive {
      case .pushPull: GS_DRIVE_PUSH_PULL
      case .openDrain: GS_DRIVE_OPEN_DRAIN
      case .openSource: GS_DRIVE_OPEN_SOURCE
      }
    return try request(location, as: "an output") {
      gs_request_output(
        location.chipPath, UInt32(location.offset), consumer, initial ? 1 : 0, activeLow, mode)
    }
  }

  /// Requests the located line as an input reporting `edges`.
  static func edges(
    _ location: GPIOLineLocation, edges: GPIOEdgeInput.Edges, activeLow: Bool, consumer: String
  ) throws -> GPIOLineRequest {
    let which: gs_edges =
      switch edges {
      case .rising: GS_EDGE_RISING
      case .falling: GS_EDGE_FALLING
      case .both: GS_EDGE_BOTH
      }
    return try request(location, as: "an edge input") {
      gs_request_edges(location.chipPath, UInt32(location.offset), consumer, which, activeLow)
    }
  }

  private static func request(
    _ location: GPIOLineLocation, as purpose: String, _ call: () -> OpaquePointer?
  ) throws -> GPIOLineRequest {
    do throws(CLibraryError) {
      let line = try CLibraryError.check(call(), "request \(location.displayName) as \(purpose)")
      return GPIOLineRequest(location: location, line: line)
    } catch {
      guard error.code == EBUSY else {
        throw GPIOFailure.requestFailed(location, as: purpose, error)
      }
      // Ask the kernel who holds it now: the holder named when the line was located may be gone.
      let holder = try? GPIOChipHandle(path: location.chipPath).lineInfo(location.offset)
      throw GPIOFailure.busy(
        location, consumer: holder?.consumer ?? location.line.consumer, cause: error)
    }
  }

  /// Runs `body` on the line unless it has been released.
  @discardableResult
  func withLine<Result>(
    _ operation: String, _ body: (OpaquePointer) throws(CLibraryError) -> Result
  ) throws -> Result {
    try state.withLock { live throws -> Result in
      guard live else {
        throw RigError(
          .internal, "GPIO \(location.displayName): cannot \(operation): the line was released")
      }
      do throws(CLibraryError) {
        return try body(unsafeLine)
      } catch {
        throw GPIOFailure.ioFailed(location.displayName, operation, error)
      }
    }
  }

  /// Gives the line back to the kernel; later calls do nothing.
  func release() {
    state.withLock { live in
      guard live else { return }
      live = false
      gs_release(unsafeLine)
    }
  }
}
