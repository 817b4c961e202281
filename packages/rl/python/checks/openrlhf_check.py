"""OpenRLHF's single-turn agent executor asks our reward server for rewards.

    python openrlhf_check.py URL work_dir cases.json

cases.json: [{prompt, response, label}]. The executor builds the query the way OpenRLHF does
(prompt tokens + generated tokens, decoded with special tokens kept) and posts it with its
own aiohttp client to URL (/get_reward). Generation is a stand-in engine that "generates" the
given response tokens; everything after it is OpenRLHF's code.
"""
import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import openrlhf  # noqa: E402
from openrlhf.utils.agent import SingleTurnAgentExecutor  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

from tiny_lm import build_tiny_lm  # noqa: E402

url, work, cases_path = sys.argv[1:4]
cases = json.load(open(cases_path))
model_dir = build_tiny_lm(os.path.join(work, "tiny-lm"), [c["prompt"] + c["response"] for c in cases])
tokenizer = AutoTokenizer.from_pretrained(model_dir)


class Output:
    def __init__(self, token_ids):
        self.token_ids = token_ids
        self.finish_reason = "stop"
        self.logprobs = None


class RequestOutput:
    def __init__(self, token_ids):
        self.outputs = [Output(token_ids)]


class SamplingParams:
    max_tokens = 256
    logprobs = None


class Engine:
    """Stands in for the vLLM engine: returns the case's response tokens."""

    def __init__(self, response):
        self.ids = tokenizer(response, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        return RequestOutput(self.ids)


async def main():
    executor = SingleTurnAgentExecutor(remote_rm_url=url)
    outputs = []
    for case in cases:
        # OpenRLHF applies the chat template to the prompt before the executor sees it.
        prompt = tokenizer.apply_chat_template([{"role": "user", "content": case["prompt"]}],
                                               add_generation_prompt=True, tokenize=False)
        out = await executor.execute(prompt, case["label"], SamplingParams(), 1024, tokenizer, Engine(case["response"]))
        outputs.append({
            "query": tokenizer.decode(out["observation_tokens"], skip_special_tokens=False),
            "reward": out["reward"],
            "scores": out["scores"],
            "extra_logs": out["extra_logs"],
        })
    return outputs


print(json.dumps({"openrlhf": getattr(openrlhf, "__version__", "0.11.2"), "outputs": asyncio.run(main())}))
