import CryptoCore
import Foundation

/// Ids for reminders and todos in the original's shape, `rem_YYYYMMDD_HHMMSS_<suffix>`
/// and `todo_YYYYMMDD_HHMMSS_<suffix>` (UTC), so they sort by creation time.
///
/// The original's suffix was the user id's last 8 characters: two items made in
/// the same second collided. Ours is 64 bits from the CSPRNG (16 hex digits), so
/// concurrent writers never need to coordinate.
public enum ItemID {
    /// A new reminder id for an item created at `date`.
    public static func reminder(createdAt date: Date) -> String { make(prefix: "rem", date: date) }

    /// A new todo id for an item created at `date`.
    public static func todo(createdAt date: Date) -> String { make(prefix: "todo", date: date) }

    /// Whether `text` can be an item id at all (ours, or one the original system wrote):
    /// 1–128 characters of letters, digits, `_`, `-`, `.`, `:`. Lets handlers refuse
    /// junk in a path before asking DynamoDB.
    public static func isWellFormed(_ text: String) -> Bool {
        guard (1...128).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
                 UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }

    private static func make(prefix: String, date: Date) -> String {
        let civil = CivilTime(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        let stamp = String(format: "%04d%02d%02d_%02d%02d%02d", civil.year, civil.month, civil.day,
                           civil.hour, civil.minute, civil.second)
        return "\(prefix)_\(stamp)_\(SecureRandom.hexString(byteCount: 8))"
    }
}
