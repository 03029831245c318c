"""Which stanza models the engine loads, and how: bundled (default), official, or a directory; and at
which precision (int8 by default: the weights of the LSTMs quantized after loading, see
engine/quantization.py; fp32 as trained).

The bundled models live compressed beside this file (stanza-en/, with its model card) and are unpacked
once into a cache folder. Nothing here touches the network except `download_official`.

A selection's `version` is the model_version of every response: it names the models and a hash of them
together with the engine's rules and bundled data, so a change to any of those changes it.
"""
from __future__ import annotations

import hashlib
import json
import lzma
import os
import tempfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

BUNDLE_DIR = Path(__file__).parent / "stanza-en"
TAGGER_DIR = Path(__file__).parent / "attribution"  # the engine's attribution tagger (engine/learned/)
ENGINE_DIR = Path(__file__).resolve().parents[1] / "engine"
PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
# Path keyword of stanza.Pipeline per bundled file (relative to the resources tree).
_PATH_KWARGS = {
    "tokenize": ["tokenize_model_path"],
    "mwt": ["mwt_model_path"],
    "pos": ["pos_model_path"],
    "lemma": ["lemma_model_path"],
    "depparse": ["depparse_model_path"],
    "ner": ["ner_model_path"],
    "pretrain": ["pos_pretrain_path", "depparse_pretrain_path", "ner_pretrain_path"],
}
PRECISIONS = ("int8", "fp32")
# int8 holds the accuracy bar (dev UPOS, LAS, NER F1 and PolNeAR within 0.3 of fp32: the model card)
DEFAULT_PRECISION = "int8"


class ModelsNotFound(RuntimeError):
    """The selected models are not where they should be; the message says what to do."""


@dataclass(frozen=True)
class ModelSelection:
    """The models to load: `version` (models, rules, data and precision) names them in every response,
    `pipeline_kwargs` loads them, `precision` says whether the engine quantizes them after loading."""

    source: str
    version: str
    pipeline_kwargs: dict
    precision: str = "fp32"


def cache_root() -> Path:
    base = os.environ.get("QUOTES_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "quotes-service")
    return Path(base)


def bundle_manifest() -> dict:
    return json.loads((BUNDLE_DIR / "bundle.json").read_text("utf-8"))


def bundle_version() -> str:
    """The bundled models alone (it names their unpacked copy in the cache, which rule changes keep)."""
    raw = (BUNDLE_DIR / "bundle.json").read_bytes()
    return f"stanza-en-{json.loads(raw)['built']}-{hashlib.sha256(raw).hexdigest()[:8]}"


def rules_digest(engine_dir: Path = ENGINE_DIR, tagger_dir: Path = TAGGER_DIR) -> bytes:
    """sha256 of the engine's rules, bundled data and attribution tagger: every engine/**/*.py,
    engine/data/*.json and the tagger's weights."""
    digest = hashlib.sha256()
    files = [(p, p.relative_to(engine_dir)) for p in [*engine_dir.rglob("*.py"), *(engine_dir / "data").glob("*.json")]]
    files += [(p, Path("tagger") / p.name) for p in tagger_dir.glob("*.pt")]
    for path, name in sorted(files, key=lambda f: f[1].as_posix()):
        digest.update(name.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


@cache
def _rules() -> bytes:
    return rules_digest()  # once per process: the sources do not change under a running engine


def model_version(name: str, models: bytes) -> str:
    """`name` and a hash of the models' manifest (`models`) with the engine's rules and data."""
    return f"{name}-{hashlib.sha256(models + _rules()).hexdigest()[:8]}"


def unpack_bundle(target: Path | None = None) -> Path:
    """Unpack the bundled models once (atomically, safe for several processes) and return the tree."""
    version = bundle_version()
    target = target or cache_root() / version
    done = target / ".complete"
    if done.exists():
        return target
    manifest = bundle_manifest()
    target.mkdir(parents=True, exist_ok=True)
    for rel, info in manifest["files"].items():
        dst = target / rel
        if dst.exists() and dst.stat().st_size == info["bytes"]:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        data = lzma.decompress((BUNDLE_DIR / info["packed"]).read_bytes())
        if hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise ModelsNotFound(f"bundled model {info['packed']} is corrupt (sha256 mismatch); reinstall the package")
        with tempfile.NamedTemporaryFile(dir=dst.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, dst)
    (target / "resources.json").write_text((BUNDLE_DIR / "resources.json").read_text("utf-8"), "utf-8")
    done.write_text(version, "utf-8")
    return target


def bundled_pretrain() -> Path:
    """The bundled word vectors, which the attribution tagger reads whatever stanza models are selected."""
    return unpack_bundle() / "en" / "pretrain" / "news_w2v.pt"


def _bundled() -> ModelSelection:
    tree = unpack_bundle()
    kwargs: dict = {"lang": "en", "dir": str(tree), "processors": PROCESSORS, "download_method": None}
    for rel, info in bundle_manifest()["files"].items():
        for key in _PATH_KWARGS[info["processor"]]:
            kwargs[key] = str(tree / rel)
    raw = (BUNDLE_DIR / "bundle.json").read_bytes()
    return ModelSelection("bundled", model_version(f"stanza-en-{json.loads(raw)['built']}", raw), kwargs)


def _from_directory(tree: Path, source: str) -> ModelSelection:
    resources = tree / "resources.json"
    if not resources.exists():
        hint = "run `quotes models download`" if source == "official" else "point it at a stanza resources tree"
        raise ModelsNotFound(f"no stanza models in {tree} (resources.json missing): {hint}")
    missing = [p for p in PROCESSORS.split(",") if not (tree / "en" / p).is_dir()]
    if missing:
        raise ModelsNotFound(f"stanza models in {tree} lack the processors {', '.join(missing)}")
    version = model_version(f"stanza-{'official' if source == 'official' else 'dir'}", resources.read_bytes())
    kwargs = {"lang": "en", "dir": str(tree), "processors": PROCESSORS, "download_method": None}
    return ModelSelection(source, version, kwargs)


def official_dir() -> Path:
    return cache_root() / "stanza-official"


def select_models(setting: str | None = None, precision: str | None = None) -> ModelSelection:
    """`setting` (or $QUOTES_MODELS): "bundled" (default), "official", or a path to a resources tree;
    `precision` (or $QUOTES_PRECISION): "int8" (default) or "fp32". An int8 selection's version ends in
    "-int8": its answers can differ from the fp32 models' in rare cases."""
    setting = setting or os.environ.get("QUOTES_MODELS") or "bundled"
    precision = check_precision(precision or os.environ.get("QUOTES_PRECISION") or DEFAULT_PRECISION)
    if setting == "bundled":
        selection = _bundled()
    elif setting == "official":
        selection = _from_directory(official_dir(), "official")
    else:
        selection = _from_directory(Path(setting).expanduser().resolve(), "directory")
    if precision == "fp32":
        return selection
    return replace(selection, version=f"{selection.version}-{precision}", precision=precision)


def check_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ModelsNotFound(f"unknown precision {precision!r}: use {' or '.join(PRECISIONS)} "
                             "(flag --precision or QUOTES_PRECISION)")
    return precision


def download_official() -> Path:
    """Fetch stanza's official English package (needs a network)."""
    import stanza

    target = official_dir()
    stanza.download("en", model_dir=str(target), processors=PROCESSORS, package="default")
    return target
