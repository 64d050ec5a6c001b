/// espeak-ng's voice for an agent's language (a BCP 47 tag as Twilio takes it:
/// `en-US`, `hi-IN`): the regional variants espeak-ng has where the region
/// matters to a listener, else the bare language (`hi`, `fr`, `de`).
public enum EspeakVoice {
    public static func forLanguage(_ language: String) -> String {
        let parts = language.lowercased().split(separator: "-").map(String.init)
        guard let primary = parts.first, !primary.isEmpty else { return "en-us" }
        let region = parts.count > 1 ? parts[1] : ""
        switch (primary, region) {
        case ("en", "gb"), ("en", "ie"), ("en", "au"), ("en", "nz"), ("en", "za"), ("en", "in"): return "en-gb"
        case ("en", _): return "en-us"
        case ("pt", "br"): return "pt-br"
        case ("pt", _): return "pt"
        case ("es", "es"), ("es", ""): return "es"
        case ("es", _): return "es-419"
        default: return primary
        }
    }
}
