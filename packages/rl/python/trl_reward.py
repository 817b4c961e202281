"""TRL GRPOTrainer reward functions backed by an AutoTraj reward server ($AUTOTRAJ_REWARD_URL).

Shipped in @autotraj/rl as `@autotraj/rl/python/trl_reward.py`; its path in your install:
`node -p "require.resolve('@autotraj/rl/python/trl_reward.py')"` (put its directory on
`sys.path` / `PYTHONPATH` to import it).

    from trl import GRPOTrainer
    from trl_reward import autotraj_reward
    trainer = GRPOTrainer(model=..., reward_funcs=autotraj_reward, train_dataset=load_dataset("json", data_files="prompts.trl.jsonl")["train"])

The data set's `ground_truth` and `data_source` columns (rows from `toTrlPromptRow`, written
with `writeTrlJsonl`) reach the function as keyword arguments; the server scores question +
completion with the paper reward.
"""
import json
import os
import urllib.request

URL = os.environ.get("AUTOTRAJ_REWARD_URL", "http://127.0.0.1:8000").rstrip("/")


def message_text(message_or_text):
    """The text of a prompt or completion as TRL passes it: a string (standard data) or, for
    conversational data, the last user or assistant message's content."""
    if isinstance(message_or_text, str):
        return message_or_text
    users = [m["content"] for m in message_or_text if m.get("role") in ("user", "assistant")]
    return users[-1] if users else ""


def _query(prompts, completions):
    # OpenRLHF's /get_reward body: each query is the prompt followed by its completion.
    questions = [message_text(p) for p in prompts]
    answers = [message_text(c) for c in completions]
    return {"query": [q + a for q, a in zip(questions, answers)], "prompts": questions}


def _get_reward(body):
    request = urllib.request.Request(URL + "/get_reward", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)["rewards"]


def autotraj_reward(prompts, completions, ground_truth=None, data_source=None, **kwargs):
    body = _query(prompts, completions)
    if ground_truth is not None:
        body["labels"] = list(ground_truth)
    if data_source is not None:
        body["data_sources"] = list(data_source)
    return _get_reward(body)


def autotraj_rm_score(prompts, completions, **kwargs):
    """The trajectory reward model's raw score for each completion (POST /get_reward without labels).

    Use it next to `autotraj_reward` (e.g. `reward_funcs=[autotraj_reward, autotraj_rm_score]`
    with `reward_weights`) to give the RM its own weight and its own logged metric.
    """
    return _get_reward(_query(prompts, completions))
