"""Image dependence: does the model's answer still depend on the image? (the collapse detector)

A VLM that learned a constant answer has output distributions that do not change when the image is
swapped. For K probe rows we teacher-force the reference answer twice, once with the row's own image and
once with another row's image, and take the total-variation distance between the two next-token
distributions at each answer position. The score is the mean over rows of the largest per-position
distance (the answer token is where the image should matter; format tokens do not). 0 means the output
ignores the image; a trained reader's is large on its answer token.
"""

from __future__ import annotations

from typing import Any

COLLAPSE_BELOW = 1e-3


def _messages(row: dict[str, Any], with_answer: bool) -> list[dict[str, Any]]:
    user = {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": row["prompt"][0]["content"]}]}
    msgs = [user]
    if with_answer:
        msgs.append({"role": "assistant", "content": [{"type": "text", "text": row["completion"][0]["content"]}]})
    return msgs


def image_dependence(model, processor, rows: list[dict[str, Any]]) -> float:
    """Mean over rows of max-over-answer-positions TV distance between own-image and swapped-image outputs."""
    import torch

    rows = [r for r in rows if "image" in r]
    if len(rows) < 2:
        return float("nan")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    dtype = next(model.parameters()).dtype
    scores = []
    try:
        with torch.no_grad():
            for i, row in enumerate(rows):
                other = rows[(i + 1) % len(rows)]["image"]
                full = processor.apply_chat_template(_messages(row, True), tokenize=False)
                prompt = processor.apply_chat_template(_messages(row, False), tokenize=False, add_generation_prompt=True)
                probs = []
                for image in (row["image"], other):
                    enc = processor(images=[image], text=[full], return_tensors="pt").to(device)
                    if "pixel_values" in enc:
                        enc["pixel_values"] = enc["pixel_values"].to(dtype)
                    logits = model(**enc).logits[0].float()
                    probs.append(torch.softmax(logits, -1))
                n_prompt = processor(images=[row["image"]], text=[prompt], return_tensors="pt")["input_ids"].shape[1]
                span = slice(max(0, n_prompt - 1), probs[0].shape[0] - 1)
                tv = 0.5 * (probs[0][span] - probs[1][span]).abs().sum(-1)
                scores.append(float(tv.max()) if tv.numel() else 0.0)
    finally:
        model.train(was_training)
    return sum(scores) / len(scores)
