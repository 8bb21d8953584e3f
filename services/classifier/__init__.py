"""Classifier: scores every post for watchlisted entities and troop-deployment claims.

The pure core (`watchlist`, `engine`) does no I/O; `service` is the thin Kafka shell."""
