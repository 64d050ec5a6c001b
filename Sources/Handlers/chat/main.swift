import Common
import RemoService

// POST /chat {message, conversation_history?, user_id} (Bearer Privy token)
Endpoint.run("chat", traits: .waitingAPI, prepare: RemoRuntime.init, routes: RemoRuntime.chatRoutes)
