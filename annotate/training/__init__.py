"""Models trained in the product (issue #34): the project's gold → a spaCy pipeline → its predictions as
suggestions. splits (which document is in which split), data (the sets as token-aligned samples), pipeline
(spaCy: build, train, predict), arguments (the event-argument baseline), scoring, archive (the portable
tar.gz), services (the writes) and jobs (the background kinds)."""
