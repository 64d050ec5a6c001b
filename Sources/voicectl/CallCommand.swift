import ArgumentParser
import Common
import Dispatch
import Foundation

/// `voicectl call`: a phone call through the Twilio simulator against the running
/// stack, typed by a person or played from a scenario file.
struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Talk to an agent over a simulated call (local mode), or play a scenario file.",
        discussion: """
            Outbound (the default) places the call through the stack's own POST /make-call; \
            --inbound has the simulator call one of our numbers (--to) from --from, and the \
            agent assigned to that number answers.

            Without --script the call is interactive: what you type is the caller's speech, \
            an empty line is silence, /bye, Ctrl-D or Ctrl-C hangs up. With --script FILE \
            ({"lines": [...], simulator options} or a JSON array of lines) it runs unattended, \
            prints the transcript and the outcome, and exits 1 when a webhook failed.
            """
    )

    @Option(help: "The agent that places the call (outbound).")
    var agent: String?

    @Option(help: "The number called, E.164: the person's (outbound) or one of ours (--inbound).")
    var to: String

    @Option(help: "The calling number: ours for outbound (default TWILIO_PHONE_NUMBER), the person's for --inbound.")
    var from: String?

    @Option(help: "A scenario file to play unattended (- for standard input).")
    var script: String?

    @Flag(help: "The person calls us: an inbound call to --to from --from.")
    var inbound = false

    @Option(help: "Seconds to wait for an unattended call to end.")
    var timeout = 120

    func validate() throws {
        if inbound {
            guard from != nil else { throw ValidationError("--inbound needs --from, the caller's number") }
            guard agent == nil else {
                throw ValidationError("an inbound call reaches the agent assigned to --to "
                    + "(voicectl numbers assign \(to) --agent ID); drop --agent")
            }
        } else if agent == nil {
            throw ValidationError("--agent is required for an outbound call")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        let config = try loadConfig()
        guard config.local.twilio else {
            throw CLIError("voicectl call needs the Twilio simulator, which runs in local mode only "
                + "(LOCAL_TWILIO=true, the default); this configuration talks to real Twilio")
        }
        let simulator = SimulatorClient(baseURL: config.twilio.apiBaseURL)
        try simulator.checkRunning()
        let interactive = script == nil
        var spec = try script.map(Self.loadScenario) ?? [:]
        spec["interactive"] = interactive
        spec["to"] = to

        let sid: String
        var operatorAPI: OperatorClient?
        if let apiKey = config.apiKey, !apiKey.isEmpty {
            operatorAPI = OperatorClient(baseURL: "http://127.0.0.1:\(config.server.httpPort)", apiKey: apiKey)
        }
        if inbound {
            spec["from"] = from
            sid = try simulator.startInbound(spec)
            emit("Inbound call \(sid): \(from ?? "") -> \(to) (the agent assigned to \(to) answers)\n")
        } else {
            guard let operatorAPI else {
                throw CLIError("API_KEY is not set: /make-call needs it (see .env)")
            }
            try simulator.registerScenario(spec)
            do {
                sid = try operatorAPI.makeCall(agent: agent ?? "", to: to, from: from)
            } catch {
                // The simulator keeps a scenario for the number's next call: replace it
                // with the default (hang up at the first question) so it cannot leak
                // into a call placed by something else.
                try? simulator.registerScenario(["to": to, "lines": [] as [Any]])
                throw error
            }
            emit("Call \(sid): \(agent ?? "") -> \(to)\n")
        }
        var interruptSource: (any DispatchSourceSignal)?
        if interactive {
            emit("Type what the caller says; an empty line is silence, /bye, Ctrl-D or Ctrl-C hangs up.\n\n")
            interruptSource = CallerKeyboard(simulator: simulator, sid: sid).start()
        }

        var view = CallView(interactive: interactive)
        var session: LiveSessionView?
        let deadline = interactive ? nil : ContinuousClock.now + .seconds(timeout)
        var after = 0
        while true {
            let page = try simulator.events(sid, after: after, wait: 5)
            for event in page.events { view.show(event) }
            after = page.next
            // Poll the session after each answered webhook: the worker removes it once
            // the call is finalized, so the last one seen holds the collected data.
            if page.events.contains(where: { $0.type == "webhook" && $0.kind == "voice" }) {
                session = operatorAPI?.session(sid) ?? session
            }
            if page.done { break }
            if let deadline, ContinuousClock.now > deadline {
                throw CLIError("call \(sid) did not end within \(timeout) s")
            }
        }
        view.finishLine()
        withExtendedLifetime(interruptSource) {}
        session = operatorAPI?.session(sid) ?? session
        let report = try simulator.report(sid)
        Self.printOutcome(report, session: session, view: view)
        if !report.errors.isEmpty {
            FileHandle.standardError.write(Data("error: call \(sid) had \(report.errors.count) error(s)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The simulator's `ended_by` (who put the phone down) in words.
    static func hangUpText(_ endedBy: String) -> String {
        switch endedBy {
        case "agent": "the agent hung up"
        case "caller": "the caller hung up"
        case "callee": "the call was not answered"
        case "error": "the call broke off on a failed webhook"
        default: endedBy
        }
    }

    /// A scenario file: `{"lines": [...], options}` or a bare array of lines.
    /// `-` reads it from standard input; pipes such as `<(…)` work too.
    static func loadScenario(_ path: String) throws -> [String: Any] {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle, let data = try? handle.readToEnd() else {
            throw CLIError("cannot read the scenario file \(path)")
        }
        let parsed = try? JSONSerialization.jsonObject(with: data)
        if let lines = parsed as? [Any] { return ["lines": lines] }
        guard let object = parsed as? [String: Any], object["lines"] is [Any] else {
            throw CLIError("\(path): expected {\"lines\": [...], options} or a JSON array of lines")
        }
        return object
    }

    static func printOutcome(_ report: SimulatorCallReport, session: LiveSessionView?, view: CallView) {
        emit("\nOutcome of call \(report.sid) (\(report.direction) \(report.from) -> \(report.to))\n")
        var rows: [(String, String)] = [
            ("status", report.status + (report.duration.map { ", \($0) s" } ?? "")),
            ("ended by", [session?.endedBy, report.endedBy.map(Self.hangUpText)].compactMap { $0 }.joined(separator: "; ")),
            ("webhooks", view.webhookSummary),
        ]
        if let session {
            rows.append(("agent", session.agent.agentId + (session.agent.name.map { " (\($0))" } ?? "")))
            let data = session.dataCollected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            rows.append(("collected", data.isEmpty ? "nothing" : data.joined(separator: ", ")))
        } else {
            rows.append(("collected", "(no live session was seen for this call)"))
        }
        rows.append(("errors", report.errors.isEmpty ? "none" : report.errors.joined(separator: "\n" + String(repeating: " ", count: 12))))
        for (name, value) in rows where !value.isEmpty {
            emit("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + value + "\n")
        }
    }
}

/// Sends what the person types to the simulator as the caller's speech, on its own
/// thread so the agent's lines keep appearing while the person types.
struct CallerKeyboard: Sendable {
    let simulator: SimulatorClient
    let sid: String

    /// Starts reading; the returned Ctrl-C handler must be kept alive for the call.
    func start() -> any DispatchSourceSignal {
        let (simulator, sid) = (simulator, sid)
        // Ctrl-C hangs up instead of leaving the simulated callee waiting; a second
        // Ctrl-C gets the default (terminate), since the handler resets it.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            signal(SIGINT, SIG_DFL)
            try? simulator.callerInput(sid, ["hangup": true])
        }
        interrupt.resume()
        Thread {
            while let line = readLine() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text == "/bye" { break }
                try? simulator.callerInput(sid, text.isEmpty ? ["silence": true] : ["say": text])
            }
            try? simulator.callerInput(sid, ["hangup": true])
        }.start()
        return interrupt
    }
}

/// Prints the call as it happens: the agent's lines, the caller's (unless the
/// person typed them), hang-ups and errors; and tallies the webhooks.
struct CallView {
    let interactive: Bool
    /// Whether to print the caller's lines in an interactive call: yes when they
    /// come from a pipe rather than a terminal that shows them already.
    let echoCaller: Bool
    /// Agent lines still to come before the caller's turn; -1 when not listening.
    private var saysExpected = -1
    private var saysSeen = 0
    private var prompted = false
    private var webhooks: [String: Int] = [:]
    private var slowest = 0.0

    init(interactive: Bool) {
        self.interactive = interactive
        echoCaller = isatty(STDIN_FILENO) == 0
    }

    mutating func show(_ event: SimulatorEvent) {
        switch event.type {
        case "webhook":
            let kind = event.kind.map { $0.hasPrefix("status:") ? "status" : $0 } ?? "other"
            webhooks[kind, default: 0] += 1
            slowest = max(slowest, event.seconds ?? 0)
            if event.kind == "voice" {
                (saysExpected, saysSeen, prompted) = (Self.saysBeforeListening(event.body ?? ""), 0, false)
            }
        case "agent":
            finishLine()
            write("agent:  \(event.text ?? "")\n")
            saysSeen += 1
        case "played":
            finishLine()
            write("agent:  \(Self.played(event))\n")
            saysSeen += 1
        case "caller":
            let said = event.hangup == true ? "(hangs up)" : event.silence == true ? "(silence)" : event.text ?? ""
            if !interactive {
                write("caller: \(said)\n")
            } else if echoCaller || event.hangup == true {
                // A terminal has echoed what the person typed, but not a hang-up by Ctrl-D or Ctrl-C.
                write((prompted ? (echoCaller ? "" : " ") : "you>    ") + said + "\n")
            }
            prompted = false
            saysExpected = -1
        case "hangup":
            finishLine()
            write("agent hangs up\n")
        case "error":
            finishLine()
            write("! \(event.message ?? "error")\n")
        default:
            break
        }
        // The person is prompted once the agent has said everything before listening.
        if interactive, !prompted, saysExpected >= 0, saysSeen >= saysExpected,
           event.type == "agent" || event.type == "played" || event.type == "webhook" {
            write("you>    ")
            prompted = true
        }
    }

    /// Ends a pending prompt line so what follows starts on its own line.
    mutating func finishLine() {
        if prompted {
            write("\n")
            prompted = false
            saysExpected = -1
        }
    }

    var webhookSummary: String {
        let counts = webhooks.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return counts.isEmpty ? "none" : counts + String(format: "; slowest %.1f ms", slowest * 1000)
    }

    /// How many `<Say>` the caller hears before a `<Gather>` starts listening; -1
    /// when the document does not listen (the call ends after it).
    static func saysBeforeListening(_ twiml: String) -> Int {
        guard twiml.contains("<Gather") else { return -1 }
        let end = twiml.range(of: "</Gather>")?.lowerBound ?? twiml.endIndex
        return twiml[..<end].components(separatedBy: "<Say").count + twiml[..<end].components(separatedBy: "<Play").count - 2
    }

    /// A line the agent played from a file (local speech): its length and name.
    static func played(_ event: SimulatorEvent) -> String {
        let name = event.url.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "?"
        return "[plays " + String(format: "%.1f", event.durationSeconds ?? 0) + " s, \(event.sampleRate ?? 0) Hz: \(name)]"
    }

    private func write(_ text: String) { emit(text) }
}

/// Every line of `voicectl call` goes out through here, unbuffered, so a prompt
/// without a newline shows at once and nothing overtakes an earlier line.
private func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
