"""Developer tools (screenshots for the README); not part of the app or its package.

Run them from the project root in the venv, e.g. ``python -m tools.screenshot_classify``.
"""
