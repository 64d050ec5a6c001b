// Building the page from data. Every value goes in as text (Node.append of a
// string, setAttribute): transcripts and agent fields are other people's text,
// so nothing here parses HTML.

/**
 * A new element. `props`: "class", "on<event>" handlers, other attributes
 * (true means present; false, null and undefined leave it out).
 * Children: nodes, or anything else as text.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** An SVG element (the analytics charts); attributes only, text children. */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children.flat()) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** A table with a header row; `rows` are arrays of cells (nodes or text). */
export function table(headers, rows, props = {}) {
  return el("table", props,
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
}

/** A definition list from [term, value] pairs; empty values are left out. */
export function facts(pairs, props = {}) {
  return el("dl", props, pairs.filter(([, v]) => v != null && v !== "")
    .map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

/** An error message in place of (or above) a page's content. */
export function errorText(error) {
  return el("p", { class: "error", role: "alert" }, error?.message || String(error));
}

export function when(timestamp) {
  if (!timestamp) return "";
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? String(timestamp) : date.toLocaleString();
}

export function seconds(value) {
  return value == null ? "" : `${Math.round(value * 10) / 10} s`;
}

export function percent(share) {
  return share == null ? "" : `${Math.round(share * 100)} %`;
}

/** A link inside the console (hash routes); parts are encoded. */
export function link(text, ...parts) {
  return el("a", { href: "#/" + parts.map(encodeURIComponent).join("/") }, text);
}

/**
 * Runs `task` now and then every `ms` after it finishes, until `signal` aborts
 * (the page was left) or `task` returns true (done).
 */
export function every(ms, task, signal) {
  const run = async () => {
    if (signal.aborted) return;
    let done = false;
    try {
      done = await task();
    } catch (error) {
      console.warn(error);
    }
    if (!done && !signal.aborted) {
      const timer = setTimeout(run, ms);
      signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }
  };
  run();
}
