import Common
import VoiceService

// GET /sessions and GET /session/{call_sid}: live calls (Bearer API_KEY).
Endpoint.run("sessions", traits: .api, prepare: VoiceRuntime.init, routes: VoiceRuntime.sessionRoutes)
