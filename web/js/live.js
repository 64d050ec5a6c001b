// Live calls: the list refreshing every few seconds, and one call's transcript
// as it happens (also used by the test call).
import { api, ApiError } from "./api.js";
import { el, errorText, every, facts, link, table, when } from "./dom.js";

const REFRESH_MS = 3000;
const WATCH_MS = 1000;
const FINAL = new Set(["completed", "failed", "busy", "no-answer", "canceled", "abandoned"]);

export async function list(view, { signal }) {
  const body = el("div", { id: "live-calls" });
  const updated = el("span", { class: "hint", id: "live-updated" });
  view.append(el("div", { class: "title" }, el("h1", {}, "Live calls"), updated), body);
  every(REFRESH_MS, async () => {
    try {
      const { sessions } = await api("GET", "/sessions");
      body.replaceChildren(sessions.length
        ? table(["Call", "Agent", "Direction", "To", "From", "Started", "Messages", "Phase"], sessions.map((s) => [
          link(s.call_sid, "live", s.call_sid), s.agent_id, s.direction, s.to, s.from, when(s.started_at),
          String(s.messages), s.phase]))
        : el("p", {}, "No call is in progress."));
      updated.textContent = `updated ${new Date().toLocaleTimeString()}, every ${REFRESH_MS / 1000} s`;
    } catch (error) {
      body.replaceChildren(errorText(error));
    }
  }, signal);
}

export async function watch(view, { params: [callSid], signal }) {
  view.append(el("h1", {}, "Call ", el("code", {}, callSid)));
  watchCall(view, callSid, signal);
}

/**
 * Shows the transcript of `callSid` while it happens, then its final record.
 * It reads a session only while GET /sessions lists the call, so the usual
 * path never asks for something that is gone (a session ends with its call);
 * once the call is no longer listed, the record in DynamoDB has the rest.
 */
export function watchCall(view, callSid, signal) {
  const status = el("p", { class: "call-state", id: "call-state" }, "Waiting for the call to be answered…");
  const transcript = el("ol", { class: "transcript", id: "live-transcript" });
  const outcome = el("div", { id: "call-outcome" });
  view.append(status, transcript, outcome);
  let listed = false;
  let messages = -1;
  let polls = 0;
  const poll = async () => {
    polls += 1;
    const { sessions } = await api("GET", "/sessions");
    const live = sessions.find((s) => s.call_sid === callSid);
    if (live) {
      listed = true;
      status.textContent = `In progress (${live.phase}) with ${live.agent_id}`;
      if (live.messages !== messages) {
        const session = await api("GET", `/session/${encodeURIComponent(callSid)}`);
        messages = live.messages;
        showTranscript(transcript, session.transcript);
      }
      return false;
    }
    // Not listed: not answered yet, or over. Ask the record every few polls until then.
    if (!listed && polls % 5 !== 0) return false;
    let record;
    try {
      record = await api("GET", `/calls/${encodeURIComponent(callSid)}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      if (polls < 120) return false;
      status.textContent = "The call did not start: no live session and no record after two minutes.";
      return true;
    }
    const call = record.call;
    // ended_by comes with the final status (one write); both, or it is not over yet.
    if (!FINAL.has(call.status) || !call.ended_by) {
      status.textContent = `Finishing (${call.status})…`;
      return false;
    }
    status.textContent = `Ended: ${call.status}`;
    showTranscript(transcript, call.conversation_history);
    outcome.replaceChildren(callFacts(call), el("p", {}, link("Open it in the call history", "calls", callSid)));
    return true;
  };
  every(WATCH_MS, () => poll().catch((error) => {
    status.textContent = `Cannot follow the call: ${error.message}`;
    return false;
  }), signal);
}

export function showTranscript(list, messages) {
  list.replaceChildren(...(messages || []).map((m) => el("li", { class: `message ${m.role}` },
    el("span", { class: "role" }, m.role === "assistant" ? "agent" : m.role === "user" ? "caller" : m.role),
    el("span", { class: "content" }, m.content),
    el("time", { class: "hint" }, when(m.timestamp)))));
}

export function callFacts(call) {
  const collected = Object.entries(call.data_collected || {}).map(([k, v]) => `${k}: ${v}`).join("; ");
  return facts([
    ["Status", call.status], ["Agent", call.agent_id], ["Direction", call.direction],
    ["Recipient", call.recipient_phone], ["Our number", call.caller_phone],
    ["Started", when(call.started_at)], ["Ended", when(call.ended_at)],
    ["Duration", call.duration_seconds == null ? null : `${call.duration_seconds} s`],
    ["Ended by", call.ended_by], ["Answered by", call.answered_by], ["Collected", collected],
  ], { class: "call-facts" });
}
