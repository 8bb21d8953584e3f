"""Test helpers: waiting on conditions, running services in-process or as processes, reading
topics, and real HTTP receivers on loopback."""
