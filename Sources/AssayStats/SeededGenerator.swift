import Foundation

/// A seedable pseudo-random number generator: xoshiro256** (Blackman and Vigna, 2018), with its 256-bit state
/// filled from a 64-bit seed by SplitMix64, as its authors recommend.
///
/// The output sequence depends only on the seed, never on the platform, the Swift version or the standard
/// library, so bootstrap and permutation results are reproducible everywhere. Use ``nextDouble()`` and
/// ``nextInt(below:)`` rather than the standard library's `random(in:using:)`, whose mapping from raw bits to
/// a range is an implementation detail that may change between Swift releases.
///
/// Not cryptographically secure. A value type: copying a generator copies its state.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator from a 64-bit seed. Every seed, including 0, is valid.
    /// - Parameter seed: The seed; equal seeds produce equal sequences.
    public init(seed: UInt64) {
        var splitMix = seed
        s0 = Self.splitMix64(&splitMix)
        s1 = Self.splitMix64(&splitMix)
        s2 = Self.splitMix64(&splitMix)
        s3 = Self.splitMix64(&splitMix)
    }

    /// The SplitMix64 step (Steele, Lea and Flood 2014).
    /// - Parameter state: The state, advanced by the golden-ratio increment.
    /// - Returns: The next 64-bit output.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    /// - Returns: A uniformly distributed `UInt64`.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    /// - Returns: `Double(next() >> 11) * 2⁻⁵³`.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound`, unbiased (Lemire's multiply-and-reject method).
    /// - Parameter bound: The exclusive upper bound; values `<= 0` return 0.
    /// - Returns: The integer.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A fair coin flip.
    /// - Returns: `true` or `false` with probability 1/2 each (the top bit of ``next()``).
    public mutating func nextBool() -> Bool {
        next() >> 63 == 1
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
