import Common
import RemoService

// GET/POST /user/{user_id}/reminders, GET/PATCH/DELETE /user/{user_id}/reminders/{reminder_id}
Endpoint.run("user-reminders", traits: .waitingAPI, prepare: RemoRuntime.init) { request, context, remo in
    try remo.reminders(request, logger: context.logger)
}
