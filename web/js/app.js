// The console's shell: sign-in, navigation and the page router (hash routes,
// so nginx serves one file and needs no fallback).
import { api, apiKey, onUnauthorized } from "./api.js";
import { el, errorText } from "./dom.js";
import * as agents from "./agents.js";
import * as analytics from "./analytics.js";
import * as calls from "./calls.js";
import * as live from "./live.js";
import * as testCall from "./testcall.js";

const $ = (id) => document.getElementById(id);

// [pattern of the hash path, page]. A page is (view, {params, query, signal, mode}).
const routes = [
  [/^agents$/, agents.list],
  [/^agents\/new$/, agents.create],
  [/^agents\/([^/]+)$/, agents.edit],
  [/^live$/, live.list],
  [/^live\/([^/]+)$/, live.watch],
  [/^calls$/, calls.history],
  [/^calls\/([^/]+)$/, calls.detail],
  [/^analytics$/, analytics.show],
  [/^test-call$/, testCall.show],
];

let mode = { local_twilio: false };
let leave = new AbortController();

function route() {
  leave.abort();
  leave = new AbortController();
  const [path, search = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const page = $("page");
  const view = el("div");
  page.replaceChildren(view);
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("current", path.startsWith(link.getAttribute("href").slice(2)));
  }
  for (const [pattern, show] of routes) {
    const match = pattern.exec(path);
    if (!match) continue;
    const params = match.slice(1).map(decodeURIComponent);
    show(view, { params, query: new URLSearchParams(search), signal: leave.signal, mode })
      .catch((error) => view.replaceChildren(errorText(error)));
    return;
  }
  location.replace("#/agents");
}

function signedIn(yes) {
  $("sign-in").hidden = yes;
  $("page").hidden = !yes;
  $("nav").hidden = !yes;
  $("sign-out").hidden = !yes;
  $("nav-test-call").hidden = !(yes && mode.local_twilio);
  if (yes) {
    route();
  } else {
    leave.abort();
    $("page").replaceChildren();
    $("api-key").focus();
  }
}

async function signIn(event) {
  event.preventDefault();
  const key = $("api-key").value.trim();
  const message = $("sign-in-error");
  message.hidden = true;
  try {
    // Any operator endpoint will do: /sessions touches SessionDB only.
    await api("GET", "/sessions", { key });
  } catch (error) {
    message.textContent = error.status === 401
      ? "That API key was refused."
      : `Cannot sign in: ${error.message}`;
    message.hidden = false;
    return;
  }
  apiKey.set(key);
  $("api-key").value = "";
  signedIn(true);
}

function signOut() {
  apiKey.clear();
  signedIn(false);
}

async function start() {
  try {
    const response = await fetch("mode.json", { cache: "no-store" });
    if (response.ok) mode = await response.json();
  } catch {
    // Without it the console offers what works everywhere.
  }
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", () => { if (apiKey.get()) route(); });
  onUnauthorized(() => {
    signOut();
    $("sign-in-error").textContent = "The API key is no longer accepted; sign in again.";
    $("sign-in-error").hidden = false;
  });
  signedIn(Boolean(apiKey.get()));
}

start();
