from collections.abc import Callable
from typing import Any

# At run time LazyString is not a `str` subclass; it is declared as one because it stands in for text
# wherever text goes (WTForms labels and messages, Jinja, `flash`), which is what it is for, and the
# WTForms stubs accept only `str` there. It becomes the translation in the locale of the moment it is used.
class LazyString(str):
    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None: ...
    def __html__(self) -> str: ...
