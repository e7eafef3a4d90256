// SPDX-License-Identifier: Apache-2.0

/// Where a pool's run puts each rig's part, relative to the run folder: `rigs/<rig>/` holds the
/// rig's own `events.ndjson` and `artifacts/<test>/`, and `rigs/<rig>/health/` its health check.
enum PoolLayout {
  static func rigFolder(_ rig: String) -> String { "rigs/\(rig)" }
  static func healthFolder(_ rig: String) -> String { "rigs/\(rig)/health" }
}
