// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem
import RigTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The one thread that waits on descriptors, exercised on a pipe.
@Suite(.timeLimit(.minutes(TestTime.minutes(1)))) struct DescriptorReaderTests {
  final class Pipe: Sendable {
    let read: Int32
    let write: Int32
    let writeClosed = Locked(false)

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

  /// Calls `onReadable` at each readability, `onHangUp` once at a hang-up (then ends).
  struct Watch: DescriptorHandler {
    let onReadable: @Sendable () -> DescriptorReader.Next
    let onHangUp: @Sendable (String) -> Void

    func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next {
      switch event {
      case .ready(let readiness) where readiness.contains(.readable): return onReadable()
      case .ready:
        onHangUp("the device went away")
        return .stop
      case .failed(let error):
        onHangUp(error.description)
        return .stop
      case .started, .woken, .timedOut: return .wait(.readable)
      }
    }
  }

  @Test("each time the descriptor becomes readable the handler runs on the reader's thread")
  func readable() async throws {
    let pipe = try Pipe()
    let received = DeadlineQueue<String>()
    let watcher = try DescriptorReader(
      fd: pipe.read, name: "test watcher",
      handler: Watch(onReadable: {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(pipe.read, $0.baseAddress, $0.count) }
        received.push(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self))
        return .wait(.readable)
      },
      onHangUp: { _ in received.push("hang-up") }))
    pipe.send("one")
    #expect(try await received.next(until: .now + .seconds(10)) == "one")
    pipe.send("two")
    #expect(try await received.next(until: .now + .seconds(10)) == "two")
    watcher.stop()
    watcher.stop()
    pipe.send("three")
    #expect(received.poll() == nil, "nothing runs after stop() has returned")
  }

  @Test("a handler that asks to stop ends the thread")
  func callbackStops() async throws {
    let pipe = try Pipe()
    let calls = DeadlineQueue<Int>()
    let count = Locked(0)
    let watcher = try DescriptorReader(
      fd: pipe.read, name: "test watcher",
      handler: Watch(onReadable: {
        calls.push(
          count.withLock {
            $0 += 1
            return $0
          })
        return .stop
      },
      onHangUp: { _ in calls.push(-1) }))
    pipe.send("x")
    #expect(try await calls.next(until: .now + .seconds(10)) == 1)
    watcher.stop()
    #expect(
      count.withLock { $0 } == 1, "the thread ended after the first turn, though data is left")
  }

  @Test("a descriptor that hangs up is reported once and the thread ends")
  func hangUp() async throws {
    let pipe = try Pipe()
    let reasons = DeadlineQueue<String>()
    let watcher = try DescriptorReader(
      fd: pipe.read, name: "test watcher",
      handler: Watch(onReadable: { .wait(.readable) }, onHangUp: { why in reasons.push(why) }))
    pipe.closeWriteEnd()
    #expect(try await reasons.next(until: .now + .seconds(10)) == "the device went away")
    watcher.stop()
    #expect(reasons.poll() == nil)
  }

  @Test("a writer waits for room on the reader's thread: false at its deadline, true once there is room")
  func writable() async throws {
    let pipe = try Pipe()
    _ = fcntl(pipe.write, F_SETFL, fcntl(pipe.write, F_GETFL) | O_NONBLOCK)
    let chunk = [UInt8](repeating: 0x55, count: 4096)
    while chunk.withUnsafeBytes({ Glibc.write(pipe.write, $0.baseAddress, $0.count) }) > 0 {}
    let reader = try DescriptorReader(
      fd: pipe.write, name: "test writer",
      handler: Watch(onReadable: { .wait(.readable) }, onHangUp: { _ in }))
    #expect(await reader.writable(until: .now + .milliseconds(100)) == false, "the pipe is full")
    let drain = Task.detached {
      try await Task.sleep(for: .milliseconds(100))
      var buffer = [UInt8](repeating: 0, count: 65536)
      _ = buffer.withUnsafeMutableBytes { Glibc.read(pipe.read, $0.baseAddress, $0.count) }
    }
    #expect(await reader.writable(until: TestTime.deadline(in: .seconds(20))), "room again")
    try await drain.value
    reader.stop()
    #expect(await reader.writable(until: .now + .seconds(20)) == false, "a stopped reader says no")
  }

  /// Counts turns of each kind and asks for a short timeout.
  struct Turns: DescriptorHandler {
    let seen: DeadlineQueue<String>
    var timeout: Duration?
    func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next {
      switch event {
      case .started: seen.push("started")
      case .woken: seen.push("woken")
      case .timedOut: seen.push("timed out")
      case .ready, .failed: seen.push("other")
      }
      return .wait(DescriptorReader.Interest(.readable, timeout: timeout))
    }
  }

  @Test("wake() gives one turn, and a timeout gives a turn of its own")
  func wakeAndTimeout() async throws {
    let pipe = try Pipe()
    let seen = DeadlineQueue<String>()
    let reader = try DescriptorReader(fd: pipe.read, name: "test turns", handler: Turns(seen: seen))
    #expect(try await seen.next(until: .now + .seconds(10)) == "started")
    reader.wake()
    #expect(try await seen.next(until: .now + .seconds(10)) == "woken")
    reader.stop()

    let timed = DeadlineQueue<String>()
    let timing = try DescriptorReader(
      fd: pipe.read, name: "test timeout", handler: Turns(seen: timed, timeout: .milliseconds(50)))
    #expect(try await timed.next(until: .now + .seconds(10)) == "started")
    #expect(try await timed.next(until: .now + .seconds(10)) == "timed out")
    timing.stop()
  }

  @Test("a handler may stop its own reader without waiting for itself")
  func stopFromHandler() async throws {
    let pipe = try Pipe()
    let box = Locked<DescriptorReader?>(nil)
    let done = DeadlineQueue<Bool>()
    let reader = try DescriptorReader(
      fd: pipe.read, name: "test self-stop",
      handler: Watch(
        onReadable: {
          box.value?.stop()
          done.push(true)
          return .wait(.readable)
        }, onHangUp: { _ in }))
    box.set(reader)
    pipe.send("x")
    #expect(try await done.next(until: .now + .seconds(10)) == true)
    #expect(await TestWait.until { reader.hasEnded })
    box.set(nil)
  }

  @Test("the controller of a pseudo-terminal nobody has open is waited on, not spun on")
  func waitForPeer() async throws {
    let terminal = try PseudoTerminal()
    let chunks = DeadlineQueue<SerialChunk>()
    let reader = try DescriptorReader(
      fd: terminal.controller, name: "test peer", hangUp: .waitForPeer,
      handler: ReadingHandler(
        endOfFile: .isEmptyRead, peerMayReturn: true, onBytes: { chunks.push($0) }, onEnd: { _ in }))
    // Nobody has the device side open: no turn arrives, and the thread stays alive.
    try await Task.sleep(for: .milliseconds(100))
    #expect(!reader.hasEnded)
    let device = open(terminal.devicePath, O_RDWR | O_NOCTTY)
    #expect(device >= 0)
    _ = Array("hi".utf8).withUnsafeBytes { Glibc.write(device, $0.baseAddress, $0.count) }
    #expect(try await chunks.next(until: .now + .seconds(10))?.bytes == Array("hi".utf8))
    reader.stop()
    close(device)
    terminal.close()
  }
}

/// Polls a condition until it holds, for at most `timeout`.
enum TestWait {
  static func until(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }
}
