"""Source adapters, one module per platform, all behind the `Source` interface in `base`."""
