"""Every module in this package is a model backend; importing the package registers them all.

Backends whose optional dependencies are missing still register: they fail with a clear message
naming the extra to install when they are built, not at import.
"""

import importlib
import pkgutil

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")
