import Foundation

/// The JSON bodies of the two providers' chat APIs.
enum WireFormat {
    /// How OpenAI-compatible servers are asked for structured output.
    enum StructuredOutput {
        /// OpenAI's `{"type": "json_schema", …}`.
        case jsonSchema
        /// `{"type": "json_object", "schema": …}`: llama.cpp's server, which refuses `json_schema`.
        case jsonObject
    }

    static func openAIBody(_ request: ChatRequest, model: String, structured: StructuredOutput) throws -> [UInt8] {
        var body: [String: Any] = [
            "model": model,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "max_tokens": request.maxTokens,
            "temperature": request.temperature,
        ]
        if let schema = try request.responseSchema.map(parseSchema) {
            switch structured {
            case .jsonSchema:
                // Not strict: a strict schema cannot have an object of free keys (the collected fields).
                body["response_format"] = [
                    "type": "json_schema",
                    "json_schema": ["name": "reply", "schema": schema, "strict": false] as [String: Any],
                ]
            case .jsonObject:
                body["response_format"] = ["type": "json_object", "schema": schema]
            }
        }
        return try serialize(body)
    }

    static func ollamaBody(_ request: ChatRequest, model: String) throws -> [UInt8] {
        var body: [String: Any] = [
            "model": model,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "stream": false,
            "options": ["num_predict": request.maxTokens, "temperature": request.temperature],
        ]
        if let schema = try request.responseSchema.map(parseSchema) {
            body["format"] = schema
        }
        return try serialize(body)
    }

    struct OpenAIResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
        var choices: [Choice]
        var usage: Usage?
    }

    struct OllamaResponse: Decodable {
        struct Message: Decodable { var content: String? }
        var message: Message?
        var promptEvalCount: Int?
        var evalCount: Int?
        enum CodingKeys: String, CodingKey {
            case message
            case promptEvalCount = "prompt_eval_count"
            case evalCount = "eval_count"
        }
    }

    /// The content and token counts of a 2xx answer.
    static func decode(_ body: [UInt8], provider: LLMProvider) throws(LLMError) -> (String, Int?, Int?) {
        let decoded: (String?, Int?, Int?)
        do {
            switch provider {
            case .openAI:
                let response = try JSONDecoder().decode(OpenAIResponse.self, from: Data(body))
                decoded = (response.choices.first?.message.content, response.usage?.promptTokens,
                           response.usage?.completionTokens)
            case .ollama:
                let response = try JSONDecoder().decode(OllamaResponse.self, from: Data(body))
                decoded = (response.message?.content, response.promptEvalCount, response.evalCount)
            }
        } catch {
            throw LLMError(.malformed, detail: "the answer is not a chat completion")
        }
        guard let content = decoded.0, !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LLMError(.malformed, detail: "the completion has no content")
        }
        return (content, decoded.1, decoded.2)
    }

    private static func parseSchema(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    private static func serialize(_ body: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: body))
    }
}
