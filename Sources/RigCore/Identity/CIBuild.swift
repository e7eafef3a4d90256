// SPDX-License-Identifier: Apache-2.0

/// The CI build a run belongs to, from the variables each CI system sets, so a nightly's history
/// entry leads back to its pipeline.
public struct CIBuild: Sendable, Equatable {
  /// `github`, `gitlab`, `buildkite`, `jenkins`, `azure` or `circleci`.
  public var system: String
  public var id: String
  /// A link to the build, where the system gives one.
  public var url: String?

  public init(system: String, id: String, url: String? = nil) {
    self.system = system
    self.id = id
    self.url = url
  }

  /// Each system's build-id variable and build-link variable, most specific first (Jenkins'
  /// `BUILD_ID` is generic enough that other tools set it too, so it comes last).
  static let known: [(system: String, id: String, url: String?)] = [
    ("github", "GITHUB_RUN_ID", nil), ("gitlab", "CI_PIPELINE_ID", "CI_PIPELINE_URL"),
    ("buildkite", "BUILDKITE_BUILD_ID", "BUILDKITE_BUILD_URL"), ("azure", "BUILD_BUILDID", nil),
    ("circleci", "CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_URL"), ("jenkins", "BUILD_TAG", "BUILD_URL"),
    ("jenkins", "BUILD_ID", "BUILD_URL"),
  ]

  /// The build named by `environment`, or nil outside CI.
  public static func from(environment: [String: String]) -> CIBuild? {
    for entry in known {
      if let id = environment[entry.id], !id.isEmpty {
        var url = entry.url.flatMap { environment[$0] }
        if entry.system == "github", let server = environment["GITHUB_SERVER_URL"],
          let repository = environment["GITHUB_REPOSITORY"]
        {
          url = "\(server)/\(repository)/actions/runs/\(id)"
        }
        return CIBuild(system: entry.system, id: id, url: url)
      }
    }
    return nil
  }
}
