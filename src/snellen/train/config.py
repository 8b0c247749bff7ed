"""Training configs: a list of stages, each a pydantic spec; presets are YAML files in train/presets/.

A stage names its data, its trainer (sft or grpo), which groups train and at what learning rate (a group
absent from `trainable` is frozen), its steps and batch. Each stage starts from the previous stage's final
checkpoint. A bad config is one line naming the field: `stages.0.trainable: ...`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from snellen.schema import SnellenError
from snellen.train.model_builder import BuildSpec

GROUPS = ("vision", "projector", "llm")
PRESETS = ("perception-first", "merged", "caption-sft", "llava-align", "llava-align-unfrozen")


class DataSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # perception/reasoning: probes of that kind with their images; captions: image -> scene description;
    # text_reasoning: the probe's question over a textual scene description, no image; mixed: any probe.
    kind: Literal["perception", "reasoning", "mixed", "captions", "text_reasoning"] = "perception"
    suite: str = "quick"
    tasks: list[str] | None = None  # task names of the suite; None = every task of the kind
    split: Literal["train"] = "train"  # exam seeds are for evaluation only
    scales: list[int] | None = None  # restrict to these scales; None = the suite's
    # uniform: any allowed scale; large_to_small: start at the largest scale, admit smaller ones as the stage
    # progresses; targeted: per task, move to smaller scales while the pass rate is above the band, larger below.
    curriculum: Literal["uniform", "large_to_small", "targeted"] = "large_to_small"
    band: tuple[float, float] = (0.2, 0.8)
    window: int = Field(20, ge=1)  # rollouts per task between difficulty moves
    caption_quality: Literal["exact", "terse", "noisy", "shuffled"] = "exact"
    noise: float = Field(0.3, ge=0.0, le=1.0)  # per-attribute corruption rate of noisy captions
    seed: int = 0

    @field_validator("split", mode="before")
    @classmethod
    def _train_only(cls, v):
        if v != "train":
            raise ValueError("training data comes from the train split only; exam seeds are reserved for evaluation")
        return v

    @field_validator("band")
    @classmethod
    def _band(cls, v):
        if not 0.0 <= v[0] < v[1] <= 1.0:
            raise ValueError(f"band must be 0 <= low < high <= 1, got {list(v)}")
        return v


class RewardSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accuracy: float = Field(0.9, ge=0.0)
    format: float = Field(0.1, ge=0.0)
    credit: Literal["strict", "partial"] = "strict"
    scoring: Literal["snellen", "finesight"] = "snellen"

    @model_validator(mode="after")
    def _some_weight(self):
        if self.accuracy + self.format <= 0:
            raise ValueError("accuracy and format weights are both 0: the reward would carry no signal")
        return self


class LoraSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    r: int = Field(8, ge=1)
    alpha: int = Field(16, ge=1)
    dropout: float = Field(0.0, ge=0.0, lt=1.0)
    # Linear layer names adapted inside the trainable groups.
    modules: list[str] = ["q_proj", "k_proj", "v_proj", "o_proj", "linear_1", "linear_2"]


class StageSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    trainer: Literal["sft", "grpo"]
    data: DataSpec = DataSpec()
    trainable: dict[Literal["vision", "projector", "llm"], float] = Field(
        description="group -> learning rate; groups not listed are frozen")
    steps: int = Field(ge=1)
    batch_size: int = Field(4, ge=1)
    grad_accum: int = Field(1, ge=1)
    warmup_steps: int = Field(0, ge=0)
    weight_decay: float = Field(0.0, ge=0.0)
    max_grad_norm: float = Field(1.0, gt=0.0)
    save_every: int = Field(50, ge=1)
    # GRPO
    num_generations: int = Field(5, ge=2)
    max_completion_length: int = Field(32, ge=1)
    temperature: float = Field(1.0, gt=0.0)
    beta: float = Field(0.0, ge=0.0)
    reward: RewardSpec = RewardSpec()
    lora: LoraSpec | None = None
    # Diagnostics: how much outputs depend on the image (see diagnostics.py), every N steps; 0 = off.
    probe_every: int = Field(25, ge=0)

    @field_validator("trainable")
    @classmethod
    def _some_group_trains(cls, v):
        if not v:
            raise ValueError(f"freezes every group; list at least one of {', '.join(GROUPS)} with its learning rate")
        bad = {g: lr for g, lr in v.items() if not lr > 0}
        if bad:
            raise ValueError(f"learning rates must be > 0 (leave a group out to freeze it), got {bad}")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        if self.trainer == "grpo" and self.data.kind == "captions":
            raise ValueError("caption data has no verifiable answer: use trainer sft for captions")
        if self.data.curriculum == "targeted" and self.trainer != "grpo":
            raise ValueError("data.curriculum 'targeted' reacts to rollout rewards: it needs trainer grpo")
        if self.trainer == "grpo" and (self.batch_size * self.grad_accum) % self.num_generations:
            raise ValueError(f"batch_size x grad_accum ({self.batch_size * self.grad_accum}) must be a multiple of "
                             f"num_generations ({self.num_generations}) for GRPO groups")
        return self


class ModelSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str | None = None  # a save_pretrained folder (any AutoModelForImageTextToText model)
    build: BuildSpec | None = None  # or build a tiny LLaVA-style model from this spec

    @model_validator(mode="after")
    def _one(self):
        if (self.path is None) == (self.build is None):
            raise ValueError("give exactly one of path (a model folder) or build (a model spec)")
        if self.path is not None and not (Path(self.path).expanduser() / "config.json").is_file():
            raise ValueError(f"no model checkpoint at {self.path} (a folder with config.json)")
        return self


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    model: ModelSource
    seed: int = 0
    stages: list[StageSpec]

    @field_validator("stages")
    @classmethod
    def _stages(cls, v):
        if not v:
            raise ValueError("empty stage list: a config needs at least one stage")
        names = [s.name for s in v]
        if len(set(names)) != len(names):
            raise ValueError(f"stage names must be unique, got {names}")
        return v


def advice(config: TrainConfig) -> list[str]:
    """Warnings about configs that validate but cannot work as intended."""
    from snellen.train.model_builder import needs_language_stage

    out = []
    build = config.model.build
    if build is not None and needs_language_stage(build) and "llm" not in config.stages[0].trainable:
        out.append(f"stage {config.stages[0].name!r} freezes a randomly initialised LLM: nothing can be learned "
                   "through the projector alone; train the LLM first (or set model.build.text.pretrained / --model)")
    return out


def _one_line(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if p != "[key]") or "config"
    msg = first["msg"].removeprefix("Value error, ")
    return f"{source}: {loc}: {msg}"


def parse_config(data: object, source: str = "<config>", model_path: str | None = None) -> TrainConfig:
    if not isinstance(data, dict):
        raise SnellenError(f"{source}: a training config must be a mapping with name, model and stages")
    if model_path is not None:
        data = {**data, "model": {"path": model_path}}
    elif "model" not in data:  # configs that continue from another run's checkpoint leave it to --model
        raise SnellenError(f"{source}: model: missing; give model: {{path: FOLDER}} or {{build: ...}} in the config, "
                           "or the start model with --model PATH")
    try:
        return TrainConfig(**data)
    except ValidationError as err:
        raise SnellenError(_one_line(err, source)) from None


def load_config(name_or_path: str | Path, model_path: str | None = None) -> TrainConfig:
    """A preset by name or a YAML file; `model_path` replaces the config's model (e.g. a user's checkpoint)."""
    text_source = str(name_or_path)
    path = Path(name_or_path)
    if path.is_file():
        raw = path.read_text()
    elif text_source in PRESETS:
        raw = resources.files("snellen.train.presets").joinpath(f"{text_source}.yaml").read_text()
    elif path.suffix in (".yaml", ".yml"):
        raise SnellenError(f"config file {path} does not exist")
    else:
        raise SnellenError(f"unknown training config {text_source!r}: use a preset ({', '.join(PRESETS)}) or a .yaml file")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise SnellenError(f"{text_source}: malformed YAML ({str(exc).splitlines()[0]})") from None
    return parse_config(data, text_source, model_path)
