import Foundation

/// RFC 7386 JSON merge patch over `JSONSerialization` values: objects merge key
/// by key, `null` removes a key, anything else replaces.
public enum JSONMergePatch {
    public static func apply(_ patch: Any, to target: Any?) -> Any {
        guard let patch = patch as? [String: Any] else { return patch }
        var result = target as? [String: Any] ?? [:]
        for (key, value) in patch {
            if value is NSNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key])
            }
        }
        return result
    }
}
