"""The Devices page and "Send to device": the e-readers KOReader connects from over Wi-Fi.

`page.DevicesPage` is a passive view (state in, signals out); `controller.DevicesController`
mounts it in the main window, adds "Send to device" for the selected books, the book panel's
"On Kobo Libra 2" (`on_device`) and the password in Settings, and runs what the page asks
through `services.devices`. No SQL and no sockets here.
"""
