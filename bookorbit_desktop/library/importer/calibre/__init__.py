"""Moving in from calibre: its `metadata.db` read without ever being written or locked
(`reader`), its books' files imported where they are and every field calibre keeps laid on
the books they became (`fields`, many books at a time), as one undo step (`apply`)."""
