import Common
import VoiceService

// POST /voice/inbound: someone called one of our numbers (signed).
Endpoint.run("voice-inbound", prepare: VoiceRuntime.init) { request, context, voice in
    try voice.answer(request, direction: .inbound, logger: context.logger)
}
