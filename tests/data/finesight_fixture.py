"""A small FineSightBench on disk, in the three published forms, with known ink geometry.

Records are the verbatim examples of /work/shared/reference/finesightbench-format.md (labels.json record
and labels.jsonl question/answer; vocabularies the doc shortens with "..." are written out in full, as
the release files hold them). The blur_chain JSON prompt and the three text-in-the-wild records are not
shown verbatim there: they are built from the repo's generator templates (textwild/generator.py,
scripts/merge_textwild_into_full.py) and marked CONSTRUCTED.

Images are real 448x448 PNGs with each target drawn inside its published size x size box at its
published top-left position. Each drawing has a known ink box, listed in EXPECTED_INK (size by which
scale is measured: letters by height, everything else by the larger side), including rows at 30%
(not ink) and 70% (ink) coverage so the 0.5 threshold is exercised.
"""

from __future__ import annotations

import csv
import io
import json
import string
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LETTERS = ", ".join(string.ascii_uppercase)
C11 = "red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, gray"
C12 = "red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, black, gray"
SHAPES = "circle, triangle, square, star, diamond, pentagon, hexagon, cross"

PERCEPTION = [
    {"image_id": "perception_letter_16px_00030", "image_path": "images/perception_letter_16px_00030.png", "dataset": "perception", "task_type": "letter_recognition", "question": "What letter is displayed in the image? Answer with a single uppercase letter from: A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z.", "answer": "K", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_color": "white", "background_color_rgb": [255, 255, 255], "targets": [{"type": "letter", "value": "K", "size": 16, "position": [300, 377], "color": "yellow", "color_rgb": [255, 255, 0]}]}},
    {"image_id": "perception_animal_16px_00100", "image_path": "images/perception_animal_16px_00100.png", "dataset": "perception", "task_type": "animal_recognition", "question": "What animal is shown in the image? Answer with one of: cat, dog, fish, bird, rabbit, turtle.", "answer": "fish", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_color": "white", "background_color_rgb": [255, 255, 255], "targets": [{"type": "animal", "value": "fish", "size": 16, "position": [163, 244], "color": "green", "color_rgb": [0, 180, 0]}]}},
    {"image_id": "perception_block_16px_00170", "image_path": "images/perception_block_16px_00170.png", "dataset": "perception", "task_type": "block_recognition", "question": "Is there a square block in the image? Describe what you see.", "answer": "yes", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_color": "white", "background_color_rgb": [255, 255, 255], "targets": [{"type": "block", "value": "block", "size": 16, "position": [236, 236], "color": "black", "color_rgb": [0, 0, 0]}]}},
    {"image_id": "perception_color_block_16px_00240", "image_path": "images/perception_color_block_16px_00240.png", "dataset": "perception", "task_type": "color_block_recognition", "question": "What color is the block in the image? Answer with one of: red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, gray.", "answer": "orange", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_color": "white", "background_color_rgb": [255, 255, 255], "targets": [{"type": "color_block", "value": "orange", "size": 16, "position": [177, 182], "color": "orange", "color_rgb": [255, 165, 0]}]}},
    {"image_id": "perception_shape_16px_00310", "image_path": "images/perception_shape_16px_00310.png", "dataset": "perception", "task_type": "shape_recognition", "question": "What shape is displayed in the image? Answer with one of: circle, triangle, square, star, diamond, pentagon, hexagon, cross.", "answer": "triangle", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_color": "white", "background_color_rgb": [255, 255, 255], "targets": [{"type": "shape", "value": "triangle", "size": 16, "position": [327, 40], "color": "yellow", "color_rgb": [255, 255, 0]}]}},
    # CONSTRUCTED (textwild generator): one word on a natural-scene stand-in.
    {"image_id": "textwild_perception_text_recognition_24px_00007", "image_path": "images/textwild_perception_text_recognition_24px_00007.png", "dataset": "perception", "task_type": "text_recognition", "question": "What single English word is written in the image? Answer with the word in uppercase letters. Ignore any text that may naturally appear in the photograph and focus on the overlaid word.", "answer": "MOON", "difficulty": "medium", "generation_mode": "difficulty", "metadata": {"canvas_size": [448, 448], "background_source": "natural_scene", "targets": [{"type": "text", "value": "MOON", "size": 24, "position": [120, 200], "bbox": [120, 200, 210, 225], "color": "red", "color_rgb": [255, 0, 0], "stroke": True}]}},
]

REASONING = [
    {"image_id": "reasoning_spatial_chain_16px_n2_00036", "image_path": "images/reasoning_spatial_chain_16px_n2_00036.png", "dataset": "reasoning", "task_type": "chain_reasoning", "question": "List all objects in the image from left to right. Describe each by its color and identity, in the form '<color> <identity>', separated by commas. Colors are drawn from: red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, black, gray. Each identity is a shape from: circle, triangle, square, star, diamond, pentagon, hexagon, cross.", "answer": "green hexagon, purple triangle", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "pixel_size": 16, "num_targets": 2, "background_color": "white", "targets": [{"type": "shape", "value": "triangle", "size": 16, "position": [184, 104], "color": "purple", "color_rgb": [128, 0, 128]}, {"type": "shape", "value": "hexagon", "size": 16, "position": [36, 139], "color": "green", "color_rgb": [0, 180, 0]}]}},
    {"image_id": "reasoning_comparison_chain_16px_n2_00120", "image_path": "images/reasoning_comparison_chain_16px_n2_00120.png", "dataset": "reasoning", "task_type": "comparison_chain", "question": "List all dots in the image from largest to smallest by size. Describe each as '<color> <identity>', separated by commas. Colors are drawn from: red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, black, gray.", "answer": "cyan dot, magenta dot", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "pixel_size": 16, "num_targets": 2, "background_color": "white", "targets": [{"type": "dot", "value": "dot", "size": 16, "position": [368, 200], "color": "magenta", "color_rgb": [255, 0, 255]}, {"type": "dot", "value": "dot", "size": 32, "position": [244, 392], "color": "cyan", "color_rgb": [0, 255, 255]}], "sub_answers": {"direction": "largest to smallest", "order": ["cyan dot", "magenta dot"]}}},
    {"image_id": "reasoning_counting_chain_16px_n2_00222", "image_path": "images/reasoning_counting_chain_16px_n2_00222.png", "dataset": "reasoning", "task_type": "counting_chain", "question": "The image contains colored blocks of different colors. Count the number of blocks for each color and give the total. Answer in the format: '<count> <color>, ...; total: <N>'. Colors present: purple, red.", "answer": "1 purple, 1 red; total: 2", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "pixel_size": 16, "num_targets": 2, "background_color": "white", "targets": [{"type": "color_block", "value": "purple", "size": 16, "position": [264, 86], "color": "purple", "color_rgb": [128, 0, 128]}, {"type": "color_block", "value": "red", "size": 16, "position": [344, 337], "color": "red", "color_rgb": [255, 0, 0]}], "sub_answers": {"category": "color_block", "counts": {"purple": 1, "red": 1}, "total": 2}}},
    {"image_id": "reasoning_blur_chain_16px_n2_00330", "image_path": "images/reasoning_blur_chain_16px_n2_00330.png", "dataset": "reasoning", "task_type": "blur_chain", "question": "The image shows colored blocks on a blurred, textured background. Count the number of blocks for each color and give the total. Answer in the format: '<count> <color>, ...; total: <N>'. Colors present: red, yellow. (Ignore the background texture.)", "answer": "1 red, 1 yellow; total: 2", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "pixel_size": 16, "num_targets": 2, "background_color": "white", "targets": [{"type": "block", "value": "yellow", "size": 16, "position": [216, 215], "color": "yellow", "color_rgb": [255, 255, 0]}, {"type": "block", "value": "red", "size": 16, "position": [247, 67], "color": "red", "color_rgb": [255, 0, 0]}], "sub_answers": {"counts_by_color": {"yellow": 1, "red": 1}, "total": 2}, "extra": {"blur_radius": 12.0, "mode": "by_color"}}},
    # CONSTRUCTED (textwild generator): reading order and letter counting.
    {"image_id": "textwild_reasoning_text_reading_chain_24px_n2_00011", "image_path": "images/textwild_reasoning_text_reading_chain_24px_n2_00011.png", "dataset": "reasoning", "task_type": "text_reading_chain", "question": "The image contains 2 overlaid English words rendered on top of a natural scene. List all the overlaid words from top to bottom, separated by commas, in uppercase. Ignore any text that may naturally appear in the background photograph.", "answer": "STAR, FISH", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "background_source": "natural_scene", "num_targets": 2, "targets": [{"type": "text", "value": "FISH", "size": 24, "position": [40, 300], "bbox": [40, 300, 110, 325], "color": "blue", "color_rgb": [0, 0, 255], "stroke": True}, {"type": "text", "value": "STAR", "size": 24, "position": [260, 60], "bbox": [260, 60, 334, 85], "color": "red", "color_rgb": [255, 0, 0], "stroke": True}], "extra": {"direction": "from top to bottom", "order_axis": 1, "num_words": 2}}},
    {"image_id": "textwild_reasoning_text_counting_chain_24px_n2_00012", "image_path": "images/textwild_reasoning_text_counting_chain_24px_n2_00012.png", "dataset": "reasoning", "task_type": "text_counting_chain", "question": "The image contains 2 overlaid English words rendered on top of a natural scene. Answer two questions. (1) How many overlaid words are in the image in total? (2) How many of those words contain the letter 'O'? Answer in the format: '<total>; <count>'. Ignore any text that may naturally appear in the background.", "answer": "2; 1", "difficulty": "medium", "generation_mode": "difficulty_x_count", "metadata": {"canvas_size": [448, 448], "background_source": "natural_scene", "num_targets": 2, "targets": [{"type": "text", "value": "BOOK", "size": 24, "position": [60, 80], "bbox": [60, 80, 135, 105], "color": "green", "color_rgb": [0, 180, 0], "stroke": True}, {"type": "text", "value": "RAIN", "size": 24, "position": [200, 330], "bbox": [200, 330, 270, 355], "color": "purple", "color_rgb": [128, 0, 128], "stroke": True}], "sub_answers": {"total": 2, "with_letter": 1, "letter": "O"}}},
]

# labels.jsonl: JSON-answer question and answer dict per image_id.
JSONL = {
    "perception_letter_16px_00030": ("What letter is displayed in the image? Answer in JSON format only: {\"letter\": \"<X>\"} where <X> is one uppercase letter from: " + LETTERS + ".", {"letter": "K"}),
    "perception_animal_16px_00100": ("What animal is shown in the image? Answer in JSON format only: {\"animal\": \"<type>\"} where <type> is one of: cat, dog, fish, bird, rabbit, turtle.", {"animal": "fish"}),
    "perception_block_16px_00170": ("Is there a square block visible in the image? Answer in JSON format only: {\"present\": \"yes\"} or {\"present\": \"no\"}.", {"present": "yes"}),
    "perception_color_block_16px_00240": ("What color is the block in the image? Answer in JSON format only: {\"color\": \"<name>\"} where <name> is one of: " + C11 + ".", {"color": "orange"}),
    "perception_shape_16px_00310": ("What geometric shape is displayed in the image? Answer in JSON format only: {\"shape\": \"<type>\"} where <type> is one of: " + SHAPES + ".", {"shape": "triangle"}),
    "textwild_perception_text_recognition_24px_00007": ("What single English word is written in the image? Answer in JSON format only: {\"word\": \"<WORD>\"} where <WORD> is the uppercase word. Ignore any text that may naturally appear in the background photograph.", {"word": "MOON"}),
    "reasoning_spatial_chain_16px_n2_00036": ("List all shapes in the image from left to right. Describe each by its color and identity as '<color> <identity>'. {\"objects\": [\"<color> <identity>\", ...]}. Colors are from: " + C12 + ". Identities are shapes from: " + SHAPES + ".", {"objects": ["green hexagon", "purple triangle"]}),
    "reasoning_comparison_chain_16px_n2_00120": ("List all dots in the image from largest to smallest by size. Describe each as '<color> <identity>'. {\"objects\": [\"<color> <identity>\", ...]}. Colors are from: " + C12 + ". Identities are simply 'dot'.", {"objects": ["cyan dot", "magenta dot"]}),
    "reasoning_counting_chain_16px_n2_00222": ("The image contains colored blocks of different colors. Count the number of blocks for each color and provide the total. Answer in JSON format only: {\"counts\": {\"<color>\": <n>, ...}, \"total\": <N>}. Colors present: purple, red. Colors are from: " + C12 + ".", {"counts": {"purple": 1, "red": 1}, "total": 2}),
    # CONSTRUCTED prompt (the doc shows only the answer).
    "reasoning_blur_chain_16px_n2_00330": ("The image shows colored blocks on a blurred, textured background. Count the number of blocks for each color and provide the total. Answer in JSON format only: {\"counts\": {\"<color>\": <n>, ...}, \"total\": <N>}. Colors present: red, yellow. Colors are from: " + C12 + ". (Ignore the background texture.)", {"counts": {"red": 1, "yellow": 1}, "total": 2}),
    "textwild_reasoning_text_reading_chain_24px_n2_00011": ("The image contains 2 overlaid English words rendered on top of a natural scene. List all the overlaid words from top to bottom. Answer in JSON format only: {\"words\": [\"<W1>\", \"<W2>\", ...]} where each <Wi> is an uppercase word. Ignore any text that may naturally appear in the background.", {"words": ["STAR", "FISH"]}),
    "textwild_reasoning_text_counting_chain_24px_n2_00012": ("The image contains 2 overlaid English words rendered on top of a natural scene. Answer two questions: (1) how many overlaid words are in the image in total, and (2) how many of those words contain the letter 'O'. Answer in JSON format only: {\"total\": <int>, \"with_letter\": <int>}. Ignore any text that may naturally appear in the background.", {"total": 2, "with_letter": 1}),
}

DATASET_INFO = {
    "perception": {"name": "FineSight-Perception", "version": "1.1", "description": "fixture", "creation_date": "2026-01-01T00:00:00", "num_samples": len(PERCEPTION), "task_types": ["letter", "animal", "block", "color_block", "shape"], "generation_mode": "difficulty", "target_sizes": [4, 8, 12, 16, 24, 32, 48], "target_counts": None},
    "reasoning": {"name": "FineSight-Reasoning", "version": "2.0", "description": "fixture", "creation_date": "2026-01-01T00:00:00", "num_samples": len(REASONING), "task_types": ["spatial_chain", "comparison_chain", "counting_chain", "blur_chain"], "generation_mode": "difficulty_x_count", "pixel_sizes": [4, 8, 12, 16, 24, 32, 48], "count_configs": {"spatial_chain": [2, 4, 8, 10], "comparison_chain": [2, 4, 8, 10], "counting_chain": [2, 4, 8, 10, 15, 20], "blur_chain": [2, 4, 8, 10]}},
}

# Expected measured scale per image_id, by construction of the drawings below (NaN: not measurable).
EXPECTED_MEASURED = {
    "perception_letter_16px_00030": 16.0,  # glyph squashed to 16x16: ink height 16
    "perception_animal_16px_00100": 16.0,  # 16 wide x 10 tall body (the 30% row is not ink, the 70% row is)
    "perception_block_16px_00170": 16.0,
    "perception_color_block_16px_00240": 16.0,
    "perception_shape_16px_00310": 13.0,  # 13 tall x 12 wide (like a polygon inscribed smaller than its box)
    "reasoning_spatial_chain_16px_n2_00036": 12.0,  # triangle 12x12, hexagon 14x14: the smaller counts
    "reasoning_comparison_chain_16px_n2_00120": 16.0,  # only the 16 px dot is at the sample's scale
    "reasoning_counting_chain_16px_n2_00222": 16.0,
}


def _paint(canvas: np.ndarray, x: int, y: int, alpha: np.ndarray, rgb) -> None:
    region = canvas[y : y + alpha.shape[0], x : x + alpha.shape[1]].astype(np.float32)
    a = alpha[..., None]
    canvas[y : y + alpha.shape[0], x : x + alpha.shape[1]] = np.rint(region + a * (np.asarray(rgb, np.float32) - region)).astype(np.uint8)


def _rect_alpha(size: int, top: int, bottom: int, left: int, right: int, soft: bool = False) -> np.ndarray:
    """Full coverage in rows [top, bottom) x cols [left, right); optional 30% row above and 70% row below."""
    a = np.zeros((size, size), np.float32)
    a[top:bottom, left:right] = 1.0
    if soft:
        a[top - 1, left:right] = 0.3
        a[bottom, left:right] = 0.7
    return a


def _letter_alpha(char: str, size: int) -> np.ndarray:
    """FineSightBench's letter recipe: render large, crop to the glyph, squash to size x size (NEAREST)."""
    from snellen.probes.render import font_path

    big = max(4 * size, 64)
    font = ImageFont.truetype(str(font_path("DejaVuSans-Bold")), big)
    im = Image.new("L", (big * 2, big * 2), 0)
    ImageDraw.Draw(im).text((big // 2, big // 2), char, fill=255, font=font)
    im = im.crop(im.getbbox()).resize((size, size), Image.Resampling.NEAREST)
    return (np.asarray(im, np.float32) / 255.0 >= 0.5).astype(np.float32)


def _disc_alpha(size: int) -> np.ndarray:
    im = Image.new("L", (size, size), 0)
    ImageDraw.Draw(im).ellipse((0, 0, size - 1, size - 1), fill=255)
    return np.asarray(im, np.float32) / 255.0


def _texture(seed: int, blur: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (448, 448), (255, 255, 255))
    d = ImageDraw.Draw(im)
    for _ in range(600):
        x, y, r = int(rng.integers(0, 448)), int(rng.integers(0, 448)), int(rng.integers(2, 7))
        d.ellipse((x, y, x + r, y + r), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    return np.asarray(im.filter(ImageFilter.GaussianBlur(blur))).copy()


def _word(canvas: np.ndarray, t: dict) -> None:
    from snellen.probes.render import font_path

    im = Image.fromarray(canvas)
    font = ImageFont.truetype(str(font_path("DejaVuSans-Bold")), round(t["size"] / 0.73))
    d = ImageDraw.Draw(im)
    left, top, _, _ = d.textbbox((0, 0), t["value"], font=font, stroke_width=1)
    d.text((t["position"][0] - left, t["position"][1] - top), t["value"], font=font, fill=tuple(t["color_rgb"]), stroke_width=1, stroke_fill=(255, 255, 255))
    canvas[...] = np.asarray(im)


def draw(rec: dict) -> bytes:
    """A 448x448 PNG of a record: each target drawn in its published box."""
    md = rec["metadata"]
    task = rec["task_type"]
    if task == "blur_chain":
        canvas = _texture(1, md["extra"]["blur_radius"])
    elif md.get("background_source"):
        canvas = _texture(2, 3.0)
    else:
        canvas = np.full((448, 448, 3), 255, np.uint8)
    for t in md["targets"]:
        x, y = t["position"]
        size, kind, value = t["size"], t["type"], t["value"]
        if kind == "text":
            _word(canvas, t)
            continue
        if kind == "letter":
            alpha = _letter_alpha(value, size)
        elif kind == "animal":
            alpha = _rect_alpha(size, 4, 13, 0, 16, soft=True)  # rows 4..13 ink (13 is the 70% row)
        elif kind in ("block", "color_block"):
            alpha = np.ones((size, size), np.float32)
        elif kind == "dot":
            alpha = _disc_alpha(size)
        elif value == "triangle" and task == "shape_recognition":
            alpha = _rect_alpha(size, 2, 14, 2, 14, soft=True)  # 12 full rows + 70% row = 13 tall, 12 wide
        elif value == "triangle":
            alpha = _rect_alpha(size, 2, 14, 2, 14)  # 12 x 12
        else:
            alpha = _rect_alpha(size, 1, 15, 1, 15)  # 14 x 14
        _paint(canvas, x, y, alpha, t["color_rgb"])
    buf = io.BytesIO()
    Image.fromarray(canvas).save(buf, format="PNG")
    return buf.getvalue()


def jsonl_record(rec: dict) -> dict:
    question, answer = JSONL[rec["image_id"]]
    return {**rec, "question": question, "answer": answer, "answer_format": "json"}


def build_release(root: Path, splits=("perception", "reasoning")) -> Path:
    """Write root/full_perception and root/full_reasoning exactly as the release lays them out."""
    for split in splits:
        records = PERCEPTION if split == "perception" else REASONING
        folder = root / f"full_{split}"
        (folder / "images").mkdir(parents=True, exist_ok=True)
        for rec in records:
            (folder / rec["image_path"]).write_bytes(draw(rec))
        info = dict(DATASET_INFO[split])
        (folder / "labels.json").write_text(json.dumps({"dataset_info": info, "samples": records}, indent=2, ensure_ascii=False), encoding="utf-8")
        with open(folder / "labels.jsonl", "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(jsonl_record(rec), ensure_ascii=False) + "\n")
        with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            head = ["image_id", "image_path", "task_type", "pixel_size"] + (["num_targets"] if split == "reasoning" else [])
            w.writerow(head + ["difficulty", "question", "answer"])
            for rec in records:
                md = rec["metadata"]
                row = [rec["image_id"], rec["image_path"], rec["task_type"], md.get("pixel_size", md["targets"][0]["size"])]
                if split == "reasoning":
                    row.append(md.get("num_targets", len(md["targets"])))
                w.writerow(row + [rec["difficulty"], rec["question"], rec["answer"]])
    return root


def hf_dataset_dict():
    """The Hugging Face form: built from labels.jsonl, JSON strings for answer and metadata."""
    import datasets

    features = datasets.Features({
        "image": datasets.Image(), "image_id": datasets.Value("string"), "task_type": datasets.Value("string"),
        "question": datasets.Value("string"), "answer": datasets.Value("string"),
        "difficulty": datasets.Value("string"), "metadata": datasets.Value("string"),
    })
    splits = {}
    for split, records in (("perception", PERCEPTION), ("reasoning", REASONING)):
        rows = [jsonl_record(r) for r in records]
        splits[split] = datasets.Dataset.from_dict({
            "image": [{"bytes": draw(r), "path": None} for r in records],
            "image_id": [r["image_id"] for r in rows], "task_type": [r["task_type"] for r in rows],
            "question": [r["question"] for r in rows], "answer": [json.dumps(r["answer"]) for r in rows],
            "difficulty": [r["difficulty"] for r in rows], "metadata": [json.dumps(r["metadata"]) for r in rows],
        }, features=features)
    return datasets.DatasetDict(splits)


def build_saved(path: Path) -> Path:
    hf_dataset_dict().save_to_disk(str(path))
    return path


def build_parquet(root: Path) -> Path:
    """Parquet files laid out like the Hub's data/<split>-00000-of-00001.parquet."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    for split, ds in hf_dataset_dict().items():
        ds.to_parquet(str(root / "data" / f"{split}-00000-of-00001.parquet"))
    return root
