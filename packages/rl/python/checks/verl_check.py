"""verl reads our Parquet prompt set and calls our compute_score through its own reward manager.

    AUTOTRAJ_REWARD_URL=http://127.0.0.1:PORT python verl_check.py train.parquet verl_reward.py work_dir responses.json

responses.json: one response text per Parquet row. Prints one JSON line with what pyarrow,
`datasets` and verl's RLHFDataset read, and what verl's naive reward manager scored.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import torch  # noqa: E402
from omegaconf import OmegaConf  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

import verl  # noqa: E402
from verl import DataProto  # noqa: E402
from verl.trainer.ppo.reward import load_reward_manager  # noqa: E402
from verl.utils.dataset.rl_dataset import RLHFDataset, collate_fn  # noqa: E402

from tiny_lm import build_tiny_lm  # noqa: E402

parquet_path, score_path, work, responses_path = sys.argv[1:5]
responses = json.load(open(responses_path))

table = pq.read_table(parquet_path)
arrow = {
    "schema": {field.name: str(field.type) for field in table.schema},
    "rows": table.num_rows,
    "metadata": {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()},
}

# RLHFDataset loads Parquet with datasets.load_dataset("parquet", ...), as verl's trainer does.
corpus = [m["content"] for row in table.to_pylist() for m in row["prompt"]] + responses
model_dir = build_tiny_lm(os.path.join(work, "tiny-lm"), corpus)
tokenizer = AutoTokenizer.from_pretrained(model_dir)
data_config = OmegaConf.create({
    "prompt_key": "prompt",
    "max_prompt_length": 256,
    "filter_overlong_prompts": True,
    "filter_overlong_prompts_workers": 1,
    "truncation": "error",
    "cache_dir": os.path.join(work, "verl-cache"),
})
dataset = RLHFDataset(data_files=[parquet_path], tokenizer=tokenizer, config=data_config)
items = [dataset[i] for i in range(len(dataset))]
batch = collate_fn(items)

config = OmegaConf.create({
    "reward": {
        "custom_reward_function": {"path": score_path, "name": "compute_score", "reward_kwargs": {}},
        "reward_manager": {"source": "register", "name": "naive"},
    },
})
manager = load_reward_manager(config, tokenizer)

# The rollout's tensors as verl's agent loop hands them to the reward manager: left-padded
# prompts, right-padded responses, one attention mask over both.
prompt_ids = [tokenizer.apply_chat_template(item["raw_prompt"], add_generation_prompt=True, tokenize=True, return_dict=False) for item in items]
response_ids = [tokenizer(r, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id] for r in responses]
P = max(len(p) for p in prompt_ids)
R = max(len(r) for r in response_ids)
pad = tokenizer.pad_token_id
prompts = torch.tensor([[pad] * (P - len(p)) + p for p in prompt_ids])
responses_t = torch.tensor([r + [pad] * (R - len(r)) for r in response_ids])
mask = torch.tensor([[0] * (P - len(p)) + [1] * len(p) + [1] * len(r) + [0] * (R - len(r)) for p, r in zip(prompt_ids, response_ids)])
non_tensors = {k: v for k, v in batch.items() if isinstance(v, np.ndarray) and v.dtype == object}
data = DataProto.from_dict(
    tensors={"prompts": prompts, "responses": responses_t, "attention_mask": mask,
             "input_ids": torch.cat([prompts, responses_t], dim=1)},
    non_tensors=non_tensors,
)


async def score_all():
    return [await manager.run_single(data[i:i + 1]) for i in range(len(data))]


# The manager keeps the event loop it was built on (verl runs it inside its reward worker).
results = manager.loop.run_until_complete(score_all())


def plain(value):
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


print(json.dumps({
    "verl": verl.__version__,
    "manager": type(manager).__module__ + "." + type(manager).__name__,
    "arrow": arrow,
    "datasetColumns": sorted(dataset.dataframe.column_names),
    "items": [{k: plain(item[k]) for k in ("data_source", "reward_model", "extra_info", "raw_prompt", "index")} for item in items],
    "results": [{"reward_score": r["reward_score"], "reward_extra_info": plain(r["reward_extra_info"])} for r in results],
}, default=str))
