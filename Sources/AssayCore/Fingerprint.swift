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
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// SHA-256 of the canonical JSON of `value`.
    /// - Parameter value: The value to hash.
    /// - Returns: 64 hex characters.
    public static func sha256(_ value: JSONValue) -> String {
        sha256(value.canonicalText)
    }
}
