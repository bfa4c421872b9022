import AssayCore
import Foundation

/// A scorer that can be built from its suite configuration, and so registered with `ScorerFactory` by its type.
public protocol ConfigurableScorer: Scorer {
    /// The `type:` that selects this scorer in a rubric (e.g. `contains`).
    static var typeName: String { get }
    /// The scorer's own option names (the common `name`, `type`, `gate`, `role` and `threshold` come on top).
    static var optionNames: Set<String> { get }
    /// Builds the scorer from its configuration, validating every option.
    /// - Parameter config: The scorer's configuration from a suite's rubric.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    init(config: ScorerConfig) throws
}

/// Builds scorers from their configuration by `type`, through a registry of builders.
///
/// The deterministic scorers are registered from the start. Other scorer families (judges, classifiers) add
/// theirs with `register(_:)` or `register(type:builder:)` without touching any switch: the registry is a table of
/// type name to builder.
public enum ScorerFactory {
    /// Builds a scorer from its configuration.
    public typealias Builder = @Sendable (ScorerConfig) throws -> any Scorer
    /// Builds a scorer from its configuration and the suite's context (judges, folder).
    public typealias ContextBuilder = @Sendable (ScorerConfig, ScorerContext) throws -> any Scorer

    /// The keys every scorer accepts besides its own: `name`, `type`, `gate`, `role` and `threshold`.
    public static let commonOptionNames: Set<String> = ScorerOptions.commonKeys

    /// Bumped whenever a deterministic scorer's verdicts change for the same configuration, so that old cached
    /// scores stop matching (it is part of every deterministic fingerprint).
    static let deterministicVersion = 1

    /// The scorers built in to AssayScorers.
    static let builtIns: [String: Builder] = {
        var table: [String: Builder] = [:]
        func add<S: ConfigurableScorer>(_ scorer: S.Type) {
            table[S.typeName] = builder(for: S.self)
        }
        add(EqualsScorer.self)
        add(ContainsScorer.self)
        add(ContainsAllScorer.self)
        add(ContainsAnyScorer.self)
        add(MustNotContainScorer.self)
        add(RegexScorer.self)
        add(IsJSONScorer.self)
        add(JSONSchemaScorer.self)
        add(LengthScorer.self)
        add(StartsWithScorer.self)
        add(EndsWithScorer.self)
        add(ToolCallScorer.self)
        add(TrajectoryScorer.self)
        add(TaskCompletionScorer.self)
        add(PIIScorer.self)
        add(InjectionScorer.self)
        add(RefusalScorer.self)
        add(TokenF1Scorer.self)
        add(LevenshteinScorer.self)
        add(RougeLScorer.self)
        add(BLEUScorer.self)
        return table
    }()

    /// Built-in scorers that need the suite's context (LLM judges, and composites whose members may be judges).
    static let contextBuiltIns: [String: ContextBuilder] = [
        RubricJudgeScorer.typeName: { config, context in try RubricJudgeScorer(config: config, context: context) },
        RefusalScorer.typeName: { config, context in try RefusalScorer(config: config, context: context) },
        // The judge form when a goal or judge is given, else the structured end-state checks.
        TaskCompletionScorer.typeName: { config, context in
            if config.options["goal"] != nil || config.options["judge"] != nil {
                let structured = TaskCompletionScorer.optionNames.filter { config.options[$0] != nil }.sorted()
                if let first = structured.first, let node = config.options[first] {
                    throw node.error("task_completion takes either a judge ('goal', 'judge') or structured checks ('\(first)'); combine the two with a cascade or an aggregate")
                }
                return try TaskGoalJudgeScorer(config: config, context: context)
            }
            return try TaskCompletionScorer(config: config)
        },
        CascadeScorer.typeName: { config, context in try CascadeScorer(config: config, context: context) },
        AggregateScorer.typeName: { config, context in try AggregateScorer(config: config, context: context) },
        FactualAccuracyScorer.typeName: { config, context in try FactualAccuracyScorer(config: config, context: context) },
        GroundednessScorer.typeName: { config, context in try GroundednessScorer(config: config, context: context) },
        ContextRelevanceScorer.typeName: { config, context in try ContextRelevanceScorer(config: config, context: context) },
        ContextUtilizationScorer.typeName: { config, context in try ContextUtilizationScorer(config: config, context: context) },
        CompletenessScorer.typeName: { config, context in try CompletenessScorer(config: config, context: context) },
        AnswerRelevanceScorer.typeName: { config, context in try AnswerRelevanceScorer(config: config, context: context) },
        PairwiseJudgeScorer.typeName: { config, context in try PairwiseJudgeScorer(config: config, context: context) },
        ToneScorer.typeName: { config, context in try ToneScorer(config: config, context: context) },
        GuardScorer.typeName: { config, context in try GuardScorer(config: config, context: context) },
        EmbeddingSimilarityScorer.typeName: { config, context in try EmbeddingSimilarityScorer(config: config, context: context) },
    ]

    private static let registry = Registry(builders: builtIns, contextBuilders: contextBuiltIns)

    /// Builds the scorer a rubric entry describes.
    /// - Parameter config: The scorer's configuration.
    /// - Returns: The scorer.
    /// - Throws: `AssayError` (config) naming the file, line and field: an unknown type (with the closest known
    ///   one suggested), an unknown option, or an invalid option value.
    public static func make(_ config: ScorerConfig) throws -> any Scorer {
        try make(config, context: .empty)
    }

    /// Builds the scorer a rubric entry describes, with the suite's judges available.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges and folder.
    /// - Returns: The scorer.
    /// - Throws: `AssayError` (config) naming the file, line and field.
    public static func make(_ config: ScorerConfig, context: ScorerContext) throws -> any Scorer {
        if let builder = registry.contextBuilder(for: config.type) {
            return try builder(config, context)
        }
        guard let builder = registry.builder(for: config.type) else {
            let known = knownTypes
            var message = "unknown scorer type '\(config.type)'"
            if let suggestion = ConfigNode.closest(to: config.type, in: known) {
                message += "; did you mean '\(suggestion)'?"
            }
            message += " (known types: \(known.joined(separator: ", ")))"
            throw (config.options["type"] ?? config.options).error(message)
        }
        return try builder(config)
    }

    /// The registered scorer types, sorted.
    public static var knownTypes: [String] { registry.types }

    /// Registers a scorer type that needs the suite's context (judges), replacing any of the same name.
    /// - Parameters:
    ///   - type: The `type:` that selects it in a rubric.
    ///   - builder: Builds the scorer; it must validate the options.
    public static func register(type: String, contextBuilder builder: @escaping ContextBuilder) {
        registry.setContext(type, builder)
    }

    /// Registers a scorer type, replacing any registered under the same name. The factory checks the option keys
    /// (the common ones and `S.optionNames`) and the common options' values before calling `S.init(config:)`.
    /// - Parameter scorer: The scorer type; its `typeName` selects it.
    public static func register<S: ConfigurableScorer>(_ scorer: S.Type) {
        register(type: S.typeName, builder: builder(for: S.self))
    }

    /// A builder that validates the option keys and common options, then builds `S`.
    private static func builder<S: ConfigurableScorer>(for scorer: S.Type) -> Builder {
        { config in
            _ = try ScorerOptions(config, allowed: S.optionNames)
            return try S(config: config)
        }
    }

    /// Registers a builder for a scorer type, replacing any registered under the same name.
    /// - Parameters:
    ///   - type: The `type:` that selects it in a rubric.
    ///   - builder: Builds the scorer; it must validate the options (see `ConfigNode.expectMapping(allowed:)`).
    public static func register(type: String, builder: @escaping Builder) {
        registry.set(type, builder)
    }

    /// The type -> builder table, safe to read and extend from any thread.
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var builders: [String: Builder]
        private var contextBuilders: [String: ContextBuilder]

        init(builders: [String: Builder], contextBuilders: [String: ContextBuilder] = [:]) {
            self.builders = builders
            self.contextBuilders = contextBuilders
        }

        func contextBuilder(for type: String) -> ContextBuilder? {
            lock.withLock { contextBuilders[type] }
        }

        func setContext(_ type: String, _ builder: @escaping ContextBuilder) {
            lock.withLock { contextBuilders[type] = builder }
        }

        func builder(for type: String) -> Builder? {
            lock.withLock { builders[type] }
        }

        func set(_ type: String, _ builder: @escaping Builder) {
            lock.withLock { builders[type] = builder }
        }

        var types: [String] {
            lock.withLock { Set(builders.keys).union(contextBuilders.keys).sorted() }
        }
    }
}
