"""TRL GRPOTrainer rollouts that run the policy's tool calls, for the text-tag protocol of AutoTraj.

Shipped in @autotraj/rl as `@autotraj/rl/python/trl_rollout.py`, beside `trl_reward.py`. TRL's own
tool loop parses tool calls with a chat template's tool-call schema; a policy trained on AutoTraj's
SFT records writes `<code>...</code>` in its text instead. This rollout generates until `</code>`,
has `autotraj serve --tools python` run the code (POST /tool: the sandbox synthesis uses, one
interpreter session per completion), appends `<result>...</result>` as the synthesis loop does and
generates on, at most `max_tool_calls` times, until `</answer>`, the end of the turn or
`max_completion_length` tokens (tool output included, as in TRL's loop). Without it, TRL generates
each completion in one pass and the reward scores results the model made up.

The tool output's tokens are masked out of the loss (`env_mask`). Generation is plain
`model.generate` (no vLLM), so no sampling logprobs are returned.

    from trl import GRPOTrainer
    from trl_reward import autotraj_reward
    from trl_rollout import tool_rollout
    trainer = GRPOTrainer(model=..., reward_funcs=autotraj_reward, train_dataset=...,
                          rollout_func=tool_rollout(max_tool_calls=3))

The server is $AUTOTRAJ_TOOL_URL, else $AUTOTRAJ_REWARD_URL (one `autotraj serve --rm model.onnx
--tools python` serves both). Each completion's calls are counted in `rollout_stats()`.
"""
import copy
import json
import os
import urllib.request
import uuid

TOOL_TAGS = {"code": "python"}
STATS = {"completions": 0, "toolCalls": 0, "toolErrors": 0, "budgetCut": 0}


def rollout_stats():
    """Completions generated, tool calls run and answered with an error, tool outputs cut to fit."""
    return dict(STATS)


def _post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)


def cut_at_stop(tokenizer, tokens, stops):
    """`tokens` up to the end of the first stop string in their text, or None when there is none.
    A stop string can end inside a token (`</code>` + `C...`): that token is replaced by the
    encoding of its text up to the stop, since the text after a stop is discarded (as providers do)."""
    text = tokenizer.decode(tokens, skip_special_tokens=True)
    ends = [text.find(stop) + len(stop) for stop in stops if stop in text]
    if not ends:
        return None
    end = min(ends)
    if text[end:].strip() == "":
        return tokens
    k = 0
    while len(tokenizer.decode(tokens[:k + 1], skip_special_tokens=True)) < end:
        k += 1
    head = tokenizer.decode(tokens[:k], skip_special_tokens=True)
    return tokens[:k] + tokenizer.encode(text[len(head):end], add_special_tokens=False)


def pending_call(text):
    """(tag, content) of a tool call `text` ends with (only whitespace after its close tag), else None."""
    stripped = text.rstrip()
    for tag in TOOL_TAGS:
        close = f"</{tag}>"
        if stripped.endswith(close):
            start = stripped.rfind(f"<{tag}>", 0, len(stripped) - len(close))
            if start >= 0:
                return tag, stripped[start + len(tag) + 2:len(stripped) - len(close)]
    return None


def _generated(tokens, eos_ids, pad):
    """The tokens a row generated and whether it ended its turn. A row that stopped early is padded
    with `pad` (often an end-of-turn token itself): the first end-of-turn is kept, padding is not."""
    for at, token in enumerate(tokens):
        if token in eos_ids:
            return tokens[:at + 1], True
        if token == pad:
            return tokens[:at], False
    return tokens, False


def tool_rollout(max_tool_calls=3, url=None):
    """A `rollout_func` for GRPOTrainer: see the module's docstring."""
    base = (url or os.environ.get("AUTOTRAJ_TOOL_URL") or os.environ.get("AUTOTRAJ_REWARD_URL") or "").rstrip("/")
    if not base:
        raise ValueError("tool_rollout needs the server's URL: pass url= or set AUTOTRAJ_TOOL_URL")

    def rollout(prompts, trainer):
        import torch

        tokenizer = trainer.processing_class
        tokenizer = getattr(tokenizer, "tokenizer", tokenizer)
        model = trainer.accelerator.unwrap_model(trainer.model)
        budget = trainer.max_completion_length
        eos_ids = list(getattr(trainer, "eos_token_ids", None) or [tokenizer.eos_token_id])
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos_ids[0]
        kwargs = getattr(trainer, "chat_template_kwargs", None) or {}
        prompt_ids = [list(tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=True,
                                                         return_dict=False, **kwargs))
                      if not isinstance(p, str) else tokenizer.encode(p) for p in prompts]
        seqs = [{"ids": [], "mask": [], "calls": 0, "done": False, "session": f"grpo-{uuid.uuid4().hex}"}
                for _ in prompts]
        config = copy.deepcopy(trainer.generation_config)
        device = next(model.parameters()).device
        try:
            while True:
                active = [i for i, s in enumerate(seqs) if not s["done"]]
                if not active:
                    break
                rows = [prompt_ids[i] + seqs[i]["ids"] for i in active]
                width = max(len(r) for r in rows)
                input_ids = torch.tensor([[pad] * (width - len(r)) + r for r in rows], device=device)
                attention = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows], device=device)
                left = max(budget - len(seqs[i]["ids"]) for i in active)
                config.max_new_tokens = left
                # Out of tool budget, a call is not stopped for: the model answers (as in synthesis).
                stops = ["</answer>"] + ([f"</{t}>" for t in TOOL_TAGS]
                                         if any(seqs[i]["calls"] < max_tool_calls for i in active) else [])
                config.stop_strings = stops
                with torch.no_grad():
                    out = model.generate(input_ids=input_ids, attention_mask=attention, generation_config=config,
                                         tokenizer=tokenizer)
                for row, i in enumerate(active):
                    s = seqs[i]
                    new, ended = _generated(out[row, width:].tolist(), eos_ids, pad)
                    cut = cut_at_stop(tokenizer, new, stops)
                    if cut is not None and cut is not new:
                        new, ended = cut, False
                    new = new[:budget - len(s["ids"])]
                    s["ids"] += new
                    s["mask"] += [1] * len(new)
                    generated = tokenizer.decode(new, skip_special_tokens=True)
                    call = pending_call(generated) if s["calls"] < max_tool_calls else None
                    if call is not None and len(s["ids"]) < budget:
                        # Stopped at the close tag (an end-of-turn right after it is dropped): run
                        # the call and generate on from its result.
                        if ended and s["ids"][-1] in eos_ids:
                            s["ids"].pop()
                            s["mask"].pop()
                        tag, content = call
                        answer = _post(base + "/tool", {"tool": TOOL_TAGS[tag], "input": content,
                                                        "session_id": s["session"]})
                        STATS["toolCalls"] += 1
                        STATS["toolErrors"] += 1 if answer.get("is_error") else 0
                        s["calls"] += 1
                        # A call's text is this round's (it holds `<code>`), so it alone says whether
                        # the result goes on a new line.
                        sep = "" if generated.endswith("\n") else "\n"
                        result = tokenizer.encode(f"{sep}<result>{answer['output']}</result>\n",
                                                  add_special_tokens=False)
                        room = budget - len(s["ids"])
                        if len(result) > room:
                            STATS["budgetCut"] += 1
                        result = result[:room]
                        s["ids"] += result
                        s["mask"] += [0] * len(result)
                        s["done"] = len(s["ids"]) >= budget
                    elif generated.rstrip().endswith("</answer>"):
                        # `</answer>` closes the turn: end it there, as the synthesis loop does.
                        s["done"] = True
                        if not ended and len(s["ids"]) < budget:
                            s["ids"].append(eos_ids[0])
                            s["mask"].append(1)
                    elif call is None and any(generated.rstrip().endswith(f"</{t}>") for t in TOOL_TAGS):
                        # Out of tool calls but stopped at a close tag (stops are per batch, and a
                        # stopped row is padded with what may be the end-of-turn): it generates on.
                        if ended and s["ids"][-1] in eos_ids:
                            s["ids"].pop()
                            s["mask"].pop()
                        s["done"] = len(s["ids"]) >= budget or not new
                    else:
                        s["done"] = True
        finally:
            for s in seqs:
                if s["calls"] > 0:
                    try:
                        _post(base + "/tool/end_session", {"session_id": s["session"]})
                    except OSError:
                        pass
        STATS["completions"] += len(seqs)
        return {"prompt_ids": prompt_ids, "completion_ids": [s["ids"] for s in seqs], "logprobs": None,
                "env_mask": [s["mask"] for s in seqs]}

    return rollout
