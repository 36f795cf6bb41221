"""The package: submodules, version, claims; the examples run headless and write their PNGs."""
import glob
import os
import subprocess
import sys

import pytest

from conftest import run_tool
import mlderiv

EXAMPLES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "*.py")))


def test_submodules_import_by_name():
    import mlderiv.abc
    import mlderiv.rope
    from mlderiv.quanta import zipf_tail_loss

    assert mlderiv.abc.min_sum(130)["S"] == mlderiv.abc.min_sum(130)["a"] + 13
    assert callable(zipf_tail_loss) and mlderiv.rope is mlderiv._mlderiv.rope
    assert "Keyword arguments" in mlderiv.rope.certify.__doc__ and "rel [1e-06]" in mlderiv.rope.certify.__doc__


def test_version_is_the_tools():
    out = subprocess.run([os.path.join(os.environ.get("MLDERIV_BIN", ""), "abc-min"), "--version"], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["abc-min", mlderiv.__version__]


@pytest.mark.parametrize("tool", ["abc-min", "quanta-scaling", "jl-entropy", "score-w2", "rnn-fixpoint", "attn-sweep"])
def test_claims_are_every_tools_claim_table(tool):
    listed = run_tool(tool, "reproduce", "--list")
    ours = [c for c in mlderiv.claims() if c["tool"] == tool]
    assert [c["key"] for c in ours] == listed["key"]
    assert [c["claim"] for c in ours] == listed["claim"]
    assert [c["published"] for c in ours] == listed["published"]


@pytest.mark.parametrize("example", EXAMPLES, ids=os.path.basename)
def test_example_runs_headless_and_writes_its_png(example, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("DISPLAY", None)
    subprocess.run([sys.executable, example, str(tmp_path)], check=True, env=env, timeout=120)
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10000
