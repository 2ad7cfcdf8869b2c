"""The CLI's error contract: one line, the fix, exit status 2, no traceback."""

import subprocess
import sys

import pytest


def run(*args, env_extra=None, tmp_path=None):
    import os

    env = dict(os.environ, HF_HUB_OFFLINE="1", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True, env=env, timeout=300)


def test_missing_index_is_a_clean_error(tmp_path):
    r = run("index", "list", "--index", str(tmp_path / "none"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "rag index build" in r.stderr and "Traceback" not in r.stderr


def test_empty_question_is_a_clean_error(tmp_path):
    r = run("ask", "  ", env_extra={"RAG_INDEX_DIR": str(tmp_path / "idx")})
    assert r.returncode == 2 and "question is empty" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.embedder
def test_missing_model_is_a_clean_error(tmp_path):
    r = run("ask", "Who?", "--model", str(tmp_path / "missing.gguf"),
            env_extra={"RAG_EMBEDDER": "all-minilm-l6-v2", "RAG_INDEX_DIR": str(tmp_path / "idx")})
    assert r.returncode == 2 and "missing.gguf not found" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.embedder
def test_index_build_add_list_remove(tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text("The lighthouse keeper is called Anna.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 10)
    idx = str(tmp_path / "idx")
    env = {"RAG_EMBEDDER": "all-minilm-l6-v2"}
    r = run("index", "build", str(doc), "--index", idx, env_extra=env)
    assert r.returncode == 0, r.stderr
    r = run("index", "add", str(bad), "--index", idx, env_extra=env)
    assert r.returncode == 2 and "binary" in r.stderr
    r = run("index", "list", "--index", idx, env_extra=env)
    assert r.returncode == 0 and "notes.md" in r.stdout
    r = run("index", "remove", "notes.md", "--index", idx, env_extra=env)
    assert r.returncode == 0


def test_models_list():
    r = run("models", "list")
    assert r.returncode == 0 and "qwen2.5-1.5b" in r.stdout and "embeddinggemma-300m" in r.stdout
