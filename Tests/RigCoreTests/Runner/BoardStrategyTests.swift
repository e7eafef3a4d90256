// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

/// The board's moves between off and booted, on a scripted bench and its clock.
@Suite("Board strategy")
struct BoardStrategyTests {
  let bench: ScriptedBench
  let console: ConsoleMonitor
  let strategy: BoardStrategy
  let announced = Locked<[String]>([])

  init(_ script: DUTScript = DUTScript()) {
    bench = ScriptedBench(script: script)
    console = ConsoleMonitor(link: bench.bench.console, clock: bench.clock.host)
    let announced = announced
    strategy = BoardStrategy(bench: bench.bench, console: console) { change in
      announced.withLock { $0.append(change.state) }
    }
  }

  @Test func bootCyclesThePowerWaitsForTheBootRecordAndSaysHello() async throws {
    let (identity, nonce) = try await strategy.boot()
    #expect(identity == DUTScript.defaultIdentity)
    #expect(nonce != 0)
    #expect(strategy.state == .booted(identity: identity, nonce: nonce))
    #expect(bench.observations == [.power(.off), .power(.on), .booted(resetCause: "por"), .command("hello")])
    #expect(announced.value == ["off", "booting", "booted"])
    // Held off for the rig's power-off time, then the board's boot time.
    #expect(bench.clock.elapsed >= .milliseconds(200) + bench.script.bootTime)
  }

  @Test func aBootedBoardIsNotBootedAgainUntilItsStateIsForgotten() async throws {
    let first = try await strategy.ensureBooted()
    let again = try await strategy.ensureBooted()
    #expect(first.nonce == again.nonce)
    #expect(bench.boots == 1)
    strategy.invalidate()
    #expect(strategy.state == .unknown)
    let third = try await strategy.ensureBooted()
    #expect(bench.boots == 2)
    // A fresh nonce for every boot: nothing printed before it counts after.
    #expect(third.nonce != first.nonce)
  }

  @Test func whatTheConsoleSaidBeforeThePowerCycleIsDiscarded() async throws {
    var old = DUTScript.defaultIdentity
    old.firmwareVersion = "0.9-before-the-cycle"
    bench.print(String(decoding: TelemetryEncoder.encode(TelemetryMessage(nonce: 0, record: .boot(old))), as: UTF8.self))
    let (identity, _) = try await strategy.boot()
    #expect(identity.firmwareVersion == DUTScript.defaultIdentity.firmwareVersion)
  }

  @Test func aBoardThatNeverBootsTimesOutNamingTheWait() async throws {
    var script = DUTScript()
    script.boots = { _ in false }
    let silent = BoardStrategyTests(script)
    silent.bench.print("ROM bootloader v1\r\n")
    let error = try await #require(throws: RigError.self) { try await silent.strategy.boot() }
    #expect(error.code == .timedOut)
    #expect(error.message.hasPrefix("no boot record from the board within 10.0 seconds of power on"))
    #expect(error.message.contains("ROM bootloader v1") == false)  // discarded with the power cycle
    #expect(silent.bench.clock.elapsed >= .seconds(10))
  }

  @Test func powerOffIsAnnouncedOnce() async throws {
    try await strategy.powerOff()
    try await strategy.powerOff()
    #expect(announced.value == ["off"])
    #expect(bench.powerSwitches == [.off, .off])
    #expect(bench.clock.elapsed == .zero)
  }

  @Test func cancelledWhileHeldOffThePowerStaysOff() async throws {
    let bench = ScriptedBench(script: DUTScript().cancelling { $0 == .power(.off) })
    let thrown = await Task { () -> (any Error)? in
      let console = ConsoleMonitor(link: bench.bench.console, clock: bench.clock.host)
      let strategy = BoardStrategy(bench: bench.bench, console: console) { _ in }
      do {
        try await strategy.boot()
        return nil
      } catch {
        return error
      }
    }.value
    #expect(thrown is CancellationError)
    #expect(bench.powerSwitches == [.off])
  }
}
