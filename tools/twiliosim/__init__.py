"""A Twilio simulator for local mode and tests.

It speaks the part of Twilio's REST API the product uses (creating and
updating calls, fetching recordings) and plays the callee: it calls the
product's webhooks in Twilio's order with Twilio's parameters, signed with the
auth token, speaks the lines of a scenario, follows the TwiML it gets back (or
the TwiML a call update sends), and reports the call's statuses and recording. A small control API (`/sim/...`) registers scenarios,
starts inbound calls and shows what happened on each call.
"""
