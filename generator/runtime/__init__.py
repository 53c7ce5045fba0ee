"""The hand-written runtime every generated provider package shares (copied into `opi._runtime`)."""
