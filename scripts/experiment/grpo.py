"""GRPO with TRL on a small policy, rewarded by `autotraj serve` (the paper reward with the trained
trajectory reward model): proof that the RL loop runs with real parts. `./dev experiment grpo`
starts the server and calls this; it needs AUTOTRAJ_REWARD_URL.

    python grpo.py --prompts prompts.trl.jsonl --policy model.gguf|hf-dir --out dir [--steps 30]

The policy's `<code>` calls run in the same server (`autotraj serve --tools python`, POST /tool)
through @autotraj/rl's `trl_rollout.py`, their output masked out of the loss; `--max-tool-calls 0`
generates each completion in one pass instead (TRL's default, where the reward scores results the
model wrote itself). Checkpoints go to OUT/checkpoints and a rerun resumes; OUT/grpo-report.json
holds the reward per step. The last stdout line is the summary.
"""
import argparse
import json
import os
import sys
import time

RL_PYTHON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "rl", "python")
sys.path.insert(0, RL_PYTHON)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--prompts", required=True)
    p.add_argument("--policy", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--group-size", type=int, default=4)
    p.add_argument("--prompts-per-step", type=int, default=2)
    p.add_argument("--max-completion-length", type=int, default=256)
    p.add_argument("--learning-rate", type=float, default=1e-5)
    p.add_argument("--temperature", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-tool-calls", type=int, default=3)
    args = p.parse_args()
    if not os.environ.get("AUTOTRAJ_REWARD_URL"):
        print(json.dumps({"error": "bad-input", "message": "AUTOTRAJ_REWARD_URL is not set"}))
        sys.exit(2)

    from datasets import load_dataset
    from trl import GRPOConfig, GRPOTrainer

    import trl_reward
    import trl_rollout
    from train_sft import latest_checkpoint, load_base

    # A GGUF (dequantized, its quantizer marker dropped) or a Hugging Face directory, as train-sft loads them.
    model, tokenizer, _ = load_base(args.policy)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token

    dataset = load_dataset("json", data_files=args.prompts)["train"]
    checkpoints = os.path.join(args.out, "checkpoints")
    config = GRPOConfig(
        output_dir=checkpoints, use_cpu=True, bf16=False, gradient_checkpointing=False,
        max_steps=args.steps, per_device_train_batch_size=args.group_size * args.prompts_per_step,
        num_generations=args.group_size, max_completion_length=args.max_completion_length,
        temperature=args.temperature, learning_rate=args.learning_rate, logging_steps=1, report_to=[],
        save_strategy="steps", save_steps=5, save_total_limit=2, seed=args.seed, dataloader_num_workers=0,
        disable_tqdm=True,
    )
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")  # rollout_func is marked experimental
    # Every completion with its reward goes to OUT/completions.jsonl: what the policy wrote, to read.
    samples = os.path.join(args.out, "completions.jsonl")
    running = {}

    def autotraj_reward(prompts, completions, **kwargs):
        rewards = trl_reward.autotraj_reward(prompts, completions, **kwargs)
        with open(samples, "a", encoding="utf8") as f:
            step = running["trainer"].state.global_step + 1
            tasks = kwargs.get("task_id") or [None] * len(rewards)
            for task, completion, reward in zip(tasks, completions, rewards):
                f.write(json.dumps({"step": step, "taskId": task,
                                    "completion": trl_reward.message_text(completion), "reward": reward}) + "\n")
        return rewards

    rollout = trl_rollout.tool_rollout(max_tool_calls=args.max_tool_calls) if args.max_tool_calls > 0 else None
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=[autotraj_reward],
                          args=config, train_dataset=dataset, rollout_func=rollout)
    running["trainer"] = trainer
    resume = latest_checkpoint(checkpoints)
    # Steps after the checkpoint run again: their earlier completions go, so each step is there once.
    done = int(resume.rsplit("-", 1)[1]) if resume else 0
    if os.path.exists(samples):
        with open(samples, encoding="utf8") as f:
            kept = [line for line in f if line.strip() and json.loads(line)["step"] <= done]
        with open(samples, "w", encoding="utf8") as f:
            f.writelines(kept)
    started = time.time()
    trainer.train(resume_from_checkpoint=resume)
    seconds = time.time() - started
    curve = [{"step": e["step"], "reward": e["reward"], "rewardStd": e.get("reward_std"),
              "completionLength": e.get("completions/mean_length"), "loss": e.get("loss"),
              # The share of the step's groups whose completions all got the same reward (zero
              # advantages: nothing learned from them), and of completions cut at the length limit.
              "zeroStdShare": e.get("frac_reward_zero_std"), "clippedShare": e.get("completions/clipped_ratio")}
             for e in trainer.state.log_history if "reward" in e]
    report = {"policy": os.path.abspath(args.policy), "prompts": len(dataset), "steps": trainer.state.global_step,
              "groupSize": args.group_size, "promptsPerStep": args.prompts_per_step,
              "maxCompletionLength": args.max_completion_length, "learningRate": args.learning_rate,
              "temperature": args.temperature, "rewardUrl": os.environ["AUTOTRAJ_REWARD_URL"],
              "maxToolCalls": args.max_tool_calls, "tools": trl_rollout.rollout_stats() if rollout else None,
              "resumedFrom": resume, "trainSeconds": round(seconds, 1), "rewards": curve}
    with open(os.path.join(args.out, "grpo-report.json"), "w", encoding="utf8") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({"ok": True, **report}))


if __name__ == "__main__":
    main()
