import ArgumentParser
import AssayCore
import AssayEngine
import AssayStats
import Foundation

/// `assay power`: how many cases a decision needs, or what a suite can detect.
struct PowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Plan sample sizes: cases needed to detect a drop, or what each route of a suite can detect.",
        discussion: """
            Paired comparisons (the same cases run against baseline and candidate, McNemar's exact test) need an \
            assumed discordance: the share of cases on which the two systems disagree (default 20%).
            """
    )

    @Argument(help: "A suite file: print what each route can detect.")
    var suite: String?

    @Option(help: "The drop in pass rate to detect, in points (e.g. 5 for 5 points).")
    var drop: Double?

    @Option(name: .customLong("baseline-rate"), help: "Baseline pass rate in percent, for unpaired designs.")
    var baselineRate = 80.0

    @Option(help: "Significance level.")
    var alpha = 0.05

    @Option(help: "Target power.")
    var power = 0.8

    @Option(help: "Assumed discordance between paired runs, in percent.")
    var discordance = 20.0

    mutating func validate() throws {
        guard suite != nil || drop != nil else { throw ValidationError("give a suite file, or --drop POINTS") }
        guard alpha > 0, alpha < 1, power > 0, power < 1 else { throw ValidationError("--alpha and --power must be between 0 and 1") }
        guard discordance > 0, discordance <= 100 else { throw ValidationError("--discordance is a percentage in (0, 100]") }
        if let drop, drop <= 0 || drop >= 100 { throw ValidationError("--drop is in points, between 0 and 100") }
    }

    func run() async throws {
        let assumptions = Planning.Assumptions(alpha: alpha, power: power, discordance: discordance / 100)
        print(String(format: "alpha %.3g, power %.0f%%, paired discordance %.0f%%", alpha, power * 100, discordance))
        if let suite {
            let loaded = try SuiteLoader.load(path: suite)
            let dataset = try loaded.loadDataset()
            for line in Planning.detectabilityLines(dataset: dataset, assumptions: assumptions) { print(line) }
        }
        if let drop {
            let d = drop / 100
            if let paired = Planning.casesNeeded(drop: d, assumptions: assumptions) {
                print(String(format: "paired (same cases, McNemar exact): %d cases to detect a %.1f-point drop", paired, drop))
            } else {
                print(String(format: "paired: a %.1f-point drop cannot be planned with %.0f%% discordance", drop, discordance))
            }
            let p1 = baselineRate / 100
            if let unpaired = Power.twoProportionsSampleSize(p1: p1, p2: max(0, p1 - d), alpha: alpha, power: power) {
                print(String(format: "unpaired (different cases, from %.0f%%): %d cases per run", baselineRate, unpaired))
            }
            if let one = Power.oneProportionSampleSize(p: max(0, p1 - d), p0: p1, alpha: alpha, power: power) {
                print(String(format: "against a fixed %.0f%% threshold: %d cases", baselineRate, one))
            }
        }
    }
}
