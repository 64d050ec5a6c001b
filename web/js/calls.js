// Call history with filters, and one call: its transcript beside its recording.
import { api } from "./api.js";
import { el, errorText, every, facts, link, when } from "./dom.js";
import { callFacts, showTranscript } from "./live.js";

const STATUSES = ["", "initiated", "ringing", "in-progress", "completed", "failed", "busy", "no-answer", "canceled", "abandoned"];
const FILTERS = ["agent_id", "recipient", "status", "since", "until"];
const RECORDING_POLL_MS = 3000;

export async function history(view, { query }) {
  const field = (name, label, props = {}) => el("label", {}, label, el("input", { name, value: query.get(name) ?? "", ...props }));
  const filters = el("form", { id: "call-filters", class: "filters" },
    field("agent_id", "Agent"),
    field("recipient", "Recipient", { placeholder: "+15550100" }),
    el("label", {}, "Status", el("select", { name: "status" },
      STATUSES.map((s) => el("option", { value: s, selected: s === (query.get("status") ?? "") }, s || "any")))),
    field("since", "Since", { type: "date" }),
    field("until", "Until", { type: "date" }),
    el("button", { type: "submit" }, "Filter"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const name of FILTERS) {
      const value = filters.elements[name].value.trim();
      if (value) chosen.set(name, value);
    }
    location.hash = `#/calls?${chosen}`;
  });
  const rows = el("tbody");
  const message = el("div");
  const more = el("button", { type: "button", hidden: true }, "More");
  view.append(el("h1", {}, "Call history"), filters, message,
    el("table", { id: "calls" },
      el("thead", {}, el("tr", {}, ["Started", "Call", "Agent", "Direction", "Recipient", "Status", "Duration", "Ended by", "Messages"]
        .map((h) => el("th", {}, h)))),
      rows),
    more);

  const chosen = Object.fromEntries(FILTERS.map((name) => [name, query.get(name)]));
  const load = async (cursor) => {
    const page = await api("GET", "/calls", { query: { ...chosen, cursor } });
    for (const call of page.calls) {
      rows.append(el("tr", { "data-call-sid": call.call_sid },
        el("td", {}, when(call.started_at)), el("td", {}, link(call.call_sid, "calls", call.call_sid)),
        el("td", {}, call.agent_id), el("td", {}, call.direction), el("td", {}, call.recipient_phone),
        el("td", {}, call.status), el("td", {}, call.duration_seconds == null ? "" : `${call.duration_seconds} s`),
        el("td", {}, call.ended_by ?? ""), el("td", {}, String(call.message_count ?? ""))));
    }
    if (!rows.children.length) rows.append(el("tr", {}, el("td", { colspan: 9 }, "No calls match.")));
    more.hidden = !page.next_cursor;
    more.onclick = () => load(page.next_cursor).catch((error) => message.replaceChildren(errorText(error)));
  };
  await load();
}

export async function detail(view, { params: [callSid], signal }) {
  const path = `/calls/${encodeURIComponent(callSid)}`;
  const { call, live, recording_presigned_url: recording } = await api("GET", path);
  const transcript = el("ol", { class: "transcript", id: "call-transcript" });
  showTranscript(transcript, call.conversation_history);
  const player = el("div", { id: "recording" });
  const analysis = call.analysis ? facts([
    ["Summary", call.analysis.summary],
    ["Successful", call.analysis.success == null ? null : String(call.analysis.success)],
  ], { class: "analysis" }) : null;
  view.append(el("h1", {}, "Call ", el("code", {}, callSid), live ? el("span", { class: "badge" }, "live") : null));
  if (live) view.append(el("p", {}, "The call is in progress: ", link("follow it live", "live", callSid), "."));
  view.append(
    el("div", { class: "call-detail" },
      el("section", {}, el("h2", {}, "Transcript"), transcript),
      el("aside", {}, el("h2", {}, "Recording"), player, callFacts(call), analysis)));

  if (recording) {
    player.append(audio(recording));
    return;
  }
  if (live || !call.call_recording_url) {
    player.append(el("p", { class: "hint" }, live ? "Available once the call has ended." : "This call has no recording."));
    return;
  }
  // Twilio's recording is being copied to S3 by the worker: the link comes with it.
  const waiting = el("p", { class: "hint" }, "The recording is being archived…");
  player.append(waiting);
  every(RECORDING_POLL_MS, async () => {
    const again = await api("GET", path);
    if (!again.recording_presigned_url) return false;
    player.replaceChildren(audio(again.recording_presigned_url));
    return true;
  }, signal);
}

// The presigned S3 link is valid 15 minutes; the page fetches a new one when opened again.
function audio(url) {
  return el("div", {},
    el("audio", { controls: true, preload: "metadata", src: url, id: "recording-audio" }),
    el("p", { class: "hint" }, "Link valid 15 minutes."));
}
