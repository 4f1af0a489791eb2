"""Let a stage package be called like its main function.

``samestory.compare`` is both a subpackage (``samestory/compare/``) and the function users
call. Python binds the subpackage to the attribute ``samestory.compare`` the first time
any of its modules is imported, which would shadow the function; making the package
module callable keeps ``samestory.compare(a, b)`` working whichever one the name holds.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from typing import Any


def make_module_callable(module_name: str, function: Callable[..., Any]) -> None:
    module = sys.modules[module_name]

    class _CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    _CallableModule.__call__.__doc__ = function.__doc__
    module.__class__ = _CallableModule
    # inspect.signature(samestory.compare) and IDEs show the function's parameters, not
    # (*args, **kwargs) (the signature is read lazily: annotations stay unevaluated strings)
    module.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
