// Agents: list by status, create (form or pasted JSON), edit, deactivate.
import { api } from "./api.js";
import { el, errorText, link, table, when } from "./dom.js";

const STATUSES = ["active", "inactive", "archived"];

export async function list(view, { query }) {
  const status = STATUSES.includes(query.get("status")) ? query.get("status") : "active";
  const rows = el("tbody");
  const more = el("button", { type: "button", hidden: true }, "More");
  const message = el("div");
  const picker = el("select", { id: "agent-status", onchange: (e) => { location.hash = `#/agents?status=${e.target.value}`; } },
    STATUSES.map((s) => el("option", { value: s, selected: s === status }, s)));
  view.append(
    el("div", { class: "title" }, el("h1", {}, "Agents"), el("a", { href: "#/agents/new", class: "button", id: "new-agent" }, "New agent")),
    el("p", {}, el("label", {}, "Status ", picker)),
    message,
    el("table", { id: "agents" },
      el("thead", {}, el("tr", {}, ["Agent", "Name", "Language", "Voice", "Fields", "Updated", ""].map((h) => el("th", {}, h)))),
      rows),
    more);

  const load = async (cursor) => {
    const page = await api("GET", "/agents", { query: { status, cursor, limit: 50 } });
    for (const agent of page.agents) rows.append(agentRow(agent, message));
    if (!rows.children.length) rows.append(el("tr", {}, el("td", { colspan: 7 }, `No ${status} agents.`)));
    more.hidden = !page.next_cursor;
    more.onclick = () => load(page.next_cursor).catch((error) => message.replaceChildren(errorText(error)));
  };
  await load();
}

function agentRow(agent, message) {
  const setStatus = (status) => async () => {
    try {
      await api("PATCH", `/agents/${encodeURIComponent(agent.agent_id)}`, { body: { status } });
      location.hash = `#/agents?status=${status}`;
    } catch (error) {
      message.replaceChildren(errorText(error));
    }
  };
  const actions = [link("Edit", "agents", agent.agent_id)];
  if (agent.status === "active") actions.push(el("button", { type: "button", class: "deactivate", onclick: setStatus("inactive") }, "Deactivate"));
  else actions.push(el("button", { type: "button", class: "activate", onclick: setStatus("active") }, "Activate"));
  return el("tr", { "data-agent-id": agent.agent_id },
    el("td", {}, el("code", {}, agent.agent_id)), el("td", {}, agent.name), el("td", {}, agent.language),
    el("td", {}, agent.voice), el("td", {}, Object.keys(agent.data_to_fill || {}).join(", ")),
    el("td", {}, when(agent.updated_at)), el("td", { class: "actions" }, actions));
}

export async function create(view) {
  const message = el("div");
  const form = agentForm(null);
  const pasted = el("textarea", { id: "agent-json", rows: 18, spellcheck: "false",
    placeholder: '{"agent_id": "...", "name": "...", "prompt": "...", "voice": "Polly.Joanna", "language": "en-US", ...}' });
  const submit = async (body) => {
    try {
      const agent = await api("POST", "/agents", { body });
      location.hash = `#/agents?status=${agent.status}`;
    } catch (error) {
      message.replaceChildren(errorText(error));
    }
  };
  form.element.addEventListener("submit", (event) => { event.preventDefault(); submit(form.value()); });
  const jsonForm = el("form", { id: "agent-json-form" }, pasted, el("button", { type: "submit" }, "Create from JSON"));
  jsonForm.addEventListener("submit", (event) => {
    event.preventDefault();
    let body;
    try {
      body = JSON.parse(pasted.value);
    } catch (error) {
      message.replaceChildren(errorText(`The JSON does not parse: ${error.message}`));
      return;
    }
    submit(body);
  });
  view.append(el("h1", {}, "New agent"), message,
    el("div", { class: "columns" },
      el("section", {}, el("h2", {}, "From the form"), form.element),
      el("section", {}, el("h2", {}, "From pasted JSON"),
        el("p", { class: "hint" }, "The original's agent files (agent_config_example.json) as they are."), jsonForm)));
}

export async function edit(view, { params: [agentId] }) {
  const agent = await api("GET", `/agents/${encodeURIComponent(agentId)}`);
  const message = el("div");
  const form = agentForm(agent);
  form.element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const patch = form.value();
    delete patch.agent_id;
    // A merge patch merges objects key by key: what the form no longer has
    // (a data_to_fill field, or its example or pattern) is sent as null.
    for (const [name, before] of Object.entries(agent.data_to_fill || {})) {
      const after = patch.data_to_fill[name];
      if (!after) {
        patch.data_to_fill[name] = null;
        continue;
      }
      for (const key of Object.keys(before)) if (!(key in after)) after[key] = null;
    }
    try {
      await api("PATCH", `/agents/${encodeURIComponent(agentId)}`, { body: patch });
      location.hash = `#/agents?status=${agent.status}`;
    } catch (error) {
      message.replaceChildren(errorText(error));
    }
  });
  view.append(el("h1", {}, "Agent ", el("code", {}, agentId), " ", el("span", { class: "badge" }, agent.status)),
    message, form.element);
}

// The form of an agent's fields; value() gives the agent JSON it describes.
function agentForm(agent) {
  const a = agent || { voice: "Polly.Joanna", language: "en-US", few_shot: [], data_to_fill: {} };
  const input = (name, label, props = {}) => el("label", {}, label,
    el("input", { name, value: a[name] ?? "", ...props }));
  const area = (name, label, rows) => el("label", {}, label, el("textarea", { name, rows }, a[name] ?? ""));

  const examples = el("div", { class: "rows", id: "few-shot" });
  const addExample = (pair = {}) => examples.append(removable(el("div", { class: "row example" },
    el("input", { class: "user", placeholder: "caller says", value: pair.user ?? "" }),
    el("input", { class: "assistant", placeholder: "agent answers", value: pair.assistant ?? "" }))));
  (a.few_shot || []).forEach(addExample);

  const fields = el("div", { class: "rows", id: "data-to-fill" });
  const addField = (name = "", spec = { required: true }) => fields.append(removable(el("div", { class: "row field" },
    el("input", { class: "name", placeholder: "field (e.g. email)", value: name }),
    el("label", { class: "inline" }, el("input", { type: "checkbox", class: "required", checked: spec.required !== false }), "required"),
    el("input", { class: "prompt", placeholder: "question", value: spec.prompt ?? "" }),
    el("input", { class: "example", placeholder: "example", value: spec.example ?? "" }),
    el("input", { class: "pattern", placeholder: "validation pattern (regex)", value: spec.validation_pattern ?? "" }))));
  for (const [name, spec] of Object.entries(a.data_to_fill || {})) addField(name, spec);

  const element = el("form", { id: "agent-form", class: "stacked" },
    input("agent_id", "Agent id", { required: true, readonly: Boolean(agent), pattern: "[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}" }),
    input("name", "Name", { required: true }),
    area("prompt", "Prompt", 5),
    area("greeting", "Greeting", 2),
    el("div", { class: "pair" }, input("voice", "Voice", { required: true }), input("language", "Language", { required: true })),
    el("fieldset", {}, el("legend", {}, "Few-shot examples"), examples,
      el("button", { type: "button", onclick: () => addExample() }, "Add example")),
    el("fieldset", {}, el("legend", {}, "Data to collect"), fields,
      el("button", { type: "button", id: "add-field", onclick: () => addField() }, "Add field")),
    el("button", { type: "submit", id: "save-agent" }, agent ? "Save changes" : "Create agent"));

  const value = () => {
    const named = (name) => element.elements[name].value.trim();
    const body = {
      agent_id: named("agent_id"), name: named("name"), prompt: named("prompt"), greeting: named("greeting"),
      voice: named("voice"), language: named("language"), few_shot: [], data_to_fill: {},
    };
    for (const row of examples.querySelectorAll(".example")) {
      const user = row.querySelector(".user").value.trim();
      const assistant = row.querySelector(".assistant").value.trim();
      if (user || assistant) body.few_shot.push({ user, assistant });
    }
    for (const row of fields.querySelectorAll(".field")) {
      const name = row.querySelector(".name").value.trim();
      if (!name) continue;
      const spec = { required: row.querySelector(".required").checked, prompt: row.querySelector(".prompt").value.trim() };
      const example = row.querySelector(".example").value.trim();
      const pattern = row.querySelector(".pattern").value.trim();
      if (example) spec.example = example;
      if (pattern) spec.validation_pattern = pattern;
      body.data_to_fill[name] = spec;
    }
    return body;
  };
  return { element, value };
}

function removable(row) {
  row.append(el("button", { type: "button", class: "remove", title: "Remove", onclick: () => row.remove() }, "×"));
  return row;
}
