"""TRL GRPOTrainer with `trl_rollout.tool_rollout` on a tiny Qwen2, tools run by a live AutoTraj server.

    AUTOTRAJ_REWARD_URL=http://127.0.0.1:PORT python tool_rollout_check.py prompts.trl.jsonl work_dir

A random tiny model writes no tool call, so what it writes is scripted: transformers' own
`generate` runs (stop strings, padding of stopped rows, end-of-turn), constrained token by token
to a script per completion and round (`prefix_allowed_tokens_fn`). The script's text after a stop
string must never reach the completion. Prints one JSON line: each completion's text, its
masked-out text and its reward, the rollout's counts and the trainer's step.
"""
import functools
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from datasets import load_dataset  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

import trl_reward  # noqa: E402
import trl_rollout  # noqa: E402
from tiny_lm import build_tiny_lm, changed_parameters, parameters_snapshot  # noqa: E402

# Per completion of a group of 4, what it writes in each generate round. Text after a stop
# string ("CUT") is what generation must not keep.
SCRIPTS = [
    # One call, then the answer. Each stop string ends inside a token here (">)" and ">." are
    # tokens of this vocabulary, as of SmolLM2's): the token's text after the stop is cut.
    ["<think>six times seven</think>\n<code>\nx = 6 * 7\nprint(x)\n</code>)CUT",
     "<think>It is 42.</think>\n<answer>\\boxed{42}</answer>.CUT"],
    # Two calls sharing the session's names, then the answer.
    ["<think>t</think>\n<code>\ny = 40\nprint(y)\n</code>CUT", "<code>\nprint(y + 2)\n</code>CUT",
     "<answer>\\boxed{42}</answer>"],
    # A failing call: the error is what the model reads.
    ["<code>\nprint(z)\n</code>CUT", "<answer>\\boxed{0}</answer>"],
    # No call: one round, ended by the end of the turn.
    ["<think>no tool</think>\n<answer>\\boxed{42}</answer>"],
]

prompts_path, work = sys.argv[1], sys.argv[2]
dataset = load_dataset("json", data_files=prompts_path)["train"]
corpus = [m["content"] for row in dataset for m in row["prompt"]] + ["".join(s) for s in SCRIPTS] * 4
corpus += ["</code>) </answer>."] * 50  # so that ">)" and ">." become tokens
model_dir = build_tiny_lm(os.path.join(work, "tiny-lm"), corpus)
model = AutoModelForCausalLM.from_pretrained(model_dir)
tokenizer = AutoTokenizer.from_pretrained(model_dir)
eos = tokenizer.eos_token_id

rounds = {"n": 0}
generate = model.generate


def scripted_generate(*args, input_ids=None, **kwargs):
    """The model's own generate, each row allowed only its script's next token (then end-of-turn)."""
    width = input_ids.shape[1]
    r = rounds["n"]
    rounds["n"] += 1
    # Rows still generating, in order; the rollout sends only those, so map row -> completion.
    pending = [i for i, s in enumerate(SCRIPTS) if len(s) > 0]
    targets = [tokenizer.encode(SCRIPTS[i].pop(0), add_special_tokens=False) for i in pending]

    def allowed(row, ids):
        at = ids.shape[0] - width
        target = targets[row]
        return [target[at]] if at < len(target) else [eos]

    return generate(*args, input_ids=input_ids, prefix_allowed_tokens_fn=allowed, **kwargs)


model.generate = scripted_generate
before = parameters_snapshot(model)
returned = []


@functools.wraps(trl_reward.autotraj_reward)
def autotraj_reward(prompts, completions, **kwargs):
    rewards = trl_reward.autotraj_reward(prompts, completions, **kwargs)
    returned.extend(rewards)
    return rewards


captured = []
rollout = trl_rollout.tool_rollout(max_tool_calls=3)


def capturing_rollout(prompts, trainer):
    out = rollout(prompts, trainer)
    for ids, mask in zip(out["completion_ids"], out["env_mask"]):
        captured.append({
            "text": tokenizer.decode(ids, skip_special_tokens=True),
            "masked": tokenizer.decode([t for t, m in zip(ids, mask) if m == 0], skip_special_tokens=True),
            "endsTurn": bool(ids) and ids[-1] == eos,
            "length": len(ids),
            "maskLength": len(mask),
        })
    return out


args = GRPOConfig(
    output_dir=os.path.join(work, "grpo"), use_cpu=True, max_steps=1, per_device_train_batch_size=4,
    num_generations=4, max_completion_length=int(os.environ.get("CHECK_MAX_LENGTH", "96")),
    learning_rate=1e-2, logging_steps=1, report_to=[], save_strategy="no", seed=0, temperature=1.0,
    dataloader_num_workers=0,
)
os.environ["TRL_EXPERIMENTAL_SILENCE"] = "1"
trainer = GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=[autotraj_reward], args=args,
                      train_dataset=dataset.select([0]), rollout_func=capturing_rollout)
trainer.train()
print(json.dumps({
    "globalStep": trainer.state.global_step,
    "completions": captured,
    "rewards": returned,
    "stats": trl_rollout.rollout_stats(),
    "changed": len(changed_parameters(before, trainer.model)),
    "stopTokens": [[tokenizer.decode([i]) for i in tokenizer.encode(t, add_special_tokens=False)]
                   for t in ("</code>)", "</answer>.")],
}))
