import Foundation

/// Reads the token out of an `Authorization: Bearer …` header value.
public enum BearerToken {
    /// The token, or nil when the header is absent, of another scheme, or empty.
    /// The scheme name is case-insensitive (RFC 9110 §11.1).
    public static func extract(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
