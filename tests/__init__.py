"""The test suite (see conftest.py for its fixtures)."""

import sys

# Keep the compiled modules between runs (in __pycache__, which git ignores) even where the
# environment asks Python not to write them (PYTHONDONTWRITEBYTECODE): without them every run
# compiles the app and rewrites the assertions of every test module again, seven seconds of CPU.
# Where the tree cannot be written, Python and pytest carry on without them.
sys.dont_write_bytecode = False
