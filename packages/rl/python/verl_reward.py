"""verl custom reward function `compute_score` that forwards to an AutoTraj reward server.

Shipped in @autotraj/rl as `@autotraj/rl/python/verl_reward.py`; its path in your install:
`node -p "require.resolve('@autotraj/rl/python/verl_reward.py')"`.

    autotraj serve --rm dir/model.onnx --port 8000
    AUTOTRAJ_REWARD_URL=http://127.0.0.1:8000 python -m verl.trainer.main_ppo ... \
        reward.custom_reward_function.path=node_modules/@autotraj/rl/python/verl_reward.py \
        reward.custom_reward_function.name=compute_score

The server applies the paper reward: format violation -> -1, else outcome (+0.2 x RM score
when the outcome is positive, clipped to [-3, 3], never below the outcome).
"""
import json
import os
import urllib.request

URL = os.environ.get("AUTOTRAJ_REWARD_URL", "http://127.0.0.1:8000").rstrip("/")


def _plain(value):
    # Parquet rows reach verl as numpy scalars and arrays; JSON wants Python values.
    return value.tolist() if hasattr(value, "tolist") else str(value)


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    body = {"data_source": data_source, "solution_str": solution_str,
            "ground_truth": ground_truth, "extra_info": extra_info or {}}
    request = urllib.request.Request(URL + "/compute_score", data=json.dumps(body, default=_plain).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)  # {"score": total, "outcome": ..., "format": ..., ...}
