from __future__ import annotations

import pytest

pytest.importorskip("trl")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A random LLaVA (CLIP 32 px, patch 16 + Llama) built offline, shared by the training tests."""
    from snellen.train.model_builder import BuildSpec, VisionSpec, build_model

    return build_model(BuildSpec(vision=VisionSpec(image_size=32, patch_size=16)), tmp_path_factory.mktemp("tiny") / "m")
