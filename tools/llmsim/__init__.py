"""A scriptable stand-in LLM server for local mode and tests.

It answers OpenAI's chat completions (`POST /v1/chat/completions`) and Ollama's
native chat (`POST /api/chat`) from a script of rules the test sets through a
small control API (`/_sim/...`), records every request it receives, and can be
slow, rate-limited, broken or malformed on demand. Standard library only.
"""
