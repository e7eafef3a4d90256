// SPDX-License-Identifier: Apache-2.0
import RigCore
import Synchronization
import Testing

@testable import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// The thread that waits on a line request's descriptor, exercised on a pipe.
@Suite(.timeLimit(.minutes(1))) struct GPIODescriptorWatcherTests {
  final class Pipe: Sendable {
    let read: Int32
    let write: Int32
    let writeClosed = Mutex(false)

    init() throws {
      var ends: [Int32] = [0, 0]
      try #require(pipe(&ends) == 0)
      read = ends[0]
      write = ends[1]
    }

    deinit {
      close(read)
      closeWriteEnd()
    }

    func send(_ text: String) {
      let bytes = Array(text.utf8)
      _ = bytes.withUnsafeBytes { Glibc.write(write, $0.baseAddress, $0.count) }
    }

    func closeWriteEnd() {
      writeClosed.withLock { closed in
        if !closed { close(write) }
        closed = true
      }
    }
  }

  @Test("each time the descriptor becomes readable the callback runs on the watcher's thread")
  func readable() async throws {
    let pipe = try Pipe()
    let received = DeadlineQueue<String>()
    let watcher = try DescriptorWatcher(
      fd: pipe.read, name: "test watcher",
      onReadable: {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(pipe.read, $0.baseAddress, $0.count) }
        received.push(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self))
        return .keepWatching
      },
      onHangUp: { _ in received.push("hang-up") })
    pipe.send("one")
    #expect(try await received.next(until: .now + .seconds(10)) == "one")
    pipe.send("two")
    #expect(try await received.next(until: .now + .seconds(10)) == "two")
    watcher.stop()
    watcher.stop()
    pipe.send("three")
    #expect(received.poll() == nil, "nothing runs after stop() has returned")
  }

  @Test("a callback that asks to stop ends the thread")
  func callbackStops() async throws {
    let pipe = try Pipe()
    let calls = DeadlineQueue<Int>()
    let count = Mutex(0)
    let watcher = try DescriptorWatcher(
      fd: pipe.read, name: "test watcher",
      onReadable: {
        calls.push(
          count.withLock {
            $0 += 1
            return $0
          })
        return .stop
      },
      onHangUp: { _ in calls.push(-1) })
    pipe.send("x")
    #expect(try await calls.next(until: .now + .seconds(10)) == 1)
    watcher.stop()
    #expect(
      count.withLock { $0 } == 1, "the thread ended after the first callback, though data is left")
  }

  @Test("a descriptor that hangs up is reported once and the thread ends")
  func hangUp() async throws {
    let pipe = try Pipe()
    let reasons = DeadlineQueue<String>()
    let watcher = try DescriptorWatcher(
      fd: pipe.read, name: "test watcher", onReadable: { .keepWatching },
      onHangUp: { why in reasons.push(why) })
    pipe.closeWriteEnd()
    #expect(try await reasons.next(until: .now + .seconds(10)) == "the device went away")
    watcher.stop()
    #expect(reasons.poll() == nil)
  }
}
