"""The guards every KOReader channel takes: kosync, OPDS, WebDAV, highlights, the device port
and discovery.

A stranger on the Wi-Fi can reach every one of these ports, so the rules that keep one of
them from stalling, filling or forging through the others live here once: connection caps per
address and in total, accepting a few connections a loop turn (`connections`); the login
throttle that counts failed password checks per address, per network and in all, its rule as
tables, and the logins that just failed (`throttle`, `login_rules`, `repeats`); time limits
on request bodies (`bodies`); answers per address and in total, for replies a forged source
could aim at someone else (`rate`); log lines within a budget per address a minute
(`log_budget`); which sources are on the user's own network, and which
addresses are public ones an outside fetch may reach (`addresses`). A channel holds only its
protocol and takes these; network text made safe for a log line is the base's `log_text`,
which every layer may use. This package imports nothing of the app's but the base modules
(`allocator`): neither `server`, `devices`, `library` nor `hardcover`.
"""
