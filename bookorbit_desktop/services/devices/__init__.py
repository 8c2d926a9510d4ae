"""What the Devices screen asks of the core (`ui.devices`), answered with plain data: sending
books to e-readers over calibre's wireless protocol, the queue, who is connected and what each
device holds (`service`).

Modules here may import the base, `library`, `devices` and `server` (the LAN addresses); never
Qt, `ui` or `cli`.
"""
