"""The user's Hardcover account: talking to its API, matching books, and syncing reading.

`api` is the GraphQL client and everything about the account and its limits; `matching` links
local books to Hardcover books and editions; `sync` pushes reading state to the profile. This
package may import `library` (books and reading state) but never `server`, `services` or `ui`.
"""
