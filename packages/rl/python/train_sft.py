"""Supervised fine-tuning on AutoTraj SFT rows (`toTrlSftRow`) with TRL's SFTTrainer.

    python train_sft.py --rows sft.trl.jsonl --base model.gguf --out run/ [--lora] [--llama-cpp DIR]

Called by `trainSft` in @autotraj/rl (`autotraj train-sft`), which validates the rows first.
- The base is a GGUF (loaded dequantized by transformers) or a Hugging Face model directory.
- The loss covers what the model wrote: prompt and tool output are masked (`trl_sft.py`).
- Checkpoints go to OUT/checkpoints; a rerun with the same OUT resumes from the latest.
- With --llama-cpp (a llama.cpp source tree), the result is also written as GGUF: a LoRA adapter
  (convert_lora_to_gguf.py) or, for a full fine-tune, a merged model (convert_hf_to_gguf.py).
Progress goes to stderr as JSON lines ({"event": "progress", ...}); the last stdout line is the
summary ({"ok": true, ...}) or {"error": code, "message": ...}.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def fail(code, message):
    print(json.dumps({"error": code, "message": message}), flush=True)
    sys.exit(2)


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lora", action="store_true")
    p.add_argument("--lora-r", type=int, default=8)
    p.add_argument("--lora-alpha", type=int, default=16)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--max-steps", type=int, default=0)
    p.add_argument("--max-length", type=int, default=1024)
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument("--grad-accum", type=int, default=4)
    p.add_argument("--learning-rate", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--save-steps", type=int, default=10)
    p.add_argument("--llama-cpp", default=None)
    p.add_argument("--outtype", default="f16", choices=["f32", "f16", "bf16", "q8_0"])
    return p.parse_args()


def load_base(base):
    """(model, tokenizer, kind) from a GGUF file or a Hugging Face directory."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    import torch

    if not os.path.exists(base):
        fail("bad-base", f"{base}: no such file or directory")
    try:
        if os.path.isfile(base):
            folder, name = os.path.split(os.path.abspath(base))
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
            # The weights are dequantized to fp32; only the GGUF marker remains, and the Trainer
            # refuses "quantized" models. Drop the marker (a saved config must not carry it either).
            model.hf_quantizer = None
            model.is_quantized = False
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
            # llama.cpp's converters pick the architecture from config.json's `architectures`,
            # which a config read from GGUF metadata lacks.
            model.config.architectures = [type(model).__name__]
            return model, tokenizer, "gguf"
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        return model, tokenizer, "hf"
    except Exception as error:  # noqa: BLE001 - any load failure is the base's fault
        fail("bad-base", f"{base}: does not load as a causal LM ({type(error).__name__}: {error})")


def read_rows(path):
    rows = []
    with open(path, encoding="utf8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    fail("bad-input", f"{path}:{n}: not JSON ({error})")
    if not rows:
        fail("bad-input", f"{path}: no SFT rows")
    return rows


def tokenize(rows, tokenizer, max_length, rows_path):
    """Tokenized rows, and the (1-based) line numbers of rows longer than max_length.

    A row that does not fit is left out rather than cut: a cut-off trajectory would teach the
    model to stop mid-answer. The caller reports how many were left out."""
    from trl_sft import tokenize_sft_row

    kept, too_long = [], []
    for n, row in enumerate(rows, 1):
        example = tokenize_sft_row(row, tokenizer)
        if example["completion_mask"][0] != 0:
            fail("bad-input", f"{rows_path}:{n}: the prompt is empty (nothing to mask)")
        if sum(example["assistant_masks"]) == 0:
            fail("bad-input", f"{rows_path}:{n}: nothing to train on (the completion is all tool output)")
        if len(example["input_ids"]) > max_length:
            too_long.append(n)
        else:
            kept.append(example)
    if not kept:
        fail("bad-input", f"{rows_path}: every row is longer than --max-length {max_length} tokens")
    return kept, too_long


def latest_checkpoint(folder):
    if not os.path.isdir(folder):
        return None
    steps = [int(d.split("-")[1]) for d in os.listdir(folder) if d.startswith("checkpoint-") and
             os.path.exists(os.path.join(folder, d, "trainer_state.json"))]
    return os.path.join(folder, f"checkpoint-{max(steps)}") if steps else None


def convert(script, args, what):
    started = time.time()
    result = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    if result.returncode != 0:
        fail("convert-failed", f"{os.path.basename(script)} ({what}) exited with {result.returncode}:\n"
                               f"{result.stderr[-3000:]}")
    return time.time() - started


def main():
    args = parse_args()
    import torch
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import SFTConfig, SFTTrainer

    torch.manual_seed(args.seed)
    rows = read_rows(args.rows)
    load_started = time.time()
    model, tokenizer, base_kind = load_base(args.base)
    load_seconds = time.time() - load_started
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    examples, too_long = tokenize(rows, tokenizer, args.max_length, args.rows)
    data = Dataset.from_list(examples)
    tokens_total = sum(len(e["input_ids"]) for e in examples)
    trained_total = sum(sum(e["assistant_masks"]) for e in examples)

    if args.lora:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha,
                                                 lora_dropout=args.lora_dropout, target_modules="all-linear",
                                                 task_type="CAUSAL_LM"))
    os.makedirs(args.out, exist_ok=True)
    checkpoints = os.path.join(args.out, "checkpoints")
    steps_per_epoch = math.ceil(len(examples) / (args.batch_size * args.grad_accum))
    total_steps = args.max_steps if args.max_steps > 0 else max(1, math.ceil(steps_per_epoch * args.epochs))
    tokens_per_step = tokens_total / max(1, steps_per_epoch)
    gpu = torch.cuda.is_available()

    class Progress(TrainerCallback):
        def __init__(self):
            self.started, self.first_step = None, None
            self.losses = []

        def on_train_begin(self, _args, state, _control, **_kw):
            self.started, self.first_step = time.time(), state.global_step
            # The training time the resumed checkpoint's steps took, written into its log history.
            self.before = max((e.get("trainSeconds", 0.0) for e in state.log_history), default=0.0)

        def on_log(self, _args, state, _control, logs=None, **_kw):
            if not logs or "loss" not in logs:
                return
            done = state.global_step - self.first_step
            elapsed = time.time() - self.started
            rate = done / elapsed if elapsed > 0 and done > 0 else 0.0
            # The Trainer appended this entry just before calling us and saves the history with
            # each checkpoint, so the cumulative time survives a kill and a resume.
            trained = round(self.before + elapsed, 2)
            if state.log_history and "loss" in state.log_history[-1]:
                state.log_history[-1]["trainSeconds"] = trained
            point = {"step": state.global_step, "epoch": round(state.epoch or 0, 4), "loss": logs["loss"],
                     "trainSeconds": trained}
            self.losses.append(point)
            emit("progress", totalSteps=total_steps, **point,
                 tokensPerSecond=round(rate * tokens_per_step, 2),
                 etaSeconds=round((total_steps - state.global_step) / rate, 1) if rate > 0 else None)

    progress = Progress()
    config = SFTConfig(
        output_dir=checkpoints, use_cpu=not gpu, num_train_epochs=args.epochs, max_steps=args.max_steps or -1,
        per_device_train_batch_size=args.batch_size, gradient_accumulation_steps=args.grad_accum,
        learning_rate=args.learning_rate, logging_steps=1, completion_only_loss=True, report_to=[],
        save_strategy="steps", save_steps=args.save_steps, save_total_limit=2, seed=args.seed,
        dataloader_num_workers=0, max_length=None, lr_scheduler_type="linear", warmup_steps=0,
        # TRL defaults to bf16 and activation checkpointing; on a CPU without bf16 units that is
        # ~17x slower (measured on SmolLM2-135M), and these models fit in memory without it.
        bf16=gpu and torch.cuda.is_bf16_supported(), gradient_checkpointing=gpu,
        # Progress is reported as JSON lines (rate, ETA); tqdm's bar would garble them.
        disable_tqdm=True,
    )
    trainer = SFTTrainer(model=model, processing_class=tokenizer, train_dataset=data, args=config,
                         callbacks=[progress])
    resume = latest_checkpoint(checkpoints)
    emit("start", rows=len(rows), trainedRows=len(examples), tooLong=len(too_long), totalSteps=total_steps,
         resumeFrom=resume, loadSeconds=round(load_seconds, 1), device="cuda" if gpu else "cpu")
    train_started = time.time()
    trainer.train(resume_from_checkpoint=resume)
    train_seconds = time.time() - train_started
    # The whole loss curve, including the steps of runs this one resumed.
    losses = [{"step": e["step"], "epoch": round(e.get("epoch", 0), 4), "loss": e["loss"],
               **({"trainSeconds": e["trainSeconds"]} if "trainSeconds" in e else {})}
              for e in trainer.state.log_history if "loss" in e]
    # Over every run that trained these steps; a checkpoint from before the field lacks it.
    total_seconds = progress.before + train_seconds
    timed_steps = trainer.state.global_step - (progress.first_step if progress.before == 0 else 0)

    outputs = {}
    final = os.path.join(args.out, "adapter" if args.lora else "hf")
    trainer.model.save_pretrained(final)
    tokenizer.save_pretrained(final)
    convert_seconds = 0.0
    if args.lora:
        # convert_lora_to_gguf.py reads only the base's config.json.
        base_config = os.path.join(args.out, "base-config")
        trainer.model.get_base_model().config.save_pretrained(base_config)
        outputs["adapterDir"] = final
        if args.llama_cpp:
            gguf_path = os.path.join(args.out, "adapter.gguf")
            convert_seconds = convert(os.path.join(args.llama_cpp, "convert_lora_to_gguf.py"),
                                      ["--base", base_config, "--outfile", gguf_path, "--outtype", args.outtype, final],
                                      "LoRA adapter")
            outputs["adapterGguf"] = gguf_path
    else:
        outputs["hfDir"] = final
        if args.llama_cpp:
            gguf_path = os.path.join(args.out, "model.gguf")
            convert_seconds = convert(os.path.join(args.llama_cpp, "convert_hf_to_gguf.py"),
                                      [final, "--outfile", gguf_path, "--outtype", args.outtype], "merged model")
            outputs["modelGguf"] = gguf_path

    report = {
        "base": os.path.abspath(args.base),
        "baseKind": base_kind,
        "method": "lora" if args.lora else "full",
        "lora": {"r": args.lora_r, "alpha": args.lora_alpha, "dropout": args.lora_dropout,
                 "targetModules": "all-linear"} if args.lora else None,
        "rows": len(rows),
        "trainedRows": len(examples),
        "tooLongRows": too_long,
        "maxLength": args.max_length,
        "tokens": tokens_total,
        "trainedTokens": trained_total,
        "epochs": args.epochs,
        "steps": trainer.state.global_step,
        "batchSize": args.batch_size,
        "gradientAccumulation": args.grad_accum,
        "learningRate": args.learning_rate,
        "seed": args.seed,
        "device": "cuda" if gpu else "cpu",
        "resumedFrom": resume,
        "losses": losses,
        "finalLoss": losses[-1]["loss"] if losses else None,
        "loadSeconds": round(load_seconds, 2),
        "trainSeconds": round(total_seconds, 2),
        "trainSecondsThisRun": round(train_seconds, 2),
        "tokensPerSecond": round(tokens_per_step * timed_steps / total_seconds, 2) if total_seconds > 0 else None,
        "convertSeconds": round(convert_seconds, 2),
        "outputs": outputs,
    }
    with open(os.path.join(args.out, "training-report.json"), "w", encoding="utf8") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({"ok": True, **report}), flush=True)


if __name__ == "__main__":
    main()
