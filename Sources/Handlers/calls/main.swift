import Common
import VoiceService

// GET /calls (history, filtered and paged) and GET /calls/{call_sid} (a record and a link to its recording); Bearer API_KEY.
Endpoint.run("calls", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.callRoutes)
