"""TRL GRPOTrainer on a tiny Qwen2 with AutoTraj's rewards from a running reward server.

    AUTOTRAJ_REWARD_URL=http://127.0.0.1:PORT python grpo_check.py prompts.trl.jsonl work_dir

Prints one JSON line: what the reward functions returned, what the trainer logged, and which
parameters the optimizer changed.
"""
import functools
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

import torch  # noqa: E402
from datasets import load_dataset  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

import trl_reward  # noqa: E402
from tiny_lm import build_tiny_lm, changed_parameters, parameters_snapshot  # noqa: E402

prompts_path, work = sys.argv[1], sys.argv[2]
dataset = load_dataset("json", data_files=prompts_path)["train"]
corpus = [m["content"] for row in dataset for m in row["prompt"]]
corpus += ["<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>"] * 4
model_dir = build_tiny_lm(os.path.join(work, "tiny-lm"), corpus)

returned = {}


def recorded(fn):
    @functools.wraps(fn)  # TRL names the metric after the function
    def wrapper(*args, **kwargs):
        values = fn(*args, **kwargs)
        returned.setdefault(fn.__name__, []).append([float(v) for v in values])
        return values

    return wrapper


model = AutoModelForCausalLM.from_pretrained(model_dir)
tokenizer = AutoTokenizer.from_pretrained(model_dir)
before = parameters_snapshot(model)
args = GRPOConfig(
    output_dir=os.path.join(work, "grpo"),
    use_cpu=True,
    max_steps=2,
    per_device_train_batch_size=4,
    num_generations=4,
    max_completion_length=16,
    learning_rate=1e-2,
    logging_steps=1,
    report_to=[],
    save_strategy="no",
    seed=0,
    temperature=1.0,
    dataloader_num_workers=0,
)
trainer = GRPOTrainer(
    model=model,
    processing_class=tokenizer,
    reward_funcs=[recorded(trl_reward.autotraj_reward), recorded(trl_reward.autotraj_rm_score)],
    args=args,
    train_dataset=dataset,
)
trainer.train()
logged = [
    {k: v for k, v in entry.items() if k.startswith("rewards/") or k in ("reward", "reward_std", "step", "loss")}
    for entry in trainer.state.log_history
    if any(k.startswith("rewards/") for k in entry)
]
print(json.dumps({
    "globalStep": trainer.state.global_step,
    "returned": returned,
    "logged": logged,
    "changed": changed_parameters(before, trainer.model),
    "parameters": len(before),
    "torch": torch.__version__,
}))
