"""Unit tier: settings grouped by concern, documented, checked on construction, read from RAG_* once."""

from pathlib import Path

import pytest

from rag.cli import main
from rag.errors import SettingsError
from rag.settings import FIELD_GROUP, GROUPS, Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_code_and_readme():
    readme = README.read_text(encoding="utf-8")
    rows = Settings().describe()
    assert {r["group"] for r in rows} == set(GROUPS)
    for r in rows:
        assert len(str(r["doc"])) > 15, f"{r['name']} has no real description"
        assert r["variable"] in readme, f"README does not mention {r['variable']}"


def test_the_readme_settings_table_is_the_generated_one():
    # `rag settings --markdown` writes it; a help text changed in code and not in the README fails here
    from rag.setting_fields import markdown_table

    readme = README.read_text(encoding="utf-8")
    table = markdown_table(Settings().describe(), {str(Path.home()): "~", str(README.parent): "."})
    stale = [row.split(" | ")[0] for row in table.splitlines()[2:] if row not in readme]
    assert not stale, f"README rows differ from `rag settings --markdown`: {stale}"


def test_environment_variables_keep_their_flat_names(monkeypatch):
    monkeypatch.setenv("RAG_N_THREADS", "1")
    monkeypatch.setenv("RAG_TOP_K", "5")
    monkeypatch.setenv("RAG_MIN_SUPPORT", "0.5")
    monkeypatch.setenv("RAG_UI_PORT", "8000")
    s = Settings.from_env(top_k=4, llm=None)  # an override wins over the environment; None is ignored
    assert (s.models.n_threads, s.retrieval.top_k, s.verification.min_support, s.server.ui_port) == (1, 4, 0.5, 8000)


def test_replace_routes_flat_names_to_their_group():
    s = Settings().replace(judge=True, max_tokens=64, index_dir="~/kb")
    assert s.verification.judge is True and s.generation.max_tokens == 64
    assert s.retrieval.index_dir == Path("~/kb").expanduser()  # text paths become expanded Paths
    assert Settings().verification.judge is False  # frozen: the original is unchanged
    with pytest.raises(SettingsError, match="unknown setting 'topk'"):
        Settings().replace(topk=3)
    assert set(FIELD_GROUP) == {r["name"] for r in Settings().describe()}


@pytest.mark.parametrize("change, words", [
    ({"top_k": 0}, "RAG_TOP_K.*at least 1"),
    ({"temperature": 3.0}, "RAG_TEMPERATURE.*at most 2"),
    ({"ui_port": 70000}, "RAG_UI_PORT.*at most 65535"),
    ({"min_relevance": "high"}, "RAG_MIN_RELEVANCE.*must be a number"),
    ({"n_threads": 1.5}, "RAG_N_THREADS.*whole number"),
    ({"judge": "yes"}, "RAG_JUDGE.*true or false"),
    ({"ui_auth": "nopassword"}, "RAG_UI_AUTH.*user:password"),
])
def test_bad_values_fail_on_construction_with_one_line(change, words):
    with pytest.raises(SettingsError, match=words) as err:
        Settings().replace(**change)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name, raw", [("RAG_TOP_K", "three"), ("RAG_JUDGE", "maybe"), ("RAG_MIN_SUPPORT", "x")])
def test_unparseable_environment_is_a_user_error(monkeypatch, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


def test_candidate_pool_is_never_smaller_than_top_k():
    assert Settings().replace(top_k=20).retrieval.pool == 20
    assert Settings().replace(top_k=2, candidates=12).retrieval.pool == 12


def test_rag_settings_lists_every_variable_and_reports_bad_ones(monkeypatch, capsys):
    monkeypatch.setenv("RAG_TOP_K", "7")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert all(f"RAG_{name.upper()}" in out for name in FIELD_GROUP)
    assert "RAG_TOP_K              = 7  (default 3)" in out
    monkeypatch.setenv("RAG_TOP_K", "-1")
    assert main(["settings"]) == 2
    assert "error: setting retrieval.top_k (RAG_TOP_K) must be at least 1" in capsys.readouterr().err


def test_the_check_llm_is_the_answering_one_unless_another_is_named(monkeypatch):
    from rag import llm as llm_module

    answering = object()
    loaded = []
    monkeypatch.setattr(llm_module, "get_llm", lambda s: loaded.append(s.models.llm) or "check model")
    s = Settings()
    assert llm_module.get_check_llm(s, answering) is answering
    assert llm_module.get_check_llm(s.replace(check_llm=s.models.llm), answering) is answering
    assert llm_module.get_check_llm(s.replace(check_llm="qwen2.5-0.5b", llm_url="http://127.0.0.1:1"), answering) is answering
    assert llm_module.get_check_llm(s.replace(check_llm="qwen2.5-0.5b"), answering) == "check model"
    assert loaded == ["qwen2.5-0.5b"]
