// SPDX-License-Identifier: Apache-2.0
import RigCore
import Subprocess

#if canImport(Glibc)
  import Glibc
#endif
#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// A program started through `ChildProcess`'s runner and left running while its starter does
/// other things: signals it, reads the files its output goes to, then waits for it. The tests
/// drive the `rig` executable this way.
///
/// The program belongs to a task that this value holds and that `wait`/`stop` await; the program
/// is stopped (SIGTERM, `ChildProcess.killGrace`, SIGKILL) when that task is cancelled, so a
/// `RunningProcess` dropped without waiting does not leave it behind.
public final class RunningProcess: Sendable {
  /// Its process id.
  public let pid: pid_t
  private let run: Task<CommandExecution.End, Never>
  /// Set by the task when the program has ended, before `exited` is finished.
  private let ended: Locked<CommandExecution.End?>
  /// Finished when the program has ended: wakes whoever waits.
  private let exited: DeadlineQueue<Bool>

  /// Starts `executable` with its standard streams on the descriptors given (-1: /dev/null).
  /// The descriptors stay the caller's.
  /// - Throws: `SystemError` (call "spawn") when the program cannot be started.
  public static func start(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    workingDirectory: String? = nil, input: Int32 = -1, output: Int32 = -1, error: Int32 = -1
  ) async throws -> RunningProcess {
    let configuration = Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(arguments),
      environment: environment.isEmpty ? .inherit : .inherit.updating(ChildProcess.keyed(environment)),
      workingDirectory: workingDirectory.map { FilePath($0) },
      platformOptions: ChildProcess.stoppingOptions())
    let streams = try Streams(input: input, output: output, error: error)
    let started = DeadlineQueue<pid_t>(capacity: 1)
    let failure = Locked<SystemError?>(nil)
    let ended = Locked<CommandExecution.End?>(nil)
    let exited = DeadlineQueue<Bool>(capacity: 1)
    let run = Task { () -> CommandExecution.End in
      var end = CommandExecution.End.signalled(SIGKILL)
      do {
        let result = try await Subprocess.run(
          configuration,
          input: .fileDescriptor(streams.input, closeAfterSpawningProcess: false),
          output: .fileDescriptor(streams.output, closeAfterSpawningProcess: false),
          error: .fileDescriptor(streams.error, closeAfterSpawningProcess: false)
        ) { execution in
          started.push(execution.processIdentifier.value)
        }
        switch result.terminationStatus {
        case .exited(let code): end = .exited(code)
        case .signaled(let signal): end = .signalled(signal)
        }
      } catch let error as SubprocessError {
        failure.set(ChildProcess.startFailure(error, executable: executable))
      } catch {}
      streams.close()
      started.finish()
      ended.set(end)
      exited.finish()
      return end
    }
    guard let pid = try await started.next(until: .now + .seconds(60)) else {
      run.cancel()
      throw failure.value ?? SystemError(code: ETIMEDOUT, call: "spawn", path: executable)
    }
    return RunningProcess(pid: pid, run: run, ended: ended, exited: exited)
  }

  private init(
    pid: pid_t, run: Task<CommandExecution.End, Never>, ended: Locked<CommandExecution.End?>,
    exited: DeadlineQueue<Bool>
  ) {
    self.pid = pid
    self.run = run
    self.ended = ended
    self.exited = exited
  }

  deinit {
    run.cancel()
  }

  /// Sends `signal` (SIGINT, SIGTERM, SIGKILL) unless the program has already ended.
  public func signal(_ signal: Int32) {
    guard isRunning else { return }
    kill(pid, signal)
  }

  /// Whether the program still runs.
  public var isRunning: Bool { ended.value == nil }

  /// How the program ended, waiting until `deadline` at most (nil: still running).
  public func wait(until deadline: ContinuousClock.Instant) async -> CommandExecution.End? {
    if let end = ended.value { return end }
    _ = try? await exited.next(until: deadline)
    return ended.value
  }

  /// Stops the program (SIGTERM, then SIGKILL after a grace) and returns how it ended.
  @discardableResult
  public func stop() async -> CommandExecution.End {
    run.cancel()
    return await run.value
  }
}

/// The descriptors a started program gets: the caller's, or /dev/null (opened here, closed once
/// the program has ended).
private struct Streams: Sendable {
  let input: FileDescriptor
  let output: FileDescriptor
  let error: FileDescriptor
  private let opened: [FileDescriptor]

  init(input: Int32, output: Int32, error: Int32) throws {
    var opened: [FileDescriptor] = []
    func resolve(_ fd: Int32, _ flags: Int32) throws -> FileDescriptor {
      if fd >= 0 { return FileDescriptor(rawValue: fd) }
      let null = open("/dev/null", flags | O_CLOEXEC)
      guard null >= 0 else { throw SystemError.last("open", "/dev/null") }
      opened.append(FileDescriptor(rawValue: null))
      return FileDescriptor(rawValue: null)
    }
    self.input = try resolve(input, O_RDONLY)
    self.output = try resolve(output, O_WRONLY)
    self.error = try resolve(error, O_WRONLY)
    self.opened = opened
  }

  func close() {
    for fd in opened { try? fd.close() }
  }
}
