import Common
import VoiceService

// POST /voice/process-speech: one turn of a call (signed): SessionDB, and the
// LLM when one is configured (hence many threads: a turn may wait on it).
Endpoint.run("process-speech", traits: .waitingWebhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.turn(request, context: context)
}
