import Common
import VoiceService

// POST /recording-status: Twilio says a recording can be fetched (signed).
Endpoint.run("recording-status", traits: .webhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.recordingStatus(request, context: context)
}
