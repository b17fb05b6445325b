"""The live sources: where papers' metadata and the posts that mention them come from."""
