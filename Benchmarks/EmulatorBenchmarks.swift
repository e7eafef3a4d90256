// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator

/// How raw bytes are written into the tty for the baseline.
enum RawWriter {
  /// rig's own serial link, in 64 KiB batches, as the emulator driver writes.
  case termiosLink
  /// A thread doing blocking writes of 64 KiB: what the kernel's tty can carry.
  case blockingThread
}

/// Bytes per second moved through one pseudo-terminal with nothing but a reader on the other
/// side: the tty's raw rate, written by `writer`, read at most as fast as `linkBytesPerSecond`
/// allows (0: no limit), paced exactly as the simulated emulator paces its link.
func rawPseudoTerminalRate(bytes total: Int, writer: RawWriter, linkBytesPerSecond: Double = 0) async throws -> Double {
  let terminal = try PseudoTerminal()
  let holder = open(terminal.devicePath, O_RDWR | O_NOCTTY)
  let drained = DispatchSemaphore(value: 0)
  let expected = total
  let reader = Thread {
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var pacer = LinkPacer(bytesPerSecond: linkBytesPerSecond)
    var got = 0
    while got < expected {
      let wait = pacer.wait()
      if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
      let size = pacer.isLimited ? pacer.chunk : buffer.count
      let n = buffer.withUnsafeMutableBytes { read(terminal.controller, $0.baseAddress, size) }
      if n > 0 {
        got += n
        pacer.took(n)
      } else if n < 0 && errno != EINTR && errno != EAGAIN {
        break
      }
    }
    drained.signal()
  }
  reader.start()
  let link = try TermiosSerialLink(path: terminal.devicePath, baud: 115_200)
  let batch = [UInt8](repeating: 0x5A, count: 64 * 1024)
  let start = ContinuousClock.now
  switch writer {
  case .termiosLink:
    var sent = 0
    while sent < total {
      let n = min(batch.count, total - sent)
      try await link.write(n == batch.count ? batch : Array(batch.prefix(n)), deadline: .now + .seconds(30))
      sent += n
    }
  case .blockingThread:
    let fd = open(terminal.devicePath, O_WRONLY | O_NOCTTY)
    let written = DispatchSemaphore(value: 0)
    let thread = Thread {
      var sent = 0
      while sent < total {
        let n = batch.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, total - sent)) }
        if n > 0 { sent += n } else if errno != EINTR { break }
      }
      written.signal()
    }
    thread.start()
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        written.wait()
        done.resume()
      }
    }
    close(fd)
  }
  await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
    DispatchQueue.global().async {
      drained.wait()
      done.resume()
    }
  }
  let seconds = (ContinuousClock.now - start).seconds
  await link.close()
  close(holder)
  terminal.close()
  return Double(total) / seconds
}

/// Frames streamed in lockstep through the link protocol to the simulated emulator on a
/// pseudo-terminal, with its virtual DUT reading each one, as a test session streams a clip.
struct StreamRun {
  var frames: Int
  var frameBytes: Int
  var seconds: Double
  var bytesPerSecond: Double { Double(frames * frameBytes) / seconds }
  var framesPerSecond: Double { Double(frames) / seconds }
}

func streamOverPseudoTerminal(
  frames: Int, setup: CameraSetup, linkBytesPerSecond: Double = 0, frame: (Int) throws -> EmulatorFrame
) async throws -> StreamRun {
  let emulator = try SimulatedEmulator(
    pseudoTerminal: true, readsFrames: true, linkBytesPerSecond: linkBytesPerSecond)
  let link = try TermiosSerialLink(path: emulator.devicePath!, baud: 115_200)
  let camera = LinkCameraEmulator(link: link)
  let deadline = ContinuousClock.now + .seconds(600)
  try await camera.reset(deadline: deadline)
  try await camera.configure(setup, deadline: deadline)
  var sent = 0
  var captured = 0
  var read = 0
  var bytes = 0
  let start = ContinuousClock.now
  while read < frames {
    // Refilled in batches once half the queue is used, as a session does: one wake-up of each
    // side per batch rather than per frame.
    if sent - captured <= camera.queueCapacity / 2 {
      while sent < frames && sent - captured < camera.queueCapacity {
        let f = try frame(sent)
        bytes = f.bytes.count
        try await camera.enqueue(f, deadline: deadline)
        sent += 1
      }
    }
    guard let event = try await camera.nextEvent(until: deadline) else { fatalError("no emulator event") }
    switch event {
    case .captureDone(_, let index, _, _): captured = max(captured, index + 1)
    case .readDone: read += 1
    default: break
    }
  }
  let seconds = (ContinuousClock.now - start).seconds
  await link.close()
  await emulator.close()
  return StreamRun(frames: frames, frameBytes: bytes, seconds: seconds)
}

/// The link rate of a USB full-speed CDC port as emulator firmware achieves it (12 Mbit/s on the
/// wire, about 1 MB/s of payload).
let usbLinkRate = 1_000_000.0

/// Frame streaming to the emulator over a tty: the upload rate against the tty's raw rate (and
/// against raw writes through rig's own link), and frames/s for 96×96 gray and QVGA RGB565.
func emulatorBenchmarks(_ files: BenchmarkFiles) async throws -> [Figure] {
  let gray = (0..<64).map { i in EmulatorFrame(index: i, bytes: (0..<9216).map { UInt8(truncatingIfNeeded: $0 &+ i &* 7) }) }
  let qvga = (0..<8).map { i in
    EmulatorFrame(index: i, bytes: (0..<153_600).map { UInt8(truncatingIfNeeded: $0 &* 3 &+ i) })
  }
  func grayFrame(_ i: Int) -> EmulatorFrame { EmulatorFrame(index: i, bytes: gray[i % gray.count].bytes) }
  func qvgaFrame(_ i: Int) -> EmulatorFrame { EmulatorFrame(index: i, bytes: qvga[i % qvga.count].bytes) }

  // Warm up each path once, then take the median of three of each, interleaved so that load
  // from the rest of the machine hits them alike.
  _ = try await rawPseudoTerminalRate(bytes: 8 << 20, writer: .blockingThread)
  _ = try await streamOverPseudoTerminal(frames: 200, setup: .init(format: .gray8, width: 96, height: 96), frame: grayFrame)
  var ceiling: [Double] = []
  var linkRaw: [Double] = []
  var pacedRaw: [Double] = []
  var grayRuns: [StreamRun] = []
  var pacedRuns: [StreamRun] = []
  var qvgaRuns: [StreamRun] = []
  let grayFormat = CameraSetup(format: .gray8, width: 96, height: 96)
  for _ in 0..<3 {
    ceiling.append(try await rawPseudoTerminalRate(bytes: 256 << 20, writer: .blockingThread))
    linkRaw.append(try await rawPseudoTerminalRate(bytes: 64 << 20, writer: .termiosLink))
    pacedRaw.append(
      try await rawPseudoTerminalRate(bytes: 3 << 20, writer: .blockingThread, linkBytesPerSecond: usbLinkRate))
    pacedRuns.append(
      try await streamOverPseudoTerminal(
        frames: 300, setup: grayFormat, linkBytesPerSecond: usbLinkRate, frame: grayFrame))
    grayRuns.append(try await streamOverPseudoTerminal(frames: 6_000, setup: grayFormat, frame: grayFrame))
    qvgaRuns.append(
      try await streamOverPseudoTerminal(frames: 300, setup: .init(format: .rgb565be, width: 320, height: 240), frame: qvgaFrame))
  }
  let rawRate = median(ceiling)
  let linkRate = median(linkRaw)
  let pacedRawRate = median(pacedRaw)
  let pacedRate = median(pacedRuns.map(\.bytesPerSecond))
  let grayRate = median(grayRuns.map(\.bytesPerSecond))
  // What an 8 MHz SPI bus (the ArduChip's maximum) can carry: the link must not be slower.
  let spiBytesPerSecond = 8e6 / 8
  return [
    Figure(
      name: "frame upload, 96×96 gray8, over a tty carrying 1 MB/s, vs. its raw rate", value: pacedRate / pacedRawRate,
      unit: "×", limit: 0.9, direction: .atLeast,
      note: "lockstep stream to the simulated emulator, a DUT reading every frame, the tty delivering at most "
        + "1 MB/s (a USB full-speed CDC port): \(MetricFormat.format3(pacedRate / 1e6)) MB/s of frame bytes; "
        + "raw bytes through the same pacing: \(MetricFormat.format3(pacedRawRate / 1e6)) MB/s (median of 3 each)"),
    Figure(
      name: "frame upload, 96×96 gray8, unpaced tty, vs. raw bytes through rig's termios link", value: grayRate / linkRate,
      unit: "×", limit: 0.9, direction: .atLeast,
      note: "\(MetricFormat.format3(grayRate / 1e6)) MB/s of frames against raw 64 KiB writes through "
        + "TermiosSerialLink at \(MetricFormat.format3(linkRate / 1e6)) MB/s; a blocking writer thread moves "
        + "\(MetricFormat.format3(rawRate / 1e6)) MB/s (ratio \(MetricFormat.format3(grayRate / rawRate))): unpaced, "
        + "the copies and checksums at both ends are the limit, not the link"),
    Figure(
      name: "frames/s, 96×96 gray8 over a pseudo-terminal", value: median(grayRuns.map(\.framesPerSecond)),
      unit: "frames/s", limit: spiBytesPerSecond / 9216, direction: .atLeast,
      note: "limit: what an 8 MHz SPI bus carries (the link must not be the bottleneck); 6,000 frames"),
    Figure(
      name: "frames/s, QVGA RGB565 over a pseudo-terminal", value: median(qvgaRuns.map(\.framesPerSecond)),
      unit: "frames/s", limit: spiBytesPerSecond / 153_600, direction: .atLeast,
      note: "limit: what an 8 MHz SPI bus carries; 300 frames. One frame fits beside the one the DUT "
        + "holds in 256 KiB, so each upload waits for the DUT to let go of the previous frame"),
  ]
}

/// Peak RSS of a process streaming a clip from disk through the emulator path, 10,000 and
/// 100,000 frames.
func emulatorMemory(_ files: BenchmarkFiles) throws -> [Figure] {
  let me = URL(fileURLWithPath: CommandLine.arguments[0])
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  var peaks: [Int: ChildRun] = [:]
  for frames in [10_000, 100_000] {
    let clip = try files.longClip(name: "memory-\(frames)", frames: frames)
    let run = spawnMeasured(me, [emulatorStreamChildArgument, clip.path], in: here)
    guard run.status == 0 else { fatalError("streaming \(frames) frames through the emulator exited \(run.status)") }
    peaks[frames] = run
  }
  let small = Double(peaks[10_000]!.maxRSSBytes) / 1e6
  let large = Double(peaks[100_000]!.maxRSSBytes) / 1e6
  return [
    Figure(
      name: "peak RSS streaming a 100,000-frame clip through the emulator link", value: large, unit: "MB", limit: 50,
      direction: .atMost,
      note: "clip read from disk, converted, uploaded over a tty, read by the DUT: "
        + "\(MetricFormat.format3(peaks[100_000]!.seconds)) s"),
    Figure(
      name: "its growth from 10,000 to 100,000 frames", value: large / small, unit: "×", limit: 1.5, direction: .atMost,
      note: "\(MetricFormat.format3(small)) MB → \(MetricFormat.format3(large)) MB (flat = 1)"),
  ]
}

/// The argument that makes this executable stream one clip and exit (measured as a child).
let emulatorStreamChildArgument = "--emulator-stream-child"

/// Streams the clip at `path` through the emulator path and exits: the child of `emulatorMemory`.
func emulatorStreamChild(_ path: String) async throws {
  let clip = try ClipLoader.load(URL(fileURLWithPath: path), files: LocalFileAccess())
  let source = try EmulatorFrameSource(clip: clip, files: LocalFileAccess())
  let run = try await streamOverPseudoTerminal(
    frames: source.count, setup: .init(format: .gray8, width: clip.manifest.width, height: clip.manifest.height),
    frame: source.frame)
  print("\(run.frames) frames in \(run.seconds) s")
}
