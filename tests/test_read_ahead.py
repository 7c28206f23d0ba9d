"""The built-in packs' YAML documents read ahead (rulebook/packs.json): the same documents
YAML gives, used only for a text whose hash they were written for."""

from __future__ import annotations

import json
import subprocess
import sys

from cleaner.rulebook import loader
from cleaner.rulebook.loader import builtin_pack_dir, pack_files, parse_pack, read_yaml


def test_the_read_ahead_holds_every_built_in_pack_as_yaml_reads_it() -> None:
    """`make atoms` rewrites it after a pack changed."""
    documents = json.loads(loader.READ_AHEAD.read_text(encoding="utf-8"))["documents"]
    files = pack_files([builtin_pack_dir()])
    assert len(documents) == len(files), "a pack changed: run `make atoms`"
    for path in files:
        text = path.read_text(encoding="utf-8")
        key = loader._text_key(text)
        assert key in documents, f"{path.name} changed: run `make atoms`"
        assert repr(documents[key]) == repr(read_yaml(text, str(path)))


def test_an_edited_pack_is_read_from_its_yaml() -> None:
    path = pack_files([builtin_pack_dir()])[0]
    text = path.read_text(encoding="utf-8")
    pack = parse_pack(text, str(path), check_patterns=False)
    edited = text.replace(pack.description, "An edited description.", 1)
    assert edited != text
    assert parse_pack(edited, str(path), check_patterns=False).description == \
        "An edited description."
    assert parse_pack(text, str(path), check_patterns=False) == pack


def test_a_run_on_the_built_in_packs_does_not_import_yaml() -> None:
    code = ("import sys; from cleaner.rulebook.loader import load_packs; load_packs(); "
            "print('yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
