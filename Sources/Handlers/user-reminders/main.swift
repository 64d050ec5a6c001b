import Common
import RemoService

// GET/POST /user/{user_id}/reminders, GET/PATCH/DELETE /user/{user_id}/reminders/{reminder_id} (Bearer Privy token)
Endpoint.run("user-reminders", traits: .waitingAPI, prepare: RemoRuntime.init, routes: RemoRuntime.reminderRoutes)
