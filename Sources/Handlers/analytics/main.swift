import Common
import VoiceService

// GET /analytics (Bearer API_KEY): calls per agent and day, how they ended, how long, whether they got their data.
Endpoint.run("analytics", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.analyticsRoutes)
