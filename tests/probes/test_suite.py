import numpy as np
import pytest

from snellen.probes.suite import Suite, SuiteSpec, load_suite
from snellen.schema import EXAM_SEED_RANGE, TRAIN_SEED_RANGE, SnellenError

SPEC = {
    "name": "t", "version": "1", "tasks": [{"name": "letter", "family": "letter", "params": {"scales": [4, 12], "per_cell": 3}}],
}


def test_same_seed_same_pixels_and_ids_different_index_differs():
    a = list(Suite(SuiteSpec(**SPEC)).samples())
    b = list(Suite(SuiteSpec(**SPEC)).samples())
    assert [s.id for s in a] == [s.id for s in b]
    assert all(np.array_equal(x.image, y.image) for x, y in zip(a, b))
    assert len({s.id for s in a}) == len(a)
    assert not np.array_equal(a[0].image, a[1].image)


def test_changing_any_parameter_changes_ids():
    base = {s.id for s in Suite(SuiteSpec(**SPEC)).samples()}
    for change in ({"seed": 1}, {"version": "2"}, {"profile": {"antialias": False}}):
        other = {s.id for s in Suite(SuiteSpec(**{**SPEC, **change})).samples()}
        assert not base & other, change
    spec = {**SPEC, "tasks": [{**SPEC["tasks"][0], "params": {"scales": [4, 12], "per_cell": 3, "colours": ["red"]}}]}
    assert not base & {s.id for s in Suite(SuiteSpec(**spec)).samples()}


def test_manifest_hash_tracks_parameters():
    h1 = Suite(SuiteSpec(**SPEC)).manifest_hash
    h2 = Suite(SuiteSpec(**{**SPEC, "description": "x"})).manifest_hash
    h3 = Suite(SuiteSpec(**{**SPEC, "seed": 7})).manifest_hash
    assert h1 != h3 and h1 != h2


def test_exam_and_train_seeds_are_disjoint_ranges():
    suite = Suite(SuiteSpec(**SPEC))
    exam = list(suite.samples())
    stream = suite.training_stream()
    train = [next(stream) for _ in range(10)]
    assert all(EXAM_SEED_RANGE[0] <= s.seed < EXAM_SEED_RANGE[1] and s.split == "exam" for s in exam)
    assert all(TRAIN_SEED_RANGE[0] <= s.seed < TRAIN_SEED_RANGE[1] and s.split == "train" for s in train)
    assert not {s.id for s in exam} & {s.id for s in train}


@pytest.mark.parametrize(
    "params, needle",
    [({"scales": [0, 4]}, "scales"), ({"scales": [-2]}, "scales"), ({"per_cell": 0}, "per_cell"), ({"bogus": 1}, "bogus")],
)
def test_bad_task_parameters_name_the_parameter(params, needle):
    spec = {**SPEC, "tasks": [{"name": "letter", "family": "letter", "params": params}]}
    with pytest.raises(SnellenError, match=needle):
        Suite(SuiteSpec(**spec))


def test_unknown_family_and_unknown_task_filter():
    with pytest.raises(SnellenError, match="unknown task family 'nope'"):
        Suite(SuiteSpec(**{**SPEC, "tasks": [{"name": "x", "family": "nope"}]}))
    with pytest.raises(SnellenError, match="unknown task"):
        Suite(SuiteSpec(**SPEC), only=["missing"])


def test_malformed_suite_files(tmp_path):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: [unclosed\n")
    with pytest.raises(SnellenError, match="malformed suite file"):
        load_suite(bad_yaml)
    missing_field = tmp_path / "nofield.yaml"
    missing_field.write_text("name: x\ntasks: []\n")
    with pytest.raises(SnellenError, match="version"):
        load_suite(missing_field)
    toml = tmp_path / "s.toml"
    toml.write_text('name = "t"\nversion = "1"\n[[tasks]]\nname = "letter"\nfamily = "letter"\n[tasks.params]\nscales = [8]\nper_cell = 2\n')
    assert len(load_suite(toml)) == 2
    with pytest.raises(SnellenError, match="unknown suite"):
        load_suite("no-such-suite")


def test_per_cell_only_decides_how_many_samples_so_ids_are_shared():
    small = list(Suite(SuiteSpec(**SPEC), per_cell=2).samples())
    large = list(Suite(SuiteSpec(**SPEC), per_cell=5).samples())
    by_id = {s.id: s for s in large}
    assert all(s.id in by_id and np.array_equal(s.image, by_id[s.id].image) for s in small)
    assert Suite(SuiteSpec(**SPEC), per_cell=2).manifest_hash == Suite(SuiteSpec(**SPEC), per_cell=5).manifest_hash


def test_builtin_suites_cover_every_family_and_quick_is_a_few_hundred_samples():
    from snellen.probes.task import task_families

    families = set(task_families())
    for name in ("quick", "acuity"):
        suite = load_suite(name)
        assert {t.family for t in suite.tasks} == families, name
    assert 150 <= len(load_suite("quick")) <= 500
