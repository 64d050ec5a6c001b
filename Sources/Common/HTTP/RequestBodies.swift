import Foundation

extension Request {
    /// The body as form fields; the content type must be form-urlencoded.
    public func form() throws -> FormFields {
        guard contentType == "application/x-www-form-urlencoded" else {
            throw HTTPError.unsupportedMediaType(header("content-type"), expected: "application/x-www-form-urlencoded")
        }
        return try FormFields(parsing: body)
    }

    /// The body decoded as JSON into `T`; errors say which field is wrong and why.
    public func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        guard contentType == "application/json" else {
            throw HTTPError.unsupportedMediaType(header("content-type"), expected: "application/json")
        }
        guard !body.isEmpty else { throw HTTPError.badRequest("the body is empty; expected a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw HTTPError.badRequest(error.fieldMessage)
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError.badRequest("the body is not valid JSON")
        }
    }

    /// The body as a JSON object, for bodies read field by field (a merge
    /// patch); the content type must be JSON.
    public func jsonObject() throws -> [String: Any] {
        guard contentType == "application/json" else {
            throw HTTPError.unsupportedMediaType(header("content-type"), expected: "application/json")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw HTTPError.badRequest("the body must be a JSON object")
        }
        return object
    }
}

extension DecodingError {
    /// Which field of a JSON body is wrong and why, for a 400's detail.
    public var fieldMessage: String {
        let error = self
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "field '\(path(context.codingPath))' is invalid: \(context.debugDescription)"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }

    private func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
