from __future__ import annotations

import pytest

pytest.importorskip("trl")
torch = pytest.importorskip("torch")
# One thread per test process: with -n 2 on 2 cores, more threads only contend (measured 12x slower steps).
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A random LLaVA (CLIP 32 px, patch 16 + Llama) built offline, shared by the training tests."""
    from snellen.train.model_builder import BuildSpec, VisionSpec, build_model

    return build_model(BuildSpec(vision=VisionSpec(image_size=32, patch_size=16)), tmp_path_factory.mktemp("tiny") / "m")
