"""Success answer kinds, one module each."""
