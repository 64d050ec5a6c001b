import Common
import VoiceService

// POST /voice/outbound?agent_id=…: Twilio answers a call we placed (signed).
Endpoint.run("voice-outbound", traits: .waitingWebhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.answer(request, direction: .outbound, context: context)
}
