"""Importing the library, the CLI or the chat leaves the process environment as it was (unit tier)."""

import json
import os
import subprocess
import sys

CHECK = """
import json, os
before = dict(os.environ)
import rag, rag.cli, rag.embedder, rag.llm, rag.pipeline, ui.app
after = dict(os.environ)
print(json.dumps({k: [before.get(k), after.get(k)] for k in set(before) | set(after) if before.get(k) != after.get(k)}))
"""


def test_importing_rag_changes_no_environment_variable():
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY",
                                                           "GRADIO_ANALYTICS_ENABLED", "TOKENIZERS_PARALLELISM")}
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=300, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {}


def test_entry_points_set_the_offline_switches():
    from rag.settings import OFFLINE_ENVIRONMENT

    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}
    code = "import os, sys; from rag.cli import main; sys.argv=['rag','models','list']; main(); " \
           "print({k: os.environ.get(k) for k in %r})" % sorted(OFFLINE_ENVIRONMENT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=True)
    assert eval(out.stdout.strip().splitlines()[-1]) == OFFLINE_ENVIRONMENT  # noqa: S307 - our own output
