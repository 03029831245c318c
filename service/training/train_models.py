#!/usr/bin/env python3
"""Rebuild the bundled stanza English models from ../shared/data with stanza's own training modules.

    python service/training/train_models.py [STEP ...] [--data ../shared/data] [--device cpu|cuda]

Steps (default: all, in this order):
  prepare   unpack UD EWT+GUM train/dev, convert the worldwide-newswire NER BIO files to stanza JSON
  pretrain  word2vec (gensim, skip-gram, 100-d) over *training* text only -> stanza Pretrain file
  pos       UPOS/XPOS/UFeats tagger        (stanza.models.tagger)
  retag     tag train and dev with that tagger, so the parser learns from predicted tags
  depparse  graph parser on predicted tags (stanza.models.parser)
  lemma     lemmatizer                      (stanza.models.lemmatizer)
  ner       4-class news NER                (stanza.models.ner_tagger)
  evaluate  dev scores: UPOS, LAS with predicted tags, NER entity F1 -> WORK/scores.json
  pack      fp16 + xz into service/models/stanza-en (tokenize/mwt are copied from the starting set)

Every training stops at its --minutes budget; stanza keeps the best-dev model at every evaluation and a
stop never lands in the middle of a save. On the GPU machine pass --device cuda and run the steps one
after another (concurrent trainings slowed each other to CPU speed).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "service"))
# glibc's malloc settings that keep freed tensors for reuse: the tagger trained 2x faster with them here
from quotes_service.workers import MALLOC_ENV

BUNDLE = ROOT / "service" / "quotes_service" / "models" / "stanza-en"
STARTING_SET = ROOT.parent / "shared" / "models" / "stanza-en"
STEPS = ["prepare", "pretrain", "pos", "retag", "depparse", "lemma", "ner", "evaluate", "pack"]
# Package names inside the stanza resources tree; they are also the file names.
PACKAGES = {"pretrain": "news_w2v", "pos": "ewtgum", "lemma": "ewtgum", "depparse": "ewtgum_predtags",
            "ner": "worldwide4class"}
TOKEN_RE = re.compile(r"n't|'(?:s|re|ve|ll|d|m)\b|\w+(?:[-.']\w+)*|[^\w\s]", re.UNICODE)


def log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Recipe:
    def __init__(self, args: argparse.Namespace):
        self.data = Path(args.data).resolve()
        self.work = Path(args.work).resolve()
        self.device = args.device
        self.minutes = args.minutes
        self.resume = args.resume
        self.d = self.work / "data"
        self.m = self.work / "models"
        self.d.mkdir(parents=True, exist_ok=True)
        self.m.mkdir(parents=True, exist_ok=True)
        self.pretrain = self.m / "pretrain.pt"

    # --- data ---------------------------------------------------------------------------------
    def prepare(self) -> None:
        ud = self.data / "ud"
        for split in ("train", "dev"):
            for tb in ("ewt", "gum"):
                src = ud / f"en_{tb}-ud-{split}.conllu.xz"
                (self.d / f"{tb}.{split}.conllu").write_bytes(lzma.decompress(src.read_bytes()))
        comb = (self.d / "ewt.train.conllu").read_text("utf-8") + (self.d / "gum.train.conllu").read_text("utf-8")
        (self.d / "comb.train.conllu").write_text(comb, "utf-8")
        from stanza.utils.datasets.ner.prepare_ner_file import process_dataset
        for split in ("train", "dev"):
            process_dataset(str(self.data / "ner" / f"en_worldwide-4class.{split}.bio"),
                            str(self.d / f"ner.{split}.json"))
        log(f"prepared {self.d}")

    def training_sentences(self):
        """Lower-cased token lists from every *training* split (no dev, no test)."""
        for name in ("comb.train.conllu",):
            sent: list[str] = []
            for line in (self.d / name).read_text("utf-8").splitlines():
                if not line.strip():
                    if sent:
                        yield sent
                    sent = []
                elif not line.startswith("#"):
                    cols = line.split("\t")
                    if cols[0].isdigit():
                        sent.append(cols[1].lower())
        for sent_tokens in json.loads((self.d / "ner.train.json").read_text("utf-8")):
            yield [t["text"].lower() for t in sent_tokens]
        # PolNeAR train text: news vocabulary for the vectors only; its text is never shipped.
        for path in sorted((self.data / "polnear" / "train" / "text").glob("*.txt")):
            for para in path.read_text("utf-8").split("\n"):
                toks = TOKEN_RE.findall(para.lower())
                if toks:
                    yield toks

    def pretrain_step(self) -> None:
        from gensim.models import Word2Vec
        from stanza.models.common.pretrain import Pretrain
        sents = list(self.training_sentences())
        log(f"word2vec over {len(sents)} training sentences, {sum(map(len, sents))} tokens")
        w2v = Word2Vec(sents, vector_size=100, window=5, min_count=2, sg=1, negative=10, epochs=15,
                       workers=max(1, os.cpu_count() or 1), seed=1)
        vec = self.d / "w2v.txt"
        w2v.wv.save_word2vec_format(str(vec), binary=False)
        if self.pretrain.exists():
            self.pretrain.unlink()
        pt = Pretrain(str(self.pretrain), str(vec))
        pt.load()
        log(f"pretrain: {len(pt.vocab)} words -> {self.pretrain}")

    # --- trainings ----------------------------------------------------------------------------
    def run_module(self, name: str, module: str, *args: str, budget: float | None = None) -> None:
        """Run `python -m module args` (through the save-safe wrapper) with a time budget in minutes."""
        cmd = [sys.executable, __file__, "_safe_run", module, *args, "--device", self.device]
        logf = self.work / f"{name}.log"
        log(f"{name}: {module} (budget {budget or 'none'} min), log {logf}")
        with open(logf, "a", encoding="utf-8") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **MALLOC_ENV})
            try:
                proc.wait(timeout=budget * 60 if budget else None)
            except subprocess.TimeoutExpired:
                log(f"{name}: time budget reached, stopping (best model is on disk)")
                proc.send_signal(signal.SIGTERM)
                proc.wait()
        if proc.returncode not in (0, -signal.SIGTERM):
            raise SystemExit(f"{name} failed with exit code {proc.returncode}; see {logf}")

    def pos(self) -> None:
        self.run_module("pos", "stanza.models.tagger", "--mode", "train", "--lang", "en", "--shorthand", "en_ewtgum",
                        "--train_file", str(self.d / "comb.train.conllu"), "--eval_file", str(self.d / "ewt.dev.conllu"),
                        "--wordvec_pretrain_file", str(self.pretrain), "--save_dir", str(self.m),
                        "--save_name", "pos.pt", "--eval_interval", "200", "--log_step", "50",
                        "--batch_size", "250" if self.device != "cpu" else "100",  # more updates per hour on CPU
                        budget=self.minutes["pos"])

    def retag(self) -> None:
        for src in ("comb.train", "ewt.dev", "gum.dev"):
            self.run_module("retag", "stanza.models.tagger", "--mode", "predict", "--lang", "en",
                            "--shorthand", "en_ewtgum", "--eval_file", str(self.d / f"{src}.conllu"),
                            "--output_file", str(self.d / f"{src}.predpos.conllu"),
                            "--wordvec_pretrain_file", str(self.pretrain), "--save_dir", str(self.m),
                            "--save_name", "pos.pt")

    def depparse(self) -> None:
        resume: list[str] = []
        if self.resume and (self.m / "depparse.pt").exists():  # e.g. a short GPU run, continued on CPU
            start = self.m / "depparse.start.pt"
            shutil.copyfile(self.m / "depparse.pt", start)
            resume = ["--continue_from", str(start)]
            log(f"depparse: continuing from {start}")
        self.run_module("depparse", "stanza.models.parser", "--mode", "train", "--lang", "en", *resume,
                        "--shorthand", "en_ewtgum", "--train_file", str(self.d / "comb.train.predpos.conllu"),
                        "--eval_file", str(self.d / "ewt.dev.predpos.conllu"),
                        "--wordvec_pretrain_file", str(self.pretrain), "--save_dir", str(self.m),
                        "--save_name", "depparse.pt", "--no_checkpoint", "--hidden_dim", "200",
                        "--deep_biaff_hidden_dim", "200", "--char_hidden_dim", "200",
                        "--eval_interval", "200", "--log_step", "50", budget=self.minutes["depparse"])

    def lemma(self) -> None:
        self.run_module("lemma", "stanza.models.lemmatizer", "--mode", "train", "--shorthand", "en_ewtgum",
                        "--train_file", str(self.d / "comb.train.conllu"), "--eval_file", str(self.d / "ewt.dev.conllu"),
                        "--save_dir", str(self.m), "--save_name", "lemma.pt", "--num_epoch", "4",
                        "--log_step", "1000", budget=self.minutes["lemma"])

    def ner(self) -> None:
        train = self.d / "ner.train.possessives.json"
        augment_possessives(self.d / "ner.train.json", train)
        resume: list[str] = []
        if self.resume and (self.m / "ner.pt").exists():
            start = self.m / "ner.start.pt"
            shutil.copyfile(self.m / "ner.pt", start)
            resume = ["--finetune", "--finetune_load_name", str(start)]
            log(f"ner: continuing from {start}")
        self.run_module("ner", "stanza.models.ner_tagger", "--mode", "train", "--shorthand", "en_worldwide-4class",
                        *resume, "--train_file", str(train), "--eval_file", str(self.d / "ner.dev.json"),
                        "--wordvec_pretrain_file", str(self.pretrain), "--save_dir", str(self.m),
                        "--save_name", "ner.pt", "--eval_interval", "400", "--log_step", "100",
                        budget=self.minutes["ner"])

    # --- scores and packing -------------------------------------------------------------------
    def evaluate(self) -> None:
        from udtools.udeval import evaluate as ud_evaluate  # stanza 1.15 moved its evaluator to udtools
        from udtools.udeval import load_conllu_file
        scores: dict[str, float] = {}
        for tb in ("ewt", "gum"):
            tagged = self.d / f"{tb}.dev.predpos.conllu"
            self.run_module("evaluate", "stanza.models.tagger", "--mode", "predict", "--lang", "en",
                            "--shorthand", "en_ewtgum", "--eval_file", str(self.d / f"{tb}.dev.conllu"),
                            "--output_file", str(tagged), "--wordvec_pretrain_file", str(self.pretrain),
                            "--save_dir", str(self.m), "--save_name", "pos.pt")
            parsed = self.d / f"{tb}.dev.parsed.conllu"
            self.run_module("evaluate", "stanza.models.parser", "--mode", "predict", "--lang", "en",
                            "--shorthand", "en_ewtgum", "--eval_file", str(tagged), "--output_file", str(parsed),
                            "--wordvec_pretrain_file", str(self.pretrain), "--save_dir", str(self.m),
                            "--save_name", "depparse.pt")
            gold = load_conllu_file(str(self.d / f"{tb}.dev.conllu"))
            res = ud_evaluate(gold, load_conllu_file(str(parsed)))
            scores[f"{tb}_dev_upos"] = round(100 * res["UPOS"].f1, 2)
            scores[f"{tb}_dev_uas_predtags"] = round(100 * res["UAS"].f1, 2)
            scores[f"{tb}_dev_las_predtags"] = round(100 * res["LAS"].f1, 2)
        before = (self.work / "ner.log").stat().st_size if (self.work / "ner.log").exists() else 0
        self.run_module("ner", "stanza.models.ner_tagger", "--mode", "predict", "--shorthand", "en_worldwide-4class",
                        "--eval_file", str(self.d / "ner.dev.json"), "--wordvec_pretrain_file", str(self.pretrain),
                        "--save_dir", str(self.m), "--save_name", "ner.pt")
        tail = (self.work / "ner.log").read_text("utf-8")[before:]
        found = re.findall(r"F1\s*=?\s*:?\s*([0-9.]+)", tail)
        if found:
            f1 = float(found[-1])
            scores["ner_dev_entity_f1"] = round(f1 * 100 if f1 <= 1 else f1, 2)
        (self.work / "scores.json").write_text(json.dumps(scores, indent=1), "utf-8")
        log(f"dev scores: {scores}")

    def pack(self) -> None:
        """Write the models of WORK/models into the package's bundle (fp16, xz) with its manifests."""
        import torch
        files, resources = {}, {"lang_name": "English"}
        old = json.loads((BUNDLE / "bundle.json").read_text("utf-8")) if (BUNDLE / "bundle.json").exists() else {}
        old_resources = json.loads((BUNDLE / "resources.json").read_text("utf-8"))["en"] if old else {}
        for proc in ("tokenize", "mwt", *PACKAGES):
            pkg = PACKAGES.get(proc, "combined")
            src = self.m / f"{proc}.pt" if proc in PACKAGES else STARTING_SET / "en" / proc / "combined.pt"
            rel = f"en/{proc}/{pkg}.pt"
            source_sha = hashlib.sha256(src.read_bytes()).hexdigest()
            kept = old.get("files", {}).get(rel, {})
            if kept.get("source_sha256") == source_sha and (BUNDLE / kept["packed"]).exists():
                # torch.save is not byte-stable: repacking an unchanged model would churn git by megabytes
                files[rel], resources[proc] = kept, old_resources[proc]
                continue
            state = torch.load(src, map_location="cpu", weights_only=False)
            if proc in PACKAGES and proc != "pretrain":  # stanza copies fp16 back into fp32 parameters
                for key, val in list(state["model"].items()):
                    if torch.is_tensor(val) and val.dtype == torch.float32 and (val.numel() == 0 or val.abs().max() < 6e4):
                        state["model"][key] = val.half()
            tmp = self.m / f"{proc}.packed.pt"
            torch.save(state, tmp, _use_new_zipfile_serialization=False)
            raw = tmp.read_bytes()
            write_xz(raw, BUNDLE / (rel + ".xz"))
            files[rel] = {"processor": proc, "packed": rel + ".xz", "bytes": len(raw),
                          "sha256": hashlib.sha256(raw).hexdigest(), "source_sha256": source_sha}
            entry = {"md5": hashlib.md5(raw).hexdigest()}
            if proc in ("pos", "depparse", "ner"):
                entry["dependencies"] = [{"model": "pretrain", "package": PACKAGES["pretrain"]}]
            resources[proc] = {pkg: entry}
        default = {p: PACKAGES.get(p, "combined") for p in ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")}
        resources["default_processors"] = default
        resources["packages"] = {"default": default}
        (BUNDLE / "resources.json").write_text(json.dumps({"en": resources}, indent=1) + "\n", "utf-8")
        scores = self.work / "scores.json"
        manifest = {"built": time.strftime("%Y%m%d"), "stanza": stanza_version(), "files": files,
                    "dev_scores": json.loads(scores.read_text("utf-8")) if scores.exists() else {}}
        (BUNDLE / "bundle.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        log(f"packed into {BUNDLE}; copy the dev scores into the model card")


def augment_possessives(src: Path, dst: Path) -> None:
    """The NER data splits possessives ("Assad" + "'s") but stanza's NER tags *tokens*, where the pipeline
    keeps "Assad's" whole: add a copy of every sentence with an entity's possessive joined to it."""
    sents = json.loads(src.read_text("utf-8"))
    extra = []
    for sent in sents:
        joined, changed = [], False
        for tok in sent:
            if joined and tok["text"] in ("'s", "\u2019s", "'") and joined[-1]["ner"] != "O":
                joined[-1] = {**joined[-1], "text": joined[-1]["text"] + tok["text"]}
                changed = True
            else:
                joined.append(dict(tok))
        if changed:
            extra.append(joined)
    dst.write_text(json.dumps(sents + extra), "utf-8")
    log(f"ner: {len(extra)} sentences with joined possessives added -> {dst.name}")


def stanza_version() -> str:
    import stanza
    return stanza.__version__


def write_xz(raw: bytes, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(lzma.compress(raw, preset=9 | lzma.PRESET_EXTREME))
    log(f"{dst.relative_to(ROOT)}: {len(raw):,} -> {dst.stat().st_size:,} bytes")


def safe_run(module: str, argv: list[str]) -> None:
    """Run a stanza training module so that SIGTERM never interrupts a torch.save half way."""
    import runpy

    import torch

    state = {"saving": 0, "pending": False}
    original_save = torch.save

    def guarded_save(*a, **kw):
        state["saving"] += 1
        try:
            return original_save(*a, **kw)
        finally:
            state["saving"] -= 1
            if state["pending"] and not state["saving"]:
                os._exit(0)

    def on_term(signum, frame):
        if state["saving"]:
            state["pending"] = True
        else:
            os._exit(0)

    torch.save = guarded_save
    signal.signal(signal.SIGTERM, on_term)
    sys.argv = [module, *argv]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_safe_run":
        return safe_run(sys.argv[2], sys.argv[3:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("steps", nargs="*", choices=STEPS + [[]], default=[], metavar="STEP")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="the shared data folder")
    ap.add_argument("--work", default=str(ROOT / "work-train"), help="scratch folder for data and checkpoints")
    ap.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    ap.add_argument("--resume", action="store_true",
                    help="depparse, ner: continue training the model already in WORK/models")
    for name, default in (("pos", 50), ("depparse", 150), ("lemma", 20), ("ner", 75)):
        ap.add_argument(f"--{name}-minutes", type=float, default=default, help=f"time budget of the {name} training")
    args = ap.parse_args()
    args.minutes = {n: getattr(args, f"{n}_minutes") for n in ("pos", "depparse", "lemma", "ner")}
    recipe = Recipe(args)
    for step in args.steps or STEPS:
        t0 = time.time()
        getattr(recipe, "pretrain_step" if step == "pretrain" else step)()
        log(f"step {step} done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
