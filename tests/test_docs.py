"""The documentation's links: every relative link in README.md and docs/*.md names a file
that exists, and every #anchor a heading of that file (GitHub's slugs)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def github_slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation but - and _ dropped,
    spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page):
    """Every anchor of a Markdown file, numbered as GitHub numbers repeated headings."""
    seen = {}
    result = set()
    for heading in re.findall(r"^#{1,6} (.+)$", FENCE.sub("", page.read_text()), re.M):
        slug = github_slug(heading)
        result.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return result


def relative_links(page):
    for target in LINK.findall(FENCE.sub("", page.read_text())):
        if not re.match(r"[a-z]+:", target):
            yield target


def test_slug_matches_github():
    assert github_slug("Bring your TF1 checkpoint to Keras 3: `--to-keras`") == (
        "bring-your-tf1-checkpoint-to-keras-3---to-keras")
    assert github_slug("09_02 on a real export") == "09_02-on-a-real-export"


def test_front_door_is_short_and_links_every_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    for page in PAGES[1:]:
        assert f"(docs/{page.name})" in readme, page.name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            broken.append(target)
    assert broken == []


def test_the_runners_page_names_every_symbol_the_runner_provides():
    """docs/runner.md's list is checked against the runner's own tables: each symbol the
    TF1 view provides under tf.contrib (and its families) is named on the page."""
    from graphrnn.tf1.api.contrib import (crf, cudnn_rnn, data, framework, legacy_seq2seq,
                                          lookup, metrics, rnn, seq2seq)
    from graphrnn.tf1.api.contrib.layers import layers
    from graphrnn.tf1.api.contrib.learn import model_fn, preprocessing
    from graphrnn.tf1.api.contrib.training import hparams

    page = FENCE.sub("", (ROOT / "docs" / "runner.md").read_text())
    named = {word for ticked in re.findall(r"`([^`\n]+)`", page)
             for word in re.findall(r"[A-Za-z_]\w*", ticked)}
    tables = [rnn.RNN, layers.LAYERS, seq2seq.SEQ2SEQ, legacy_seq2seq.LEGACY_SEQ2SEQ, crf.CRF,
              preprocessing.PREPROCESSING, framework.FRAMEWORK, hparams.TRAINING,
              model_fn.LEARN, data.DATA, lookup.LOOKUP, metrics.METRICS,
              {name: None for name in cudnn_rnn.CUDNN_RNN if not name.isupper()}]
    assert sorted({name for table in tables for name in table} - named) == []
