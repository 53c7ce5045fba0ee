"""Auth scheme kinds, one module each."""
