"""Reading goals for the window, the tray and the command line (`service`). Never Qt, `ui` or
`cli`."""
