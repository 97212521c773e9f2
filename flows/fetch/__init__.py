"""The one HTTP fetcher: guarded addresses, bounded bodies, robots.txt, polite per-host pacing."""
