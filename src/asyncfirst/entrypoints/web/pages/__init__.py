"""One module per page (or group of pages), each with a module-level ``router``.

``install_web`` includes every module here automatically; see ``web/__init__.py``.
"""
