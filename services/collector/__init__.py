"""Collector: pulls posts from platforms (one adapter per platform in `sources/`), accepts
pushed posts over HTTP (`ingest`), normalises them to `post.v1` and publishes to `posts`."""
