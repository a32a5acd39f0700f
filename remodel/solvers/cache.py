"""Where numba caches compiled code: a directory keyed by every source file the code comes from.

numba checks only the time stamp of the file that defines a cached function, so an edit of a module
whose functions it calls would otherwise reuse stale machine code. :func:`directory` hashes the
module and every module of the same package it imports at module level, transitively, found by
reading their import statements (:func:`sources`): code compiled by numba cannot import, so it can
only reach functions through those imports. Old directories (earlier versions of the sources) are
removed, the :data:`KEEP` most recently used excepted.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numba

__all__ = ["KEEP", "directory", "sources"]

#: Cache directories kept per module (several versions of the sources may be in use side by side,
#: e.g. branches of a working copy); the least recently used beyond these are removed.
KEEP = 8


def _module_file(name: str, root: Path, package: str) -> Path | None:
    """The source file of module ``name`` of ``package`` (rooted at ``root``), or None if it is
    not a module of it (a name defined in a module, or a namespace package)."""
    parts = name.split(".")
    if parts[0] != package:
        return None
    base = root.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(path: Path, name: str, is_package: bool) -> set[str]:
    """Absolute names of what module ``name`` (file ``path``) imports at module level: modules,
    and for ``from m import x`` both ``m`` and ``m.x`` (``x`` may be a submodule)."""
    names = set()
    package = name if is_package else name.rpartition(".")[0]
    nodes = list(ast.parse(path.read_text(), str(path)).body)
    while nodes:  # module level, including the bodies of if / try blocks there
        node = nodes.pop()
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, (ast.If, ast.Try)):
            nodes.extend(node.body + node.orelse + getattr(node, "finalbody", [])
                         + [n for handler in getattr(node, "handlers", []) for n in handler.body])
    return names


def sources(module: str) -> list[Path]:
    """The source files of ``module`` and of every module of its top-level package that it
    imports at module level, transitively (sorted)."""
    package = module.partition(".")[0]
    top = sys.modules[package]
    if not hasattr(top, "__path__"):  # a module of its own, not in a package
        return [Path(top.__file__)]
    root = Path(top.__file__).parent
    found: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        path = _module_file(name, root, package)
        if path is None or name in found:
            continue
        found[name] = path
        todo.extend(_imported(path, name, path.name == "__init__.py"))
    return sorted(set(found.values()))


def directory(module: str, *more: str) -> str:
    """A numba cache directory for the compiled code of ``module`` (with functions of the modules
    ``more``, found at run time rather than by imports), keyed by their :func:`sources`:
    ``<root>/remodel/numba/<module>/<hash>`` under ``NUMBA_CACHE_DIR`` if set, else the user's cache
    directory, else the temporary directory ("" if none is writable: numba's own choice)."""
    digest = hashlib.sha256()
    for path in sorted({path for name in (module, *more) for path in sources(name)}):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    user = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    for root in (numba.config.CACHE_DIR, user, tempfile.gettempdir()):
        if not root:
            continue
        path = Path(root, "remodel", "numba", module, digest.hexdigest()[:16])
        try:
            path.mkdir(parents=True, exist_ok=True)
            os.utime(path)  # used now: the last to be removed
        except OSError:
            continue
        if os.access(path, os.W_OK):
            _remove_old(path.parent)
            return str(path)
    return ""


def _remove_old(parent: Path) -> None:
    """Remove all but the :data:`KEEP` most recently used cache directories in ``parent``."""
    try:
        entries = sorted((p for p in parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:  # removed or replaced by another process meanwhile
        return
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
