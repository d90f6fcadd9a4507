"""The command-line tools of tools/ run inside this process (torch is imported once, not per run)."""

import contextlib
import importlib.machinery
import importlib.util
import io
import os
import sys


def load(tools_dir, name):
    """The script tools_dir/name (ctnn-export, ctnn-import) as a module."""
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"), os.path.join(tools_dir, name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def run(tool, *arguments):
    """tool.main() with these command-line arguments: (exit status, what it wrote to stderr)."""
    saved = sys.argv
    sys.argv = [tool.__name__, *map(str, arguments)]
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = tool.main()
    except SystemExit as exit:
        status = exit.code
    finally:
        sys.argv = saved
    return status, stderr.getvalue()
