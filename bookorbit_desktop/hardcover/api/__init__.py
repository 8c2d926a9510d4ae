"""Hardcover's GraphQL API: client, rate limit, typed errors, response records, credentials.

The operations we send live as `.graphql` files under `operations/` (fragments shared through
`#import`-free includes resolved by `documents`); every one is validated against Hardcover's
schema by a test. Imports aiohttp, graphql-core and keyring, never Qt; of `library`, only
`account` and `credentials` use the open library (its settings, and which library it is, since
each library keeps its own token).
"""
