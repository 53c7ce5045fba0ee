"""Pagination styles, generator side: one module per style (`pagination.style`), registered in
`generator.kinds.PAGING`; the runtime side is `generator/runtime/paging/`."""
