import Common
import VoiceService

// POST /voice/process-speech: one turn of a call (signed): SessionDB, and the
// LLM when one is configured (hence many threads: a turn may wait on it).
// POST /voice/dial-status: how a transfer's <Dial> ended, the turn that follows it.
Endpoint.run("process-speech", traits: .waitingWebhook, prepare: VoiceRuntime.init) { request, context, voice in
    request.path == "/voice/dial-status" ? try voice.dialStatus(request, context: context) : try voice.turn(request, context: context)
}
