"""The read side: lean SELECTs of just the columns the API shows, for lists and loaders.

Writes go through repositories and domain objects; reads come straight from here as rows
(attribute access by column label), so a page of results is built into API objects once.
One module per area of the API; `pages` holds the keyset pagination they share.
"""
