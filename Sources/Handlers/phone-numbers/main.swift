import Common
import VoiceService

// GET /phone-numbers, PUT/DELETE /phone-numbers/{number} (Bearer API_KEY).
Endpoint.run("phone-numbers", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.phoneNumberRoutes)
