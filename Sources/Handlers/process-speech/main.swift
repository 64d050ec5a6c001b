import Common
import VoiceService

// POST /voice/process-speech: one turn of a call (signed); touches SessionDB only.
Endpoint.run("process-speech", traits: .webhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.turn(request, context: context)
}
