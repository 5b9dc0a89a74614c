"""Commands: what a caller asks the domain to do, as plain frozen data.

One module per area, as in `domain/usecases/`."""
