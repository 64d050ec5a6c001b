import Common
import RemoService

// GET/POST /user/{user_id}/todos, GET/PATCH/DELETE /user/{user_id}/todos/{todo_id} (Bearer Privy token)
Endpoint.run("user-todos", traits: .waitingAPI, prepare: RemoRuntime.init, routes: RemoRuntime.todoRoutes)
