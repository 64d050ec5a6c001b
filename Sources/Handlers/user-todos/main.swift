import Common
import RemoService

// GET/POST /user/{user_id}/todos, GET/PATCH/DELETE /user/{user_id}/todos/{todo_id}
Endpoint.run("user-todos", traits: .waitingAPI, prepare: RemoRuntime.init) { request, context, remo in
    try remo.todos(request, logger: context.logger)
}
