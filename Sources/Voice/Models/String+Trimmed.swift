import Foundation

extension String {
    /// Without leading and trailing white space and line breaks.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
