extension String {
    /// Without leading and trailing white space and line breaks (Unicode's
    /// White_Space). Done in Swift: Foundation's trimming bridges through
    /// NSString on Linux and cost more than the rest of a rule-engine turn.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}
