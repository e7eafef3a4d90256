// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Flattens a settings value (the simulated bench's knobs) into `name=value` properties by
/// reflection, so every knob is recorded in a run's identity, including knobs added later,
/// without a list to keep in step.
///
/// Names follow the rig file's spelling: `sim.latency.jitter_ms`, `sim.faults.0.kind`.
public enum SettingsProperties {
  public static func flatten(_ value: Any, prefix: String) -> [RunResult.Property] {
    var out: [RunResult.Property] = []
    add(value, name: prefix, to: &out)
    return out
  }

  private static func add(_ value: Any, name: String, to out: inout [RunResult.Property]) {
    switch value {
    case let duration as Duration:
      out.append(.init(name, DurationParser.format(duration)))
      return
    case let url as URL:
      out.append(.init(name, url.displayPath))
      return
    case let number as Double:
      out.append(.init(name, MetricFormat.number(number)))
      return
    case let text as String:
      out.append(.init(name, text))
      return
    case let convertible as any RawRepresentable:
      out.append(.init(name, "\(convertible.rawValue)"))
      return
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
      if let wrapped = mirror.children.first { add(wrapped.value, name: name, to: &out) }
    case .collection, .set:
      for (index, child) in mirror.children.enumerated() {
        add(child.value, name: "\(name).\(index)", to: &out)
      }
    case .struct, .class:
      for child in mirror.children {
        guard let label = child.label else { continue }
        add(child.value, name: "\(name).\(snakeCase(label))", to: &out)
      }
    case .dictionary:
      let entries = mirror.children.compactMap { child -> (String, Any)? in
        let pair = Mirror(reflecting: child.value).children.map(\.value)
        guard pair.count == 2 else { return nil }
        return ("\(pair[0])", pair[1])
      }
      for (key, child) in entries.sorted(by: { $0.0 < $1.0 }) {
        add(child, name: "\(name).\(key)", to: &out)
      }
    default:
      out.append(.init(name, "\(value)"))
    }
  }

  /// `jitterMs` → `jitter_ms`, `cpuHz` → `cpu_hz`.
  static func snakeCase(_ name: String) -> String {
    var result = ""
    for character in name {
      if character.isUppercase {
        if !result.isEmpty { result += "_" }
        result += character.lowercased()
      } else {
        result.append(character)
      }
    }
    return result
  }
}
