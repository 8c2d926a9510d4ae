"""What the Year page asks of the core, answered with plain data: the year's figures
(`library.year`) and, for its share picture, the covers of the books finished and, only when
the user asks for them, the year's highlights. Never Qt, `ui` or `cli`."""
