import Common
import VoiceService

// POST /interrupt-call/{call_sid} (Bearer API_KEY): stop what a live call plays, say the
// operator's message if any, and listen again. Waits on Twilio's REST API.
Endpoint.run("interrupt-call", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.interruptRoutes)
