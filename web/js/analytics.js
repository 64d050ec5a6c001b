// Analytics: per agent and day, a bar chart of calls (completed inside) and the table.
import { api } from "./api.js";
import { el, percent, seconds, svg, table } from "./dom.js";

export async function show(view, { query }) {
  const field = (name, label, props = {}) => el("label", {}, label, el("input", { name, value: query.get(name) ?? "", ...props }));
  const filters = el("form", { id: "analytics-filters", class: "filters" },
    field("agent_id", "Agent"), field("since", "Since", { type: "date" }), field("until", "Until", { type: "date" }),
    el("button", { type: "submit" }, "Show"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const name of ["agent_id", "since", "until"]) {
      const value = filters.elements[name].value.trim();
      if (value) chosen.set(name, value);
    }
    location.hash = `#/analytics?${chosen}`;
  });
  view.append(el("h1", {}, "Analytics"), filters);
  const report = await api("GET", "/analytics", {
    query: { agent_id: query.get("agent_id"), since: query.get("since"), until: query.get("until") },
  });
  view.append(el("p", { class: "hint", id: "analytics-window" }, `${report.since} to ${report.until} (UTC)`));
  if (!report.agents.length) {
    view.append(el("p", {}, "No calls in this window."));
    return;
  }
  for (const agent of report.agents) {
    const t = agent.totals;
    view.append(el("section", { class: "agent-analytics", "data-agent-id": agent.agent_id },
      el("h2", {}, agent.agent_id),
      table(["Calls", "Completed", "Answered by machine", "Mean duration", "p90 duration", "All required collected", "Ended by"], [[
        String(t.calls), String(t.completed), String(t.answered_by_machine), seconds(t.duration_seconds?.mean),
        seconds(t.duration_seconds?.p90), percent(t.all_required_collected), endedBy(t.ended_by)]], { class: "totals" }),
      chart(agent.days),
      table(["Day", "Calls", "Completed", "By machine", "Mean", "p90", "All required"], agent.days.map((d) => [
        d.date, String(d.calls), String(d.completed), String(d.answered_by_machine), seconds(d.duration_seconds?.mean),
        seconds(d.duration_seconds?.p90), percent(d.all_required_collected)]), { class: "days" })));
  }
}

function endedBy(counts) {
  return Object.entries(counts || {}).filter(([, n]) => n).map(([who, n]) => `${who} ${n}`).join(", ");
}

// Calls per day as bars, the completed ones darker inside each bar.
function chart(days) {
  const width = 640, height = 180, bottom = 24, top = 16;
  const most = Math.max(1, ...days.map((d) => d.calls));
  const slot = width / Math.max(days.length, 1);
  const bar = Math.min(48, slot * 0.7);
  const scale = (n) => (n / most) * (height - bottom - top);
  const bars = days.map((d, i) => {
    const x = i * slot + (slot - bar) / 2;
    return svg("g", {},
      svg("rect", { class: "calls", x, y: height - bottom - scale(d.calls), width: bar, height: scale(d.calls) },
        svg("title", {}, `${d.date}: ${d.calls} calls, ${d.completed} completed`)),
      svg("rect", { class: "completed", x, y: height - bottom - scale(d.completed), width: bar, height: scale(d.completed) }),
      svg("text", { x: x + bar / 2, y: height - bottom - scale(d.calls) - 4, "text-anchor": "middle" }, String(d.calls)),
      svg("text", { x: x + bar / 2, y: height - 6, "text-anchor": "middle" }, d.date.slice(5)));
  });
  return svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": "Calls per day; the darker part completed" }, ...bars);
}
