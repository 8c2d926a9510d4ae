"""Hardcover's GraphQL API: client, rate limit, typed errors, response records, credentials.

The operations we send live as `.graphql` files under `operations/` (fragments shared through
`#import`-free includes resolved by `documents`); every one is validated against Hardcover's
schema by a test. Imports aiohttp, graphql-core and keyring; never `library` or Qt.
"""
