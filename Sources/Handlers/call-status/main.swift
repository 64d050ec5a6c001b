import Common
import VoiceService

// POST /call-status: Twilio's status callbacks (signed); final ones enqueue finalization.
Endpoint.run("call-status", traits: .webhook, prepare: VoiceRuntime.init) { request, context, voice in
    try voice.callStatus(request, context: context)
}
