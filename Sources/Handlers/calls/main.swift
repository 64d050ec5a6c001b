import Common
import VoiceService

// GET /calls/{call_sid} (Bearer API_KEY): a call's record and a link to its recording.
Endpoint.run("calls", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.callRoutes)
