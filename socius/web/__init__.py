"""Server-rendered UI: base templates, htmx partials, static assets, language handling."""
