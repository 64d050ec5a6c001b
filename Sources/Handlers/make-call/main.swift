import Common
import VoiceService

// POST /make-call {agent_id, to_number, from_number?, initial_message?} (Bearer API_KEY)
Endpoint.run("make-call", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.makeCallRoutes)
