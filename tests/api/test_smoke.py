"""The app answers a query on both back-ends."""

ME = "{ me { role subject } }"


async def test_anonymous_caller_is_told_it_has_no_role(graphql):
    data = await graphql.data(ME)
    assert data == {"me": {"role": None, "subject": "anonymous"}}
