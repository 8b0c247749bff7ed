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


# ---------------------------------------------------------------- reasoning replies (issue 12.6)
# The five classes that failed on outside labelled outputs, then the general rules behind them.
def test_prose_final_answer_after_a_json_example_in_the_reasoning_wins():
    text = ('The instructions want {"letter": "A"}-style output. The glyph is a circle with a tail at the bottom '
            'right, so it is a Q rather than an O.\n\nFinal answer: Q')
    assert read(LETTER, text) == ("answer", {"letter": "Q"})
    f = counts(["circle", "star"])
    text = ('The answer format is {"counts": {"circle": 2, "star": 1}, "total": 3}. Counting the image: circles - 4, '
            'stars - 2.\n\nFinal: 4 circles, 2 stars; total: 6')
    assert read(f, text) == ("answer", {"counts": {"circle": 4, "star": 2}, "total": 6})
    # prose that only explains the JSON answer leaves it standing
    assert read(SHAPE, '{"shape": "triangle"}\nIt has three corners, so it is clearly not a square or a diamond.') == (
        "answer", {"shape": "triangle"})


def test_emphasis_markup_inside_list_items_is_not_content():
    f = seq(3)
    text = "Scanning from left to right:\n\n- **orange** triangle\n- **blue** circle\n- **green** star"
    assert read(f, text) == ("answer", {"objects": ["orange triangle", "blue circle", "green star"]})
    text = "From left to right:\n**1.** `Yellow` triangle\n**2.** *Red* __star__\n**3.** <b>Gray</b> star"
    assert read(f, text) == ("answer", {"objects": ["yellow triangle", "red star", "gray star"]})


def test_markup_is_dropped_around_labels_counts_and_latex():
    assert read(LETTER, "The image shows a T.\n\n$$\\boxed{T}$$") == ("answer", {"letter": "T"})
    assert read(PRESENT, "No square is visible anywhere.\n\n$\\boxed{\\text{No}}$") == ("answer", {"present": "no"})
    f = counts(["red", "blue"])
    assert read(f, "- **Red**: 4\n- **Blue**: 2\n\n**Total: 6**") == ("answer", {"counts": {"red": 4, "blue": 2}, "total": 6})
    assert read(f, "## Counts\n- Red: 3\n- Blue: 1\n\n## Total\n4") == ("answer", {"counts": {"red": 3, "blue": 1}, "total": 4})
    assert read(LETTER_COUNT, "**Total words:** 3\n**Containing 'T':** 2") == ("answer", {"total": 3, "with_letter": 2})


def test_a_restatement_answers_the_restated_name():
    text = "Four equal edges with a vertex pointing up. So it is a square rotated 45 degrees, i.e. a diamond."
    assert read(SHAPE, text) == ("answer", {"shape": "diamond"})
    assert read(SHAPE, "It looks like a plus sign - in other words, a cross.") == ("answer", {"shape": "cross"})


@pytest.mark.parametrize("text,want", [
    ("I count 3 cats, 4 fish (7 animals in total).", {"counts": {"cat": 3, "fish": 4}, "total": 7}),
    ("Final answer: 3 cats, 4 fish (7 overall).", {"counts": {"cat": 3, "fish": 4}, "total": 7}),
    ("five cats and maybe two fish - seven animals altogether.", {"counts": {"cat": 5, "fish": 2}, "total": 7}),
    ("cat (3), fish (4); total: 7", {"counts": {"cat": 3, "fish": 4}, "total": 7}),  # "<key> (n)" still a count
])
def test_a_total_appended_to_per_key_counts_is_the_total(text, want):
    assert read(counts(["cat", "fish"]), text) == ("answer", want)


@pytest.mark.parametrize("fields,text", [
    (counts(["red", "green"]), "The blocks overlap heavily. Counting them would be guesswork, so I won't give numbers."),
    (LETTER, "Only a handful of gray pixels. Any letter I named would be a coin toss, so I'll leave it unanswered."),
    (DIGIT, "About three pixels and no strokes can be separated. No answer."),
    (seq(2), "The specks blend into each other at this size; ordering them would be invented. No list from me."),
])
def test_a_decline_without_apology_words_is_a_refusal(fields, text):
    assert extract(fields, text).status == "refusal"


def test_a_format_placeholder_is_never_an_answer():
    text = 'The expected format is {"letter": "X"}, with X replaced by the letter. I see a vertical stroke.'
    assert read(LETTER, text)[0] == "unparseable"
    # ...but X stays a letter when nothing defines it as the format's variable
    assert read(LETTER, 'The glyph has two crossing diagonals.\n{"letter": "X"}') == ("answer", {"letter": "X"})
    assert read(WORD, 'I need to output {"word": "WORD"} in uppercase. The word is CAT.') == ("answer", {"word": "CAT"})
    assert read(seq(2), 'Answer template:\n{"objects": ["<color> <identity>", ...]}')[0] == "unparseable"
    assert read(seq(2), '{"objects": ["<color> star", "..."]}')[0] == "unparseable"


@pytest.mark.parametrize("fields,text,value", [
    (DIGIT, "The digit is tiny and blurred, but it's probably a 4.", {"digit": "4"}),
    (LETTER, "Hard to be sure at this resolution, but it's most likely an H.", {"letter": "H"}),
    (DIGIT, "Most likely a 6, given the closed loop at the bottom.", {"digit": "6"}),
    (PRESENT, "Probably not - I don't see anything that stands out.", {"present": "no"}),
    (PRESENT, "I think so, there seems to be a small dark dot.", {"present": "yes"}),
    (RELATION, "Probably yes, the star seems a bit further left.", {"answer": "yes"}),
    (WORD, "{\"word\": \"SUN\"}\n\nCould it be CAT? No, I'll stick with SUN.", {"word": "SUN"}),
])
def test_a_hedged_but_committed_answer_is_an_answer(fields, text, value):
    assert read(fields, text) == ("answer", value)


@pytest.mark.parametrize("fields,text,value", [
    (DIGIT, "It's a 3... wait, the top is flat, so it's a 7.", {"digit": "7"}),
    (DIGIT, '{"digit": "6"}\n\nActually, looking again, the loop is at the top - it should be 9.', {"digit": "9"}),
    (RELATION, '{"answer": "yes"}\n\nWait, the star is at the far right. So the correct answer is no.', {"answer": "no"}),
    (PRESENT, "No. Hmm, wait, let me look again... there is a tiny square near the bottom edge. Yes.", {"present": "yes"}),
    (RELATION, "The star is above... wait, the question is about left of. It is slightly right. So no.", {"answer": "no"}),
    (seq(2, options=("cyan dot", "magenta dot")),
     "At first I ranked the cyan dot largest, but the magenta dot spans one more pixel. So: magenta dot, cyan dot.",
     {"objects": ["magenta dot", "cyan dot"]}),
    (seq(2, options=("cyan dot", "magenta dot")),
     '{"objects": ["cyan dot", "magenta dot"]}\n\nOn second thought, magenta is larger. Corrected: magenta dot, cyan dot.',
     {"objects": ["magenta dot", "cyan dot"]}),
])
def test_the_last_committed_statement_wins_in_a_reasoning_reply(fields, text, value):
    assert read(fields, text) == ("answer", value)


@pytest.mark.parametrize("fields,text", [
    (counts(["red", "blue"]), "Row by row. Top row: a red block, a blue block, another red block. That's 2 red and "
                              "1 blue so far. Middle row: a blue block, a"),
    (seq(2), "Let me identify each object. The leftmost is small and red with three corners, so a red triangle. The next one is"),
    (PRESENT, "Region by region. Top-left: white. Top-right: white. Center: maybe something faint. Bottom-left:"),
])
def test_a_reply_cut_off_while_reasoning_gave_no_answer(fields, text):
    assert extract(fields, text).status == "unparseable"


def test_a_cut_off_after_a_final_answer_keeps_it_and_short_answers_are_not_cut():
    assert read(LETTER, "Final answer: K. Let me double-check the strokes on the left, which seem to be") == (
        "answer", {"letter": "K"})
    assert read(LETTER, "The letter is A") == ("answer", {"letter": "A"})  # "A" is no dangling article


def test_a_question_is_not_a_statement():
    assert read(LETTER, "Is it an R? The leg is missing, so the letter is P.") == ("answer", {"letter": "P"})
    assert read(LETTER, "Could it be an R?")[0] == "unparseable"
