import AssayCore
import Testing
@testable import AssayScorers

@Suite("similarity scorers")
struct SimilarityScorerTests {
    /// (output, reference, token F1, ROUGE-L F, sentence BLEU-4).
    ///
    /// Reference values computed with Python 3.11:
    /// - token F1: `compute_f1` of the official SQuAD v2.0 evaluation script (`normalize_answer`, `get_tokens`);
    /// - ROUGE-L: `rouge_score.rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)`, rouge-score 0.1.2;
    /// - BLEU: `nltk.translate.bleu_score.sentence_bleu([ref], hyp, smoothing_function=SmoothingFunction().method1)`,
    ///   NLTK 3.10.4, on the rouge-score tokens (`re.sub(r"[^a-z0-9]+", " ", s.lower()).split()`); for outputs of
    ///   k < 4 tokens with `weights=(1/k,) * k` (the effective order).
    static let references: [(String, String, Double, Double, Double)] = [
        ("The cat sat on the mat.", "The cat is on the mat.", 0.75, 0.833333333333333, 0.254066374077307),
        ("Paris is the capital of France", "The capital of France is Paris.", 1, 0.666666666666667, 0.562341325190349),
        ("the quick brown fox jumps over the lazy dog", "the fast brown fox leaped over the lazy dog",
         0.714285714285714, 0.777777777777778, 0.368893973233441),
        ("Returns are accepted within 30 days of purchase with a receipt.",
         "You can return items within 30 days if you have the receipt.",
         0.380952380952381, 0.347826086956522, 0.0915397843152513),
        ("It is a guide to action which ensures that the military always obeys the commands of the party.",
         "It is a guide to action that ensures that the military will forever heed Party commands.",
         0.714285714285714, 0.647058823529412, 0.420859806952409),
        ("cat mat", "the cat sat on the mat", 0.666666666666667, 0.5, 0.0427967742811701),
        ("the cat", "the cat sat", 0.666666666666667, 0.8, 0.606530659712633),
        ("cat sat on", "the cat sat on the mat", 0.857142857142857, 0.666666666666667, 0.367879441171442),
        ("Paris", "Paris", 1, 1, 1),
        ("hello world", "goodbye moon", 0, 0, 0),
        ("An apple a day keeps the doctor away", "an apple a day keeps the doctor away!", 1, 1, 1),
        ("Refunds take 5-7 business days.", "Refunds take 5 to 7 business days.", 0.666666666666667, 0.923076923076923, 0.287641980608733),
    ]

    @Test("token F1, ROUGE-L and BLEU match SQuAD, rouge-score and NLTK", arguments: references)
    func referenceValues(output: String, reference: String, f1: Double, rougeL: Double, bleu: Double) async throws {
        #expect(abs(TokenF1Scorer.f1(output, reference).f1 - f1) < 1e-12)
        #expect(abs(RougeLScorer.rougeL(output, reference).f - rougeL) < 1e-12)
        #expect(abs(BLEUScorer.bleu(output, reference).bleu - bleu) < 1e-12)
        // Through the scorers, with the reference as the case's expected answer.
        for (type, wanted) in [("token_f1", f1), ("rouge_l", rougeL), ("bleu", bleu)] {
            let result = await score(try makeScorer("{type: \(type)}"), output, expected: reference)
            checkInvariants(result)
            #expect(abs((result.value ?? -1) - wanted) < 1e-12, "\(type): \(result.explanation)")
        }
    }

    /// (a, b, edit distance, similarity); distances from `nltk.metrics.distance.edit_distance`, NLTK 3.10.4.
    static let editDistances: [(String, String, Int, Double)] = [
        ("kitten", "sitting", 3, 0.5714285714285714),
        ("flaw", "lawn", 2, 0.5),
        ("Saturday", "Sunday", 3, 0.625),
        ("intention", "execution", 5, 0.4444444444444444),
        ("refund", "refunds", 1, 0.8571428571428572),
        ("", "abc", 3, 0),
        ("café", "cafe", 1, 0.75),
        ("", "", 0, 1),
        // Characters are grapheme clusters: one emoji with a skin tone, a precomposed and a decomposed é, CRLF.
        ("👍🏽 ok", "👍 ok", 1, 0.75),
        ("caf\u{E9}", "cafe\u{301}", 0, 1),
        ("a\r\nb", "a\nb", 1, 2.0 / 3.0),
    ]

    @Test("Levenshtein similarity matches NLTK's edit distance", arguments: editDistances)
    func levenshtein(a: String, b: String, distance: Int, similarity: Double) async throws {
        let result = LevenshteinScorer.similarity(a, b)
        #expect(result.distance == distance)
        #expect(abs(result.similarity - similarity) < 1e-12)
        #expect(LevenshteinScorer.similarity(b, a).distance == distance)
    }

    @Test("edit distance and LCS agree with a brute-force reference on random sequences")
    func randomSequences() {
        var generator = SplitMix(seed: 42)
        func naiveDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { table[i][0] = i }
            for j in 0...b.count { table[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
            return table[a.count][b.count]
        }
        func naiveLCS(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    table[i][j] = a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1 : max(table[i - 1][j], table[i][j - 1])
                }
            }
            return table[a.count][b.count]
        }
        // Short sequences over tiny alphabets hit every corner; long ones cross the 64-symbol blocks of the
        // bit-parallel edit distance.
        for round in 0..<600 {
            let maximum = round < 400 ? 12 : 300
            let alphabet = UInt64(round % 2 == 0 ? 3 : 20)
            let a = (0..<Int(generator.next() % UInt64(maximum))).map { _ in UInt8(generator.next() % alphabet) }
            let b = (0..<Int(generator.next() % UInt64(maximum))).map { _ in UInt8(generator.next() % alphabet) }
            let distance = SimilarityText.editDistance(a.map(Int32.init), b.map(Int32.init), alphabetSize: Int(alphabet))
            #expect(distance == naiveDistance(a, b), "\(a) \(b)")
            #expect(SimilarityText.longestCommonSubsequence(a, b) == naiveLCS(a, b), "\(a) \(b)")
        }
    }

    @Test("tokenisers: SQuAD deletes punctuation and articles; word tokens split at it and keep non-ASCII letters")
    func tokenisers() {
        #expect(SimilarityText.squadTokens("The answer: don't PANIC!") == ["answer", "dont", "panic"])
        #expect(SimilarityText.squadTokens("“Paris”, an old city") == ["paris", "old", "city"])
        #expect(SimilarityText.squadTokens("$5 + 3 = 8") == ["5", "3", "8"])
        #expect(SimilarityText.wordTokens("Refunds take 5-7 days.") == ["refunds", "take", "5", "7", "days"])
        #expect(SimilarityText.wordTokens("Café crème, s'il vous plaît") == ["café", "crème", "s", "il", "vous", "plaît"])
        #expect(SimilarityText.wordTokens("  ...  ") == [])
    }

    @Test("texts without tokens: both empty score 1, one empty scores 0", arguments: ["token_f1", "rouge_l", "bleu", "levenshtein"])
    func emptyTexts(type: String) async throws {
        let scorer = try makeScorer("{type: \(type)}")
        #expect(await score(scorer, "", expected: "").value == 1)
        #expect(await score(scorer, "", expected: "Paris").value == 0)
        #expect(await score(scorer, "Paris", expected: "").value == 0)
    }

    @Test("without a reference the score is unmeasured", arguments: ["token_f1", "rouge_l", "bleu", "levenshtein"])
    func unmeasured(type: String) async throws {
        let result = await score(try makeScorer("{type: \(type)}"), "Paris", expected: nil)
        checkInvariants(result)
        #expect(result.status == .unmeasured(reason: "case has no expected answer"))
        // A configured value needs no expected answer, and wins over one.
        let configured = try makeScorer("{type: \(type), value: Paris}")
        #expect(await score(configured, "Paris", expected: nil).value == 1)
        #expect(await score(configured, "Paris", expected: "Lyon").value == 1)
    }

    /// (config, output, reference, verdict): default thresholds are token_f1 0.5, rouge_l 0.5, bleu 0.3,
    /// levenshtein 0.8.
    static let thresholds: [(String, String, String, Bool)] = [
        ("{type: token_f1}", "The cat sat on the mat.", "The cat is on the mat.", true),           // 0.75
        ("{type: token_f1, threshold: 0.8}", "The cat sat on the mat.", "The cat is on the mat.", false),
        ("{type: token_f1, threshold: 0.75}", "The cat sat on the mat.", "The cat is on the mat.", true),
        ("{type: token_f1}", "cat dog", "cat sat", true),                                            // 0.5 exactly
        ("{type: token_f1}", "cat", "the cat sat on the mat", false),                               // 0.4
        ("{type: rouge_l}", "Returns are accepted within 30 days of purchase with a receipt.",
         "You can return items within 30 days if you have the receipt.", false),                     // 0.348
        ("{type: rouge_l, threshold: 0.3}", "Returns are accepted within 30 days of purchase with a receipt.",
         "You can return items within 30 days if you have the receipt.", true),
        ("{type: bleu}", "The cat sat on the mat.", "The cat is on the mat.", false),                // 0.254
        ("{type: bleu, threshold: 0.25}", "The cat sat on the mat.", "The cat is on the mat.", true),
        ("{type: levenshtein}", "refund", "refunds", true),                                          // 0.857
        ("{type: levenshtein}", "kitten", "sitting", false),                                         // 0.571
        ("{type: levenshtein}", "REFUND", "refunds", false),
        ("{type: levenshtein, ignore_case: true}", "REFUND", "refunds", true),
        ("{type: levenshtein}", "  refunds\n", "refunds", true),                                     // trim by default
        ("{type: levenshtein, trim: false}", "  refunds\n", "refunds", false),
    ]

    @Test("pass at or above the threshold", arguments: thresholds)
    func threshold(config: String, output: String, reference: String, wanted: Bool) async throws {
        let result = await score(try makeScorer(config), output, expected: reference)
        checkInvariants(result)
        #expect(result.passed == wanted, "\(config): \(result.explanation)")
    }

    @Test("explanations give the value, the threshold, the details and the reference")
    func explanations() async throws {
        let f1 = await score(try makeScorer("{type: token_f1}"), "The cat sat on the mat.", expected: "The cat is on the mat.")
        #expect(f1.explanation == #"token F1 0.75 >= 0.5 (precision 0.75, recall 0.75) against "The cat is on the mat.""#)
        let rouge = await score(try makeScorer("{type: rouge_l, threshold: 0.9}"), "cat mat", expected: "the cat sat on the mat")
        #expect(rouge.explanation == #"ROUGE-L 0.5 below 0.9 (precision 1, recall 0.333) against "the cat sat on the mat""#)
        let bleu = await score(try makeScorer("{type: bleu}"), "cat mat", expected: "the cat sat on the mat")
        #expect(bleu.explanation == #"BLEU 0.043 below 0.3 (precisions 1/0.1, brevity penalty 0.135) against "the cat sat on the mat""#)
        let none = await score(try makeScorer("{type: bleu}"), "hello world", expected: "goodbye moon")
        #expect(none.explanation == #"BLEU 0 below 0.3 (no unigram match) against "goodbye moon""#)
        let lev = await score(try makeScorer("{type: levenshtein}"), "kitten", expected: "sitting")
        #expect(lev.explanation == #"edit similarity 0.571 below 0.8 (distance 3) against "sitting""#)
    }

    @Test("configuration errors name the line and field")
    func configErrors() throws {
        let threshold = try #require(configError("name: close\ntype: rouge_l\nthreshold: 1.5"))
        #expect(threshold.location?.line == 4)
        #expect(threshold.field == "rubric[0].threshold")
        let empty = try #require(configError("name: close\ntype: bleu\nvalue: ''"))
        #expect(empty.location?.line == 4)
        #expect(empty.message == "'value' must not be empty")
        let option = try #require(configError("name: f1\ntype: token_f1\nignore_case: true"))
        #expect(option.location?.line == 4)
        #expect(option.field == "rubric[0].ignore_case")
        let typo = try #require(configError("{type: levenshtein, ignore_cas: true}"))
        #expect(typo.message == "unknown field 'ignore_cas'; did you mean 'ignore_case'?")
    }

    @Test("fingerprints: defaults spelled out do not change them; settings do", arguments: ["token_f1", "rouge_l", "bleu", "levenshtein"])
    func fingerprints(type: String) throws {
        let defaultThreshold = ["token_f1": "0.5", "rouge_l": "0.5", "bleu": "0.3", "levenshtein": "0.8"][type] ?? ""
        let plain = try makeScorer("{type: \(type)}").fingerprint
        #expect(plain == (try makeScorer("{name: x, type: \(type), threshold: \(defaultThreshold), gate: 0.9}").fingerprint))
        #expect(plain != (try makeScorer("{type: \(type), threshold: 0.95}").fingerprint))
        #expect(plain != (try makeScorer("{type: \(type), value: Paris}").fingerprint))
    }

    @Test("fingerprints are stable across runs")
    func pinnedFingerprint() throws {
        // Pinned: a change here means cached scores stop matching.
        #expect(try makeScorer("{type: token_f1}").fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("token_f1"), "version": .number(1),
            "settings": .object(["value": .null, "threshold": .number(0.5)]),
        ])))
        #expect(try makeScorer("{type: levenshtein, value: x}").fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("levenshtein"), "version": .number(1),
            "settings": .object([
                "value": .string("x"), "threshold": .number(0.8),
                "normalization": .object([
                    "ignore_case": .bool(false), "trim": .bool(true), "collapse_whitespace": .bool(false),
                    "strip_punctuation": .bool(false), "nfkc": .bool(false),
                ]),
            ]),
        ])))
    }
}

/// A small deterministic generator for randomised checks (SplitMix64).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
