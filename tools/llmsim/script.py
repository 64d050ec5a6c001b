"""The script (rules that decide each answer) and the log of requests received."""
import threading
import time

RULE_KEYS = {"match", "times", "status", "delay_ms", "content", "json", "raw_body", "usage"}
REPLIES = ("content", "json", "raw_body")


class ScriptError(ValueError):
    """A rule the control API refuses; the message names the rule and the key."""


def check_rule(index, rule):
    """Validates one rule as POSTed; returns a copy."""
    where = f"rule {index}"
    if not isinstance(rule, dict):
        raise ScriptError(f"{where}: expected an object")
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        raise ScriptError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(RULE_KEYS))})")
    if "match" in rule and not isinstance(rule["match"], str):
        raise ScriptError(f"{where}: match must be a string")
    for key, low in (("times", 1), ("status", 100), ("delay_ms", 0)):
        value = rule.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < low):
            raise ScriptError(f"{where}: {key} must be an integer >= {low}")
    if rule.get("status", 200) > 599:
        raise ScriptError(f"{where}: status must be an HTTP status")
    given = [key for key in REPLIES if key in rule]
    if len(given) > 1:
        raise ScriptError(f"{where}: give one of {', '.join(REPLIES)}, not {' and '.join(given)}")
    for key in ("content", "raw_body"):
        if key in rule and not isinstance(rule[key], str):
            raise ScriptError(f"{where}: {key} must be a string")
    if "usage" in rule and not isinstance(rule["usage"], dict):
        raise ScriptError(f"{where}: usage must be an object")
    return dict(rule)


class Script:
    """Rules in order; the first whose `match` is in the last user message wins.
    A rule with `times` is removed once used that many times."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def replace(self, rules):
        if not isinstance(rules, list):
            raise ScriptError("the script is a JSON list of rules")
        checked = [check_rule(index, rule) for index, rule in enumerate(rules)]
        with self._lock:
            self._rules = [{"rule": rule, "left": rule.get("times")} for rule in checked]
        return len(checked)

    def rules(self):
        with self._lock:
            return [dict(entry["rule"], times_left=entry["left"]) for entry in self._rules]

    def take(self, last_user_message):
        """The rule that answers this message (its use counted), or None."""
        text = (last_user_message or "").lower()
        with self._lock:
            for entry in self._rules:
                needle = entry["rule"].get("match")
                if needle is not None and needle.lower() not in text:
                    continue
                if entry["left"] is not None:
                    entry["left"] -= 1
                    if entry["left"] <= 0:
                        self._rules.remove(entry)
                return entry["rule"]
        return None


class RequestLog:
    """Every model request received (not the control API's), oldest first."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, method, path, headers, auth, body):
        entry = {"method": method, "path": path, "headers": headers, "auth": auth, "body": body,
                 "received_at": time.time(), "status": None}
        with self._lock:
            self._entries.append(entry)
        return entry

    def answered(self, entry, status):
        with self._lock:
            entry["status"] = status

    def all(self):
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self):
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
        return count
