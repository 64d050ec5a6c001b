import Common
import VoiceService

// GET/POST /agents, GET/PATCH/DELETE /agents/{agent_id} (Bearer API_KEY).
Endpoint.run("agents", traits: .waitingAPI, prepare: VoiceRuntime.init, routes: VoiceRuntime.agentRoutes)
