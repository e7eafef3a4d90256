// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The handler of a descriptor that is only read: each readiness is one read, and what it returned
/// is passed on with the moment the read returned, so arrival times carry no polling quantum.
///
/// A read that would block or was interrupted is tried again at the next readiness. A descriptor
/// that keeps saying "readable" with nothing to read (a tty in raw non-blocking mode may say so
/// once) is paced with `DescriptorReader.backOff`. Anything else ends the reading: a failed read,
/// a hang-up, a closed descriptor, or end-of-file where that means the end.
public struct ReadingHandler: DescriptorHandler {
  /// Reads into the buffer without blocking: bytes read, 0 for nothing, or -1 with errno set.
  public typealias ReadOnce = @Sendable (Int32, UnsafeMutableRawBufferPointer) -> Int

  /// Why reading ended.
  public enum End: Sendable, Equatable {
    /// The device hung up or reported an error (POLLHUP, POLLERR).
    case hungUp
    /// End of file (a pipe or file whose writer is gone), for `endOfFile: .ends`.
    case endOfFile
    /// The descriptor was closed under the reader.
    case descriptorClosed
    /// A read (or poll) failed.
    case failed(SystemError)
  }

  /// What a read of 0 bytes means.
  public enum EndOfFile: Sendable {
    /// The end (pipes, files, standard input).
    case ends
    /// Nothing to read now (a tty in raw non-blocking mode).
    case isEmptyRead
  }

  public static let posixRead: ReadOnce = { fd, buffer in Glibc.read(fd, buffer.baseAddress, buffer.count) }

  private let read: ReadOnce
  private let endOfFile: EndOfFile
  private let peerMayReturn: Bool
  private let onBytes: @Sendable (SerialChunk) -> Void
  private let onEnd: @Sendable (End) -> Void
  private var buffer: [UInt8]
  private var emptyReads = 0

  /// - Parameters:
  ///   - peerMayReturn: EIO means "nobody has the other side open" (the controller side of a
  ///     pseudo-terminal) and is waited out rather than ending the reading.
  ///   - onBytes: each chunk read, on the reader's thread.
  ///   - onEnd: once, on the reader's thread, when reading ends for a reason of its own (not
  ///     when the reader is stopped).
  public init(
    bufferSize: Int = 4096, endOfFile: EndOfFile, peerMayReturn: Bool = false,
    read: @escaping ReadOnce = Self.posixRead, onBytes: @escaping @Sendable (SerialChunk) -> Void,
    onEnd: @escaping @Sendable (End) -> Void
  ) {
    self.read = read
    self.endOfFile = endOfFile
    self.peerMayReturn = peerMayReturn
    self.onBytes = onBytes
    self.onEnd = onEnd
    buffer = [UInt8](repeating: 0, count: bufferSize)
  }

  public mutating func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next {
    switch event {
    case .started, .woken, .timedOut:
      return .wait(.readable)
    case .failed(let error):
      onEnd(.failed(error))
      return .stop
    case .ready(let readiness):
      if readiness.contains(.invalid) {
        onEnd(.descriptorClosed)
        return .stop
      }
      return readOnce(fd: fd, hungUp: readiness.contains(.hangUp))
    }
  }

  private mutating func readOnce(fd: Int32, hungUp: Bool) -> DescriptorReader.Next {
    let read = self.read
    let n = buffer.withUnsafeMutableBytes { read(fd, $0) }
    let arrival = ContinuousClock.now
    if n > 0 {
      emptyReads = 0
      onBytes(SerialChunk(bytes: Array(buffer[0..<n]), arrival: arrival))
      return .wait(.readable)
    }
    if n < 0 {
      let error = SystemError.last("read")
      if peerMayReturn && error.code == EIO { return .pause(then: .readable) }
      if !error.isTransient {
        onEnd(.failed(error))
        return .stop
      }
    }
    if hungUp {
      onEnd(.hungUp)
      return .stop
    }
    if n == 0 && endOfFile == .ends {
      onEnd(.endOfFile)
      return .stop
    }
    emptyReads += 1
    return emptyReads > 3 ? .pause(then: .readable) : .wait(.readable)
  }
}
