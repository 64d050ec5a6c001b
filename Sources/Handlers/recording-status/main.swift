import Common
import VoiceService

// POST /recording-status: Twilio says a recording can be fetched (signed).
Endpoint.run("recording-status", prepare: VoiceRuntime.init) { request, context, voice in
    try voice.recordingStatus(request, logger: context.logger)
}
