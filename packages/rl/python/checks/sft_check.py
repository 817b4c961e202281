"""TRL's SFTTrainer on our SFT rows: a few steps on a tiny Qwen2, and the labels TRL built.

    python sft_check.py sft.trl.jsonl work_dir

Prints one JSON line: per row, the text of the tokens TRL trains on and of the completion
tokens it masks; the loss per step; which parameters changed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from datasets import load_dataset  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402
from trl import SFTConfig, SFTTrainer  # noqa: E402

from tiny_lm import build_tiny_lm, changed_parameters, parameters_snapshot  # noqa: E402
from trl_sft import tokenize_sft_row  # noqa: E402

rows_path, work = sys.argv[1:3]
rows = load_dataset("json", data_files=rows_path)["train"]
corpus = [m["content"] for r in rows for m in r["prompt"] + r["completion"]]
model_dir = build_tiny_lm(os.path.join(work, "tiny-lm"), corpus)
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForCausalLM.from_pretrained(model_dir)
data = rows.map(tokenize_sft_row, fn_kwargs={"tokenizer": tokenizer}, remove_columns=rows.column_names)
prompt_lengths = [sum(1 for b in m if b == 0) for m in data["completion_mask"]]
before = parameters_snapshot(model)
trainer = SFTTrainer(
    model=model,
    processing_class=tokenizer,
    train_dataset=data,
    args=SFTConfig(output_dir=os.path.join(work, "sft"), use_cpu=True, max_steps=3, per_device_train_batch_size=2,
                   learning_rate=1e-2, logging_steps=1, completion_only_loss=True, report_to=[], save_strategy="no", seed=0,
                   dataloader_num_workers=0),
)
prepared = trainer.train_dataset
examples = []
for i, row in enumerate(prepared):
    ids, labels = row["input_ids"], row["labels"]
    n = prompt_lengths[i]
    examples.append({
        "columns": sorted(row.keys()),
        "promptAllMasked": all(l == -100 for l in labels[:n]),
        "trained": tokenizer.decode([t for t, l in zip(ids, labels) if l != -100]),
        "maskedCompletion": tokenizer.decode([t for t, l in zip(ids[n:], labels[n:]) if l == -100]),
        "labelsMatchIds": all(l == -100 or l == t for t, l in zip(ids, labels)),
    })
# The collator's batch: padding only adds -100, the masks survive.
batch = next(iter(trainer.get_train_dataloader()))
collated_trained = [int((row != -100).sum()) for row in batch["labels"]]
trainer.train()
print(json.dumps({
    "examples": examples,
    "collatedTrainedCounts": collated_trained,
    "trainedCounts": [sum(1 for l in r["labels"] if l != -100) for r in prepared],
    "losses": [e["loss"] for e in trainer.state.log_history if "loss" in e],
    "globalStep": trainer.state.global_step,
    "changed": len(changed_parameters(before, trainer.model)),
    "parameters": len(before),
    "eos": tokenizer.eos_token,
}))
