"""Stage 4, render: IR -> file texts. Each renderer returns {relative path: text}."""
