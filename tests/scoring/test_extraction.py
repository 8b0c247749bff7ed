"""Extraction rules, each with cases that a careless extractor gets wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers import DIGIT, LETTER, LETTER_COUNT, PRESENT, RELATION, SHAPE, WORD, counts, sample, seq  # noqa: E402

from snellen.scoring import extract, score_response  # noqa: E402
from snellen.scoring.extract_json import JsonSchema, find_answer, loads, scan  # noqa: E402


def read(fields, text):
    ex = extract(fields, text)
    return ex.status, ex.values


# ---------------------------------------------------------------- JSON layer
def test_several_objects_the_last_answer_object_wins():
    assert read(LETTER, '{"letter": "R"} then, looking again: {"letter": "K"}') == ("answer", {"letter": "K"})
    # an unrelated object after the answer does not displace it
    assert read(LETTER, '{"letter": "K"} {"confidence": 0.4}') == ("answer", {"letter": "K"})


def test_quoted_wrong_example_before_the_answer_is_not_the_answer():
    text = 'The required format is like {"objects": ["red circle", "blue square"]}.\nMy answer: {"objects": ["black star", "red cross"]}'
    assert read(seq(2), text) == ("answer", {"objects": ["black star", "red cross"]})


def test_example_marked_object_alone_is_no_answer():
    st, _ = read(LETTER, 'For example: {"letter": "A"}')
    assert st == "unparseable"


def test_template_echo_is_not_an_answer():
    assert read(LETTER, '{"letter": "<X>"}')[0] == "unparseable"
    assert read(seq(2), '{"objects": ["<color> <identity>", "..."]}')[0] == "unparseable"
    # an echo followed by an answer: the answer counts
    assert read(LETTER, 'Format {"letter": "<X>"}: {"letter": "P"}') == ("answer", {"letter": "P"})


@pytest.mark.parametrize("text", ['{"letter": "K', '{"letter": ', '{"letter": "K"} and finally {"letter": "R'])
def test_truncated_json_answer_is_unparseable(text):
    ex = extract(LETTER, text)
    assert ex.status == "unparseable" and "cut off" in ex.reason


def test_only_the_outer_brace_missing_is_repaired_when_every_field_is_there():
    assert read(LETTER, '{"letter": "K"') == ("answer", {"letter": "K"})
    f = counts(["red", "blue"])
    assert read(f, '{"counts": {"red": 2, "blue": 1}, "total": 3') == ("answer", {"counts": {"red": 2, "blue": 1}, "total": 3})
    assert read(f, '{"counts": {"red": 2, "blue": 1}')[0] == "unparseable"  # total missing: cut off, not a choice
    assert read(seq(2), '{"objects": ["red star", "blue circle"')[0] == "unparseable"  # list might have gone on


def test_repairs_single_quotes_trailing_commas_python_literals():
    assert loads("{'letter': 'J',}") == {"letter": "J"}
    assert loads('{"present": true,}') == {"present": True}
    assert read(PRESENT, "{'present': True}") == ("answer", {"present": "yes"})
    assert read(PRESENT, '{"present": false}') == ("answer", {"present": "no"})


def test_scan_is_string_aware():
    text = 'x {"word": "a } brace", "n": "don\'t"} y {"b": [1, {"c": "]"}]}'
    spans = scan(text)
    assert [text[a:b] for a, b in spans.complete] == ['{"word": "a } brace", "n": "don\'t"}', '{"b": [1, {"c": "]"}]}']
    assert spans.open_start is None


def test_escaped_quotes_inside_strings():
    assert read(WORD, r'{"word": "say \"CAT\"", "note": "x"} {"word": "SUN"}') == ("answer", {"word": "SUN"})


def test_wrapped_answer_alias_and_single_key_object():
    assert read(LETTER, '{"answer": {"letter": "V"}}') == ("answer", {"letter": "V"})
    assert read(LETTER, '{"answer": "v"}') == ("answer", {"letter": "V"})
    assert read(SHAPE, '{"object": "star"}') == ("answer", {"shape": "star"})


def test_bare_list_and_string_list_for_a_sequence():
    assert read(seq(2), '["red star", "blue circle"]') == ("answer", {"objects": ["red star", "blue circle"]})
    assert read(seq(2), '{"objects": "red star, blue circle"}') == ("answer", {"objects": ["red star", "blue circle"]})


def test_flat_counts_next_to_total_and_key_case_and_plurals():
    f = counts(["red", "circle"])
    assert read(f, '{"Red": 2, "circle": 1, "total": 3}') == ("answer", {"counts": {"red": 2, "circle": 1}, "total": 3})
    assert read(f, '{"counts": {"RED": 2, "Circles": "1"}, "total": "three"}') == (
        "answer", {"counts": {"red": 2, "circle": 1}, "total": 3})


def test_json_refusal_values():
    assert read(LETTER, '{"letter": null}')[0] == "refusal"
    assert read(LETTER, '{"letter": "Unknown"}')[0] == "refusal"
    assert read(LETTER_COUNT, '{"total": "n/a", "with_letter": null}')[0] == "refusal"
    # one field declined, one given: an incomplete answer (wrong), not a refusal
    assert read(LETTER_COUNT, '{"total": 4, "with_letter": null}') == ("answer", {"total": 4, "with_letter": None})


def test_schema_reads_fields_not_task_names():
    schema = JsonSchema.of(counts(["red"]))
    assert schema.names == ("counts", "total") and schema.count_keys == frozenset({"red"})
    assert find_answer('{"counts": {"red": 1}, "total": 1}', schema).answer == {"counts": {"red": 1}, "total": 1}


# ---------------------------------------------------------------- prose: refusals and single answers
@pytest.mark.parametrize("text,status,value", [
    ("I can't see any letter in this image.", "refusal", None),
    ("I see no letter in the image.", "refusal", None),  # 'I' is a pronoun, not the letter I
    ("No letter is visible.", "refusal", None),
    ("I cannot determine the letter.", "refusal", None),
    ("I'm unable to identify it, sorry.", "refusal", None),
    ("I see the letter B.", "answer", "B"),  # a wrong letter is an answer, not a refusal
    ("It is too small to be sure, but the letter appears to be K.", "answer", "K"),  # hedge + answer = answer
    ("The letter is I.", "answer", "I"),
    ("It is a B.", "answer", "B"),
    ("It is a bit blurry.", "unparseable", None),  # 'a' is an article
    ("K or R", "unparseable", None),
    ("It could be B, E or R.", "unparseable", None),
    ("It looks like an O, although it could also be a Q.", "unparseable", None),
    ("At first it looked like an O, but the letter is C.", "answer", "C"),
    ("**k**", "answer", "K"),
    ("The image shows a small glyph.", "unparseable", None),
    ("", "unparseable", None),
])
def test_letter_prose(text, status, value):
    ex = extract(LETTER, text)
    assert ex.status == status, ex
    assert (ex.values or {}).get("letter") == value


@pytest.mark.parametrize("text,value", [
    ("seven", "7"), ("The digit is nine.", "9"), ("It's the number 0.", "0"), ("**3**", "3"), ("Answer: eight", "8"),
])
def test_digit_words(text, value):
    assert read(DIGIT, text) == ("answer", {"digit": value})


def test_digit_coordinates_are_not_answers():
    assert read(DIGIT, "A glyph at (120, 340). It is the digit 5.") == ("answer", {"digit": "5"})
    assert read(DIGIT, "It is one of the digits, I think.")[0] == "unparseable"


@pytest.mark.parametrize("word,n", [("twelve", 12), ("twenty", 20), ("nineteen", 19), ("twenty-one", 21), ("zero", 0), ("Thirteen", 13)])
def test_number_words_up_to_twenty_and_beyond(word, n):
    assert read(LETTER_COUNT, f"Total: {word}, with letter: one") == ("answer", {"total": n, "with_letter": 1})


def test_shape_negation_and_hedges():
    assert read(SHAPE, "It's not a square, it's a diamond.") == ("answer", {"shape": "diamond"})
    assert read(SHAPE, "A circle or possibly an octagon.")[0] == "unparseable"
    assert read(SHAPE, "The shape appears to be a star.") == ("answer", {"shape": "star"})


def test_yes_no_leading_word_and_presence_statements():
    assert read(RELATION, "No, the star is right of the circle.") == ("answer", {"answer": "no"})
    assert read(RELATION, "The star is right of the circle.")[0] == "unparseable"  # not stated
    assert read(RELATION, "Yes or no, I cannot say.")[0] == "unparseable"
    assert read(PRESENT, "There is no square block in the image.") == ("answer", {"present": "no"})
    assert read(PRESENT, "I see a tiny black square.") == ("answer", {"present": "yes"})


def test_think_blocks():
    assert read(LETTER, '<think>maybe {"letter": "R"}</think>The letter is K.') == ("answer", {"letter": "K"})
    assert read(LETTER, "<think>the glyph has a stem and")[0] == "unparseable"


def test_words_open_vocabulary():
    assert read(WORD, "The word is hard to read but it might be HOUSE.") == ("answer", {"word": "HOUSE"})
    assert read(WORD, 'The text reads "MOUSE".') == ("answer", {"word": "MOUSE"})  # outside the bank, kept
    assert read(WORD, "Either CAT or COT.")[0] == "unparseable"


# ---------------------------------------------------------------- prose: lists and counts
@pytest.mark.parametrize("text", [
    "From left to right: red star, blue circle, green square.",
    "1. Red star\n2. Blue circle\n3. Green square",
    "- **red star**\n- **blue circle**\n- **green square**",
    "The red star comes first, then the blue circle, and finally the green square.",
    "red star -> blue circle -> green square",
    "I see a blue circle, then a red star.\n\nSo the order from left to right is: red star, blue circle, green square.",
    "Sure! Left to right:\n\n1. Red star (leftmost)\n2. Blue circle\n3. Green square\n\nLet me know if you need anything else!",
])
def test_sequences_in_prose(text):
    assert read(seq(3), text) == ("answer", {"objects": ["red star", "blue circle", "green square"]})


def test_sequence_item_outside_the_vocabulary_is_kept():
    assert read(seq(2), "Left to right: purple heart, red star") == ("answer", {"objects": ["purple heart", "red star"]})


@pytest.mark.parametrize("text,want", [
    ("3 red, 2 blue; total 5", ({"red": 3, "blue": 2}, 5)),
    ("There are three red blocks and two blue blocks, a total of five.", ({"red": 3, "blue": 2}, 5)),
    ("Red: 3\nBlue: 2\nTotal: 5", ({"red": 3, "blue": 2}, 5)),
    ("There are 5 blocks in total: 3 red and 2 blue.", ({"red": 3, "blue": 2}, 5)),
    ("No blue blocks, 3 red; total: 3", ({"red": 3, "blue": 0}, 3)),
    ("Red: 1, 2 -> 2 red. Blue: 2 blue. Total: 4", ({"red": 2, "blue": 2}, 4)),  # the last statement per key
])
def test_counts_in_prose(text, want):
    assert read(counts(["red", "blue"]), text) == ("answer", {"counts": want[0], "total": want[1]})


def test_total_is_never_summed_and_there_are_n_keys_is_not_a_total():
    assert read(counts(["red", "blue"]), "3 red, 2 blue") == ("answer", {"counts": {"red": 3, "blue": 2}, "total": None})
    f = counts(["circle", "star"])
    assert read(f, "There are three circles and one star.") == ("answer", {"counts": {"circle": 3, "star": 1}, "total": None})
    assert read(f, "There are four shapes: three circles and one star.") == (
        "answer", {"counts": {"circle": 3, "star": 1}, "total": 4})


def test_empty_text_with_normal_finish_is_unparseable_not_wrong():
    s = score_response(sample(LETTER, {"letter": "K"}), "")
    assert (s.outcome, s.strict, s.extracted) == ("unparseable", False, None)
    assert score_response(sample(LETTER, {"letter": "K"}), None).outcome == "unparseable"
