"""Request body kinds, one module each."""
