"""Hardcover's GraphQL API: client, rate limit, typed errors, response records, credentials.

The operations we send live as `.graphql` files under `operations/` (fragments shared through
`#import`-free includes resolved by `documents`); every one is validated against Hardcover's
schema by a test. Imports aiohttp, graphql-core and keyring, never Qt, and nothing of
`matching` or `sync`; of `library`, only `credentials` uses the open library (which library it
is, since each library keeps its own token). The account that puts these together with the
app's settings and match counts is `services.hardcover.account`.
"""
