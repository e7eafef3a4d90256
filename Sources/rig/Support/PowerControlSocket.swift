// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// The power input of a standalone simulated board (`rig sim board`): a unix socket in the
/// board's folder that takes one request per connection (`on`, `off` or `status`, a line) and
/// answers with the supply's state, or `error: …`. `rig sim power DIR on|off` is the client, so a
/// hardware rig file switches the board with `power: { command: … }` as it would a USB hub port.
///
/// A socket rather than a FIFO: the client learns that a board is listening, and waits for the
/// switch to have happened before it exits, which is what a power command promises.
final class PowerControlSocket {
  /// The socket's file name inside the board's folder.
  static let fileName = "power"
  /// How long either side waits for the other's line.
  static let patience: Duration = .seconds(5)

  let path: String
  private let source: any DispatchSourceRead

  /// Listens on `path`, answering each request with `handle`'s reply. A socket left there by a
  /// board that was killed is replaced; one a live board listens on is an error.
  init(path: String, handle: @escaping @Sendable (String) async -> String) throws {
    if Self.isListening(path) {
      throw RigError(
        .usage, "a simulated board already listens on \(path); stop it, or choose another --dir")
    }
    unlink(path)
    var address = try Self.address(path)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw Self.failure("cannot create a unix socket for \(path)") }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard bound == 0, listen(fd, 8) == 0 else {
      let error = Self.failure("cannot listen on \(path)")
      close(fd)
      throw error
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    self.path = path
    source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
    source.setEventHandler {
      while true {
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { return }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        Self.setTimeout(connection)
        let request = Self.readLine(connection)
        Task {
          let reply = await handle(request)
          Self.writeAll(reply + "\n", to: connection)
          close(connection)
        }
      }
    }
    source.setCancelHandler { close(fd) }
    source.resume()
  }

  /// Stops listening and removes the socket file.
  func stop() {
    source.cancel()
    unlink(path)
  }

  // MARK: - Client

  /// Sends `request` to the board listening on `path` and returns its reply.
  /// - Throws: `hardwareUnavailable` when no board listens there or it does not answer.
  static func send(_ request: String, to path: String) throws -> String {
    var address = try address(path)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw failure("cannot create a unix socket") }
    defer { close(fd) }
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard connected == 0 else {
      let code = errno
      let folder = (path as NSString).deletingLastPathComponent
      let why =
        code == ENOENT || code == ECONNREFUSED
        ? "no simulated board listens on \(path)"
        : "cannot reach the simulated board on \(path): \(ErrorText.posix(code))"
      throw RigError(
        .hardwareUnavailable, "\(why) (start one with `rig sim board --dir \(folder)`)")
    }
    setTimeout(fd)
    writeAll(request + "\n", to: fd)
    shutdown(fd, Int32(SHUT_WR))
    let reply = readLine(fd)
    if reply.isEmpty {
      throw RigError(
        .hardwareUnavailable,
        "the simulated board on \(path) did not answer '\(request)' within "
          + DurationParser.format(patience))
    }
    return reply
  }

  /// Whether a board answers on `path` now.
  static func isListening(_ path: String) -> Bool {
    guard var address = try? address(path) else { return false }
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
      }
    }
  }

  // MARK: - Plumbing

  private static func address(_ path: String) throws -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity else {
      throw RigError(
        .usage,
        "\(path) is too long for a unix socket (at most \(capacity - 1) bytes); "
          + "choose a shorter folder")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    return address
  }

  private static func setTimeout(_ fd: Int32) {
    let seconds = patience.components.seconds
    var limit = timeval(tv_sec: Int(seconds), tv_usec: 0)
    for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
      setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
    }
  }

  /// One line (without its end), read until a newline, end of file or the timeout.
  private static func readLine(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while bytes.count < 256 {
      let n = read(fd, &byte, 1)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 || byte == UInt8(ascii: "\n") { break }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
  }

  private static func writeAll(_ text: String, to fd: Int32) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      offset += n
    }
  }

  private static func failure(_ what: String) -> RigError {
    RigError(.hardwareFault, what, cause: SystemError.last("socket"))
  }
}
