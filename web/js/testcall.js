// Local mode only: a test call to the Twilio simulator. The callee's lines go
// to the simulator's own control API (what `voicectl call --script` does); the
// call itself is placed with POST /make-call, as any operator places one.
import { api } from "./api.js";
import { el, errorText } from "./dom.js";
import { watchCall } from "./live.js";

const DEFAULT_LINES = "Hi, my name is Jane Doe\njane at example dot com\nMy order has not arrived\nNo, that's all. Bye!";

export async function show(view, { mode, signal }) {
  view.append(el("h1", {}, "Test call ", el("span", { class: "badge" }, "local mode")));
  if (!mode.local_twilio) {
    view.append(el("p", {}, "Test calls need the Twilio simulator: start the stack in local mode (LOCAL_TWILIO=true)."));
    return;
  }
  const { agents } = await api("GET", "/agents", { query: { status: "active", limit: 100 } });
  const message = el("div");
  const form = el("form", { id: "test-call-form", class: "stacked" },
    el("label", {}, "Agent", el("select", { name: "agent_id", required: true },
      agents.map((a) => el("option", { value: a.agent_id }, `${a.agent_id} (${a.name})`)))),
    el("label", {}, "Number called (the simulated person)", el("input", { name: "to", value: "+15550100123", required: true })),
    el("label", {}, "What the person says, one line per turn (an empty line is silence)",
      el("textarea", { name: "lines", rows: 6 }, DEFAULT_LINES)),
    el("label", {}, "Seconds before each line", el("input", { name: "pause", type: "number", min: 0, max: 10, step: 0.5, value: 1 })),
    el("p", { class: "hint" }, "Local mode: the lines are given to the Twilio simulator (its /sim/scenarios control API); " +
      "the call is then placed with POST /make-call like any other."),
    el("button", { type: "submit", id: "place-call" }, "Place the call"));
  const progress = el("div", { id: "test-call" });
  view.append(message, form, progress);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren();
    const to = form.elements.to.value.trim();
    const lines = form.elements.lines.value.replace(/\n+$/, "").split("\n")
      .map((line) => (line.trim() ? line.trim() : { silence: true }));
    try {
      const scenario = await fetch("sim/scenarios", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ to, lines, pause: Number(form.elements.pause.value) || 0 }),
      });
      if (scenario.status !== 201) throw new Error(`the simulator refused the scenario (HTTP ${scenario.status})`);
      const call = await api("POST", "/make-call", { body: { agent_id: form.elements.agent_id.value, to_number: to } });
      form.elements["place-call"].disabled = true;
      progress.replaceChildren(el("h2", {}, "Call ", el("code", { id: "test-call-sid" }, call.call_sid)));
      watchCall(progress, call.call_sid, signal);
    } catch (error) {
      message.replaceChildren(errorText(error));
    }
  });
}
