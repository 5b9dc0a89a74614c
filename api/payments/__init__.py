"""Payment provider adapters (the domain's port: domain/payment_gateway.py), one module each,
and the registry that builds the ones this installation takes payments through."""
