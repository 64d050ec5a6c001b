import AWS
import Foundation
import Remo

/// An UpdateItem `SET` expression for some attributes plus `updated_at`, with
/// every name behind a placeholder (`status` is a reserved word in DynamoDB).
struct ItemUpdate {
    let expression: String
    let names: [String: String]
    let values: DynamoDBItem

    init(_ attributes: DynamoDBItem, now: Date) {
        var assignments: [String] = []
        var names: [String: String] = [:]
        var values: DynamoDBItem = [:]
        for (index, (name, value)) in attributes.sorted(by: { $0.key < $1.key }).enumerated()
        where name != "updated_at" {
            names["#a\(index)"] = name
            values[":v\(index)"] = value
            assignments.append("#a\(index) = :v\(index)")
        }
        names["#updated"] = "updated_at"
        values[":updated"] = .string(UTCTimestamp.string(from: now))
        assignments.append("#updated = :updated")
        expression = "SET " + assignments.joined(separator: ", ")
        self.names = names
        self.values = values
    }
}
