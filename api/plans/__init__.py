"""Query plans: a query operation compiled once, then executed level by level.

graphql-core executes a query field by field: for every field of every object it builds a
resolve info and a path, looks the field up, calls its resolver, and completes the value
through a chain of type checks. On a catalog page that is ~6,000 fields and ~15,000
completed values per request, and most of the server's time. A plan does that work once
per (document, operation): it knows each field's response key, how its value is read (an
attribute, a relay id, or Strawberry's resolver), and how each leaf is serialized. Running
it reads attributes straight off objects and calls every resolver of a level for all
parents before awaiting any, so DataLoaders batch as they do under graphql-core.

What a plan does not cover it leaves to graphql-core, whose response is then the answer:
documents it cannot compile (`compiler.NotPlannable`: mutations, subscriptions,
introspection, abstract types, directives, resolver middleware) and any run that meets an
error or a null where the schema promises a value (`runner.FallBack`), so errors and their
paths always come from graphql-core. docs/query-plans.md tells operators how to switch it.
"""
