import Common
import Remo

/// `/user/{user_id}/{resource}[/{item_id}]`, the shape of every user-data path.
struct UserPath {
    let userId: String
    let resource: String
    let itemId: String?

    /// Parses the request path; anything else is 404, a malformed item id 400.
    init(_ request: Request, resources: Set<String>) throws {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3 || parts.count == 4, parts[0] == "user", resources.contains(parts[2]) else {
            throw HTTPError.notFound("no endpoint at \(request.path)")
        }
        guard Self.isPlausibleUserId(parts[1]) else {
            throw HTTPError.badRequest("'\(parts[1].prefix(64))' is not a user id")
        }
        userId = parts[1]
        resource = parts[2]
        if parts.count == 4 {
            guard ItemID.isWellFormed(parts[3]) else {
                throw HTTPError.badRequest("'\(parts[3].prefix(64))' is not an item id")
            }
            itemId = parts[3]
        } else {
            itemId = nil
        }
    }

    /// Privy ids are `did:privy:` plus letters and digits; anything printable up to
    /// 256 bytes is accepted so other issuers' ids work, but never control characters.
    static func isPlausibleUserId(_ text: String) -> Bool {
        (1...256).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}
