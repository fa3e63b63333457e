"""Renderers of the reflection report: terminal, Markdown, and a self-contained HTML file."""
