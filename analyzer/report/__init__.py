"""Reports: tables, HTML, Markdown, compare, diff."""
