"""How large a part of a book may be before it is refused: kept apart from the readers and the
cover maker, which both need it, so that neither imports the other and a command that only
checks a size loads no reader."""

# A cover larger than this is not a cover: `covers` refuses it, and a reader asked for only a
# cover's head reads no further.
MAX_COVER_BYTES = 20 * 1024 * 1024
