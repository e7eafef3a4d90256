// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `rig devices --json`, run as a user would run it on a bench, must list the emulated USB
/// serial port with its USB ids, serial number and by-id name.
struct DevicesCommandCheck {
  /// The `rig` binary in the guest.
  let rig: String

  func run(_ run: inout CheckRun) async {
    var entry = ""
    await run.check("rig devices --json lists ttyUSB0 with vid 0403, serial and by-id path") {
      let devices = try await RigInvocation.run(rig, ["devices", "--json"])
      let output = devices.output
      try expect(
        devices.status == 0, "rig devices --json exited \(devices.status): \(devices.text)")
      let json: Any
      do {
        json = try JSONSerialization.jsonObject(with: output)
      } catch {
        throw CheckFailure(
          "output is not JSON (\(error)): \(String(decoding: output, as: UTF8.self))")
      }
      // The port's entry is the object with the device path as one of its own values; the
      // names of its fields are rig's to choose, the values are the kernel's.
      let holders = Self.objects(in: json).filter { object in
        object.values.contains { ($0 as? String) == SerialChecks.usbPort }
      }
      guard let port = holders.first else {
        throw CheckFailure(
          "no entry for \(SerialChecks.usbPort) in \(String(decoding: output, as: UTF8.self))")
      }
      let values = Self.strings(in: port)
      let shown = String(describing: port)
      try expect(values.contains("0403"), "no vid 0403 in \(shown)")
      try expect(values.contains("6001"), "no pid 6001 in \(shown)")
      try expect(
        values.contains(SerialChecks.usbSerial), "no serial \(SerialChecks.usbSerial) in \(shown)")
      try expect(
        values.contains {
          $0.hasPrefix("/dev/serial/by-id/") && $0.contains(SerialChecks.usbSerial)
        },
        "no /dev/serial/by-id path in \(shown)")
      let compact = try? JSONSerialization.data(
        withJSONObject: port, options: [.sortedKeys, .withoutEscapingSlashes])
      entry = compact.map { String(decoding: $0, as: UTF8.self) } ?? shown
    }
    if !entry.isEmpty { run.emit("rig devices --json: \(entry)") }
  }

  /// Every JSON object in `value`, outermost first.
  static func objects(in value: Any) -> [[String: Any]] {
    switch value {
    case let object as [String: Any]: [object] + object.values.flatMap(objects(in:))
    case let array as [Any]: array.flatMap(objects(in:))
    default: []
    }
  }

  /// Every string anywhere inside `value`.
  static func strings(in value: Any) -> [String] {
    switch value {
    case let string as String: [string]
    case let object as [String: Any]: object.values.flatMap(strings(in:))
    case let array as [Any]: array.flatMap(strings(in:))
    default: []
    }
  }
}
