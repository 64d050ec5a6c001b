import Common
import VoiceService

// POST /voice/inbound: someone called one of our numbers (signed).
Endpoint.run("voice-inbound", traits: .waitingWebhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.answer(request, direction: .inbound, context: context)
}
