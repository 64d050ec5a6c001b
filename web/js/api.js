// The operator API (same origin, JSON), with this tab's API key as the bearer.

const KEY_NAME = "voice-console.api-key";

/** An answer that is not 2xx: the API's {error, detail}, or what the server said. */
export class ApiError extends Error {
  constructor(status, error, detail) {
    super(detail || error || `HTTP ${status}`);
    this.status = status;
    this.error = error;
  }
}

/** The key lives in session storage: it dies with the tab and never reaches a URL. */
export const apiKey = {
  get: () => sessionStorage.getItem(KEY_NAME),
  set: (key) => sessionStorage.setItem(KEY_NAME, key),
  clear: () => sessionStorage.removeItem(KEY_NAME),
};

let unauthorized = () => {};

/** Called when the stored key is refused (it was changed on the server): sign out. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/**
 * `method path` with `query` (empty values left out) and a JSON `body`.
 * Resolves to the parsed answer (null when empty); rejects with ApiError.
 * `key` overrides the stored key (the sign-in check).
 */
export async function api(method, path, { query, body, key } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value != null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Accept: "application/json", Authorization: `Bearer ${key ?? apiKey.get() ?? ""}` };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data?.error, data?.detail ?? text.slice(0, 200));
    if (response.status === 401 && key === undefined) unauthorized(error);
    throw error;
  }
  return data;
}
