"""Tokenize AutoTraj SFT rows (`toTrlSftRow`) for TRL's SFTTrainer with tool output masked.

    from datasets import load_dataset
    from trl import SFTConfig, SFTTrainer
    from trl_sft import tokenize_sft_row
    rows = load_dataset("json", data_files="sft.trl.jsonl")["train"]
    data = rows.map(tokenize_sft_row, fn_kwargs={"tokenizer": tokenizer}, remove_columns=rows.column_names)
    SFTTrainer(model=..., processing_class=tokenizer, train_dataset=data, args=SFTConfig(...)).train()

The prompt goes through the tokenizer's chat template (with the generation prompt); the
completion is tokenized one span at a time, so no token straddles model and tool text. TRL
builds its labels from `assistant_masks` (0 on the prompt and on tool output; TRL always
applies it) and `completion_mask` (0 on the prompt; applied with `completion_only_loss=True`),
so the loss covers exactly what the model wrote, plus the end-of-turn token.
"""


def _segments(text, tool_spans):
    """(text, trained) pieces of the completion, in order."""
    pieces, at = [], 0
    for start, end in sorted(tuple(s) for s in tool_spans):
        if start > at:
            pieces.append((text[at:start], True))
        if end > start:
            pieces.append((text[start:end], False))
        at = max(at, end)
    if at < len(text):
        pieces.append((text[at:], True))
    return pieces


def tokenize_sft_row(row, tokenizer, add_eos=True):
    prompt_ids = tokenizer.apply_chat_template(row["prompt"], add_generation_prompt=True, tokenize=True,
                                               return_dict=False)
    completion = row["completion"][0]["content"]
    ids, trained = list(prompt_ids), [0] * len(prompt_ids)
    for piece, keep in _segments(completion, row.get("tool_spans") or []):
        piece_ids = tokenizer(piece, add_special_tokens=False)["input_ids"]
        ids += piece_ids
        trained += [1 if keep else 0] * len(piece_ids)
    if add_eos and tokenizer.eos_token_id is not None:
        ids.append(tokenizer.eos_token_id)
        trained.append(1)
    completion_mask = [0] * len(prompt_ids) + [1] * (len(ids) - len(prompt_ids))
    return {"input_ids": ids, "completion_mask": completion_mask, "assistant_masks": trained}
