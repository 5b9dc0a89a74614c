"""GraphiQL, the in-browser IDE at /graphql, served from this package so it works offline:
`page` (the page, its assets' routes, the link that fills in a token), `operations.graphql`
(what its editor opens with) and `assets/` (pinned npm builds; assets/README.md)."""
