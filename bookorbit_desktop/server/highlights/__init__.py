"""The receiver for KOReader's Exporter → XMNote target: `POST /send` on a port of its own.

`payload` validates the JSON KOReader sends (pure), `guard` decides who may post (private
source addresses, an IP-literal Host, no Origin, an optional pairing secret, a rate limit),
`receiver` is the aiohttp app and its start/stop. It hands plain values to
`library.highlights.received` on the library's writer thread and never imports `hardcover`.
"""
