import Common
import RemoService

// GET/DELETE /user/{user_id}/data, GET/POST /user/{user_id}/preferences (Bearer Privy token)
Endpoint.run("user-data", traits: .waitingAPI, prepare: RemoRuntime.init, routes: RemoRuntime.userDataRoutes)
