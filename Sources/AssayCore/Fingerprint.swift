import Crypto
import Foundation

/// SHA-256 hashing for fingerprints, cache keys and dataset hashes.
public enum Fingerprint {
    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    /// - Parameter text: The text to hash.
    /// - Returns: 64 hex characters.
    public static func sha256(_ text: String) -> String {
        sha256(Data(text.utf8))
    }

    /// Lower-case hex SHA-256 of `data`.
    /// - Parameter data: The bytes to hash.
    /// - Returns: 64 hex characters.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of the canonical JSON of `value`.
    /// - Parameter value: The value to hash.
    /// - Returns: 64 hex characters.
    public static func sha256(_ value: JSONValue) -> String {
        sha256(value.canonicalText)
    }
}
