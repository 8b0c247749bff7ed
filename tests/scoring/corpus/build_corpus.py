"""Hand-written source of outputs.jsonl: every entry's outcome and extraction were assigned by hand.

Run `python tests/scoring/corpus/build_corpus.py` to rewrite outputs.jsonl. The only check done here is an
independent consistency check of each hand label (outcome `correct` iff the hand extraction equals the truth);
nothing is derived from snellen's extractor. See README.md for the reading protocol.
"""

from __future__ import annotations

import hashlib
import json
import string
from pathlib import Path

LETTERS = tuple(string.ascii_uppercase)
DIGITS = tuple(string.digits)
SHAPES = ("circle", "triangle", "square", "star", "diamond", "pentagon", "hexagon", "cross")
ANIMALS = ("cat", "dog", "fish", "bird", "rabbit", "turtle")
COLOURS = ("red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "pink", "brown", "gray")
SEQ_COLOURS = COLOURS + ("black",)
ITEMS = tuple(f"{c} {s}" for c in SEQ_COLOURS for s in SHAPES)
DOTS = tuple(f"{c} dot" for c in SEQ_COLOURS)
WORDS = ("CAT", "SUN", "HOUSE", "TREE", "BOOK", "FISH", "LAMP", "DOOR", "MOON", "STAR", "BIRD", "CAKE", "RING",
         "SHIP", "ROAD", "WIND", "HORSE", "MOUSE")
QUADS = ("top-left", "top-right", "bottom-left", "bottom-right")
YN = ("yes", "no")


def label(name, options):
    return [{"name": name, "kind": "label", "options": list(options)}]


def fields_for(family: str, answer: dict) -> list[dict]:
    if family == "letter":
        return label("letter", LETTERS)
    if family == "digit":
        return label("digit", DIGITS)
    if family == "shape":
        return label("shape", SHAPES)
    if family == "object":
        return label("animal", ANIMALS)
    if family == "colour":
        return label("color", COLOURS)
    if family == "presence":
        return label("present", YN)
    if family == "relation":
        return label("answer", YN)
    if family == "quadrant":
        return label("quadrant", QUADS)
    if family == "word":
        return [{"name": "word", "kind": "text", "options": list(WORDS)}]
    if family in ("ordering", "comparison", "text_order"):
        name = "words" if family == "text_order" else "objects"
        items = answer[name]
        opts = WORDS if family == "text_order" else (DOTS if all(i.endswith(" dot") for i in items) else ITEMS)
        return [{"name": name, "kind": "sequence", "options": list(opts), "length": len(items)}]
    if family in ("counting", "blur_counting"):
        return [
            {"name": "counts", "kind": "counts", "keys": list(answer["counts"]), "low": 0, "high": 20},
            {"name": "total", "kind": "integer", "low": 0, "high": 40},
        ]
    if family == "letter_count":
        return [{"name": "total", "kind": "integer", "low": 0, "high": 20},
                {"name": "with_letter", "kind": "integer", "low": 0, "high": 20}]
    raise ValueError(family)


SAME = object()
ENTRIES: list[dict] = []


def E(family, answer, text, outcome, extracted=SAME, note="", fields=None, source="written", style="clean"):
    """One hand-labelled output. `fields`: the sample's own AnswerField dicts (real outputs), else fields_for.
    `source`: "written" (composed by hand) or "real:<backend>" (a verbatim model/observer output).
    `style`: "clean" (batches 1-3: an answer, perhaps with a sentence around it) or "reasoning" (batch 4: a
    thinking model's reply: guesses, corrections, "wait", then a final answer in any form)."""
    if extracted is SAME:
        extracted = answer if outcome == "correct" else None
    ENTRIES.append(dict(family=family, answer=answer, text=text, outcome=outcome, extracted=extracted, note=note,
                        fields=fields, source=source, style=style))


# ---------------------------------------------------------------- letter
L = "letter"
E(L, {"letter": "K"}, '{"letter": "K"}', "correct")
E(L, {"letter": "K"}, '{"letter":"k"}', "correct", note="lower-case value")
E(L, {"letter": "R"}, '```json\n{"letter": "R"}\n```', "correct")
E(L, {"letter": "E"}, 'Sure! Here is my answer:\n\n```json\n{\n  "letter": "B"\n}\n```', "wrong", {"letter": "B"})
E(L, {"letter": "K"}, "The letter is K.", "correct")
E(L, {"letter": "K"}, "K", "correct")
E(L, {"letter": "X"}, "**K**", "wrong", {"letter": "K"})
E(L, {"letter": "Q"}, "I can't see any letter in this image; it appears blank.", "refusal")
E(L, {"letter": "M"}, "I see no letter in the image.", "refusal", note="'I' is a pronoun, not the letter I")
E(L, {"letter": "T"}, "I'm unable to determine the letter because it is too small.", "refusal")
E(L, {"letter": "O"}, 'The image shows a small dark glyph. It looks like the letter "O", although it could also be a "Q".',
  "unparseable", note="alternatives offered")
E(L, {"letter": "K"}, 'Initially I thought it was {"letter": "R"}, but zooming in: {"letter": "K"}', "correct",
  note="two objects, last wins")
E(L, {"letter": "Q"}, 'Example: {"letter": "A"}\nAnswer: {"letter": "Q"}', "correct", note="example then answer")
E(L, {"letter": "D"}, 'You asked for the format {"letter": "<X>"}. Here it is:\n{"letter": "P"}', "wrong", {"letter": "P"},
  note="template echo then a wrong answer")
E(L, {"letter": "H"}, '{"letter": "<X>"}', "unparseable", note="template echoed, no answer")
E(L, {"letter": "H"}, '{"letter": "H', "unparseable", note="truncated inside the value")
E(L, {"letter": "H"}, '{"letter": "H"', "correct", note="only the closing brace is missing after a complete value")
E(L, {"letter": "W"}, "  w  ", "correct", note="lower-case and whitespace")
E(L, {"letter": "W"}, "The letter displayed in the image is **W**.", "correct")
E(L, {"letter": "A"}, "The letter is A.", "correct", note="A as the answer, not an article")
E(L, {"letter": "B"}, "It is a B.", "correct", note="article before the letter")
E(L, {"letter": "I"}, "Answer: I", "correct", note="I as the answer")
E(L, {"letter": "N"}, "Sure! Let me take a look at the image.\n\nThe letter displayed is **M**.", "wrong", {"letter": "M"})
E(L, {"letter": "Z"}, "It looks like K or R.", "unparseable")
E(L, {"letter": "C"}, "At first glance it looks like an O, but on closer inspection the letter is C.", "correct",
  note="last statement wins")
E(L, {"letter": "V"}, "", "unparseable", note="empty output")
E(L, {"letter": "V"}, "   \n  ", "unparseable", note="whitespace only")
E(L, {"letter": "G"}, "<think>The glyph has a curve and a horizontal bar, so it is G rather than C.</think>\n"
  '{"letter": "G"}', "correct")
E(L, {"letter": "G"}, "<think>Let me look carefully. The glyph has a curve and a short bar, it might be", "unparseable",
  note="reasoning cut off before an answer")
E(L, {"letter": "S"}, "<think>Could be S or 5.</think>The letter is S.", "correct")
E(L, {"letter": "Y"}, "The image is too blurry to make out any letter.", "refusal")
E(L, {"letter": "F"}, "I cannot determine which letter is shown.", "refusal")
E(L, {"letter": "F"}, '{"letter": "unknown"}', "refusal", note="JSON refusal value")
E(L, {"letter": "F"}, '{"letter": null}', "refusal")
E(L, {"letter": "J"}, '{"letter": "7"}', "wrong", {"letter": "7"}, note="outside the options, kept")
E(L, {"letter": "J"}, "{'letter': 'J'}", "correct", note="single quotes")
E(L, {"letter": "J"}, '{"letter": "J",}', "correct", note="trailing comma")
E(L, {"letter": "U"}, '{"Letter": "U"}', "correct", note="key case")
E(L, {"letter": "U"}, '{"answer": {"letter": "V"}}', "wrong", {"letter": "V"}, note="wrapped answer")
E(L, {"letter": "P"}, "The letter in the image appears to be 'P'.", "correct")
E(L, {"letter": "P"}, "Based on the shape of the glyph (a vertical stroke with a loop at the top right), I believe it is the letter R.",
  "wrong", {"letter": "R"})
E(L, {"letter": "L"}, "L.", "correct")
E(L, {"letter": "L"}, "The answer is: L", "correct")
E(L, {"letter": "L"}, "Final answer: **T**", "wrong", {"letter": "T"})
E(L, {"letter": "X"}, "There is a small red letter near the bottom of the image. It is an X.", "correct")
E(L, {"letter": "E"}, "I'm sorry, but I can't help identify that.", "refusal")
E(L, {"letter": "E"}, "The image contains a single small character in the upper half.", "unparseable",
  note="description, no answer")
E(L, {"letter": "K"}, '{"letter": "K"}\n\nThe letter K is clearly visible in dark blue.', "correct")
E(L, {"letter": "K"}, '{"letter": "K"} ... wait, let me reconsider. {"letter": "R', "unparseable",
  note="the final answer object is cut off")

# ---------------------------------------------------------------- digit
D = "digit"
E(D, {"digit": "7"}, "7", "correct")
E(D, {"digit": "7"}, '{"digit": "7"}', "correct")
E(D, {"digit": "7"}, '{"digit": 7}', "correct", note="number instead of string")
E(D, {"digit": "7"}, "The digit is seven.", "correct", note="number word")
E(D, {"digit": "7"}, "It looks like a 1 or a 7.", "unparseable")
E(D, {"digit": "3"}, "**3**", "correct")
E(D, {"digit": "3"}, "I believe it's the number 8.", "wrong", {"digit": "8"})
E(D, {"digit": "1"}, '{"digit": "10"}', "wrong", {"digit": "10"}, note="outside the options")
E(D, {"digit": "1"}, "No digit is visible in the image.", "refusal")
E(D, {"digit": "4"}, "The image shows the digit 4 in black.", "correct")
E(D, {"digit": "4"}, "```json\n{\"digit\": \"9\"}\n```", "wrong", {"digit": "9"})
E(D, {"digit": "0"}, "The digit is 0 (zero).", "correct")
E(D, {"digit": "0"}, "It appears to be an O or a 0.", "unparseable")
E(D, {"digit": "5"}, "Looking at the image, I can see a tiny glyph at around (120, 340). It is the digit 5.", "correct",
  note="coordinates are not the answer")
E(D, {"digit": "5"}, "five", "correct")
E(D, {"digit": "6"}, "The digit shown is 8.", "wrong", {"digit": "8"})
E(D, {"digit": "6"}, '{"digit": "six"}', "correct", note="number word in JSON")
E(D, {"digit": "2"}, "Digit: 2", "correct")
E(D, {"digit": "2"}, "I'm not able to read the digit; it is only a few pixels tall.", "refusal")
E(D, {"digit": "9"}, "<think>Round top, tail down: 9.</think>\n\n9", "correct")
E(D, {"digit": "9"}, '{"digit": "9"', "correct", note="closing brace missing only")
E(D, {"digit": "8"}, '{"digit": "', "unparseable", note="truncated")
E(D, {"digit": "8"}, "Sure, the answer is 3.", "wrong", {"digit": "3"})
E(D, {"digit": "1"}, "The number in the image is one.", "correct")
E(D, {"digit": "1"}, "There is a digit in the image.", "unparseable")

# ---------------------------------------------------------------- shape
S = "shape"
E(S, {"shape": "star"}, "The shape is a star.", "correct")
E(S, {"shape": "hexagon"}, "**Hexagon**", "correct")
E(S, {"shape": "star"}, "It's a five-pointed star.", "correct")
E(S, {"shape": "circle"}, '{"shape": "circle"}', "correct")
E(S, {"shape": "circle"}, '{"shape": "oval"}', "wrong", {"shape": "oval"}, note="outside the options")
E(S, {"shape": "circle"}, "It looks like a circle or possibly an octagon.", "unparseable")
E(S, {"shape": "diamond"}, "It's not a square, it's a diamond.", "correct", note="negated mention")
E(S, {"shape": "triangle"}, "Shape: triangle", "correct")
E(S, {"shape": "triangle"}, "I can't identify the shape; it's just a few pixels.", "refusal")
E(S, {"shape": "pentagon"}, '{"shape": "Hexagon"}', "wrong", {"shape": "hexagon"})
E(S, {"shape": "pentagon"}, "The image shows a small green pentagon near the top-right corner.", "correct")
E(S, {"shape": "cross"}, "```json\n{\"shape\": \"plus\"}\n```", "wrong", {"shape": "plus"})
E(S, {"shape": "cross"}, "CROSS", "correct")
E(S, {"shape": "square"}, '{"shape": "square"}\n\nNote: the answer format was {"shape": "<type>"}.', "correct",
  note="template quoted after the answer")
E(S, {"shape": "square"}, "The shape appears to be a diamond (a square rotated by 45 degrees).", "wrong", {"shape": "diamond"},
  note="explanation mentions square; the stated answer is diamond")
E(S, {"shape": "star"}, '{"shape": "a red star"}', "correct", note="value contains exactly one option")
E(S, {"shape": "star"}, "Hmm, the image is mostly white. There might be something in the center but I cannot make out its shape.",
  "refusal")
E(S, {"shape": "hexagon"}, "The shape has six sides, so it's a hexagon.", "correct")
E(S, {"shape": "hexagon"}, "{\"shape\": \"pentagon\",}", "wrong", {"shape": "pentagon"})
E(S, {"shape": "circle"}, "Answer: Circle", "correct")

# ---------------------------------------------------------------- object (animal)
O = "object"
E(O, {"animal": "fish"}, "The animal is a fish.", "correct")
E(O, {"animal": "fish"}, '{"animal": "Fish"}', "correct")
E(O, {"animal": "bird"}, "It looks like a small bird.", "correct")
E(O, {"animal": "cat"}, "It's a cat, I think.", "correct")
E(O, {"animal": "dog"}, '{"animal": "horse"}', "wrong", {"animal": "horse"})
E(O, {"animal": "dog"}, "The silhouette could be a dog or a cat.", "unparseable")
E(O, {"animal": "rabbit"}, "Based on the shape, this is most likely a rabbit (long ears).", "correct")
E(O, {"animal": "turtle"}, "I'm not able to identify the animal.", "refusal")
E(O, {"animal": "turtle"}, '```json\n{"animal": "turtle"}\n```', "correct")
E(O, {"animal": "turtle"}, "The image shows a tiny green turtle.", "correct")
E(O, {"animal": "cat"}, "**Dog**", "wrong", {"animal": "dog"})
E(O, {"animal": "bird"}, '{"object": "bird"}', "correct", note="one-field task answered by a single-key object under another key")
E(O, {"animal": "bird"}, "I think the animal shown is a bird.", "correct")
E(O, {"animal": "rabbit"}, '{"animal": "rabbit"', "correct", note="closing brace missing only")
E(O, {"animal": "fish"}, "There is an animal silhouette, but it is too small to tell which animal it is.", "refusal")

# ---------------------------------------------------------------- colour
C = "colour"
E(C, {"color": "orange"}, '{"color": "orange"}', "correct")
E(C, {"color": "orange"}, '{"colour": "Orange"}', "correct", note="British key")
E(C, {"color": "orange"}, "The block is orange.", "correct")
E(C, {"color": "orange"}, "Orange", "correct")
E(C, {"color": "orange"}, "It appears to be a reddish-orange color.", "correct", note="reddish is not the option red")
E(C, {"color": "gray"}, "The color is grey.", "correct", note="spelling variant")
E(C, {"color": "gray"}, '{"color": "white"}', "wrong", {"color": "white"})
E(C, {"color": "red"}, "It's either red or orange.", "unparseable")
E(C, {"color": "blue"}, "The square is dark blue.", "correct")
E(C, {"color": "blue"}, "I see a blue block on a white background.", "correct")
E(C, {"color": "purple"}, '{"color": "magenta"}', "wrong", {"color": "magenta"})
E(C, {"color": "purple"}, "**Purple**", "correct")
E(C, {"color": "cyan"}, "I cannot determine the color of the block.", "refusal")
E(C, {"color": "cyan"}, "The block's color is cyan (light blue).", "correct", note="parenthetical gloss")
E(C, {"color": "pink"}, "Color: PINK", "correct")
E(C, {"color": "brown"}, '{"color": "brown"}\n', "correct")
E(C, {"color": "yellow"}, "The block appears to be green.", "wrong", {"color": "green"})
E(C, {"color": "green"}, '{"color": "', "unparseable")

# ---------------------------------------------------------------- presence
P = "presence"
E(P, {"present": "yes"}, "Yes, there is a small black square near the center.", "correct")
E(P, {"present": "yes"}, "No, the image is blank.", "wrong", {"present": "no"})
E(P, {"present": "no"}, "There is no square block in the image.", "correct")
E(P, {"present": "yes"}, "I don't see any block.", "wrong", {"present": "no"})
E(P, {"present": "yes"}, "I see a tiny black square in the middle of the image.", "correct")
E(P, {"present": "no"}, '{"present": "no"}', "correct")
E(P, {"present": "yes"}, '{"present": true}', "correct", note="boolean")
E(P, {"present": "yes"}, '{"present": "Yes"}', "correct")
E(P, {"present": "yes"}, "YES", "correct")
E(P, {"present": "yes"}, "no", "wrong", {"present": "no"})
E(P, {"present": "yes"}, '```json\n{"present": "yes"}\n```', "correct")
E(P, {"present": "yes"}, '{"present": "maybe"}', "wrong", {"present": "maybe"})
E(P, {"present": "no"}, '{"present": false}', "correct")
E(P, {"present": "yes"}, "**Yes**", "correct")
E(P, {"present": "yes"}, "I'm unable to view the image.", "refusal")
E(P, {"present": "yes"}, "Answer: yes", "correct")
E(P, {"present": "yes"}, "The image is white with a few scattered pixels.", "unparseable")
E(P, {"present": "yes"}, '{"present": "y', "unparseable")

# ---------------------------------------------------------------- relation
R = "relation"
E(R, {"answer": "yes"}, "Yes", "correct")
E(R, {"answer": "yes"}, "No.", "wrong", {"answer": "no"})
E(R, {"answer": "yes"}, '{"answer": "yes"}', "correct")
E(R, {"answer": "no"}, "Yes, the red star is to the left of the blue circle.", "wrong", {"answer": "yes"})
E(R, {"answer": "no"}, "No, the red star is to the right of the blue circle.", "correct")
E(R, {"answer": "no"}, "The red star is to the right of the blue circle.", "unparseable", note="not stated, only described")
E(R, {"answer": "yes"}, "I can't tell which object is which.", "refusal")
E(R, {"answer": "yes"}, '{"answer": "Yes"}', "correct")
E(R, {"answer": "yes"}, '{"answer": "maybe"}', "wrong", {"answer": "maybe"})
E(R, {"answer": "no"}, '```json\n{"answer": "no"}\n```', "correct")
E(R, {"answer": "no"}, "**No**", "correct")
E(R, {"answer": "no"}, "Looking at the positions: the green triangle is at x=300 and the orange square at x=120.\n\nAnswer: no",
  "correct")
E(R, {"answer": "yes"}, "The answer is yes.", "correct")
E(R, {"answer": "yes"}, '{"answer": "', "unparseable")
E(R, {"answer": "no"}, "The objects are too small for me to determine their positions.", "refusal")

# ---------------------------------------------------------------- quadrant
Q = "quadrant"
E(Q, {"quadrant": "top-left"}, "top-left", "correct")
E(Q, {"quadrant": "top-left"}, '{"quadrant": "top-left"}', "correct")
E(Q, {"quadrant": "top-left"}, '{"quadrant": "Top Left"}', "correct", note="space and case")
E(Q, {"quadrant": "top-left"}, "The star is in the upper-left quadrant.", "correct", note="upper = top")
E(Q, {"quadrant": "bottom-right"}, "bottom right", "correct")
E(Q, {"quadrant": "bottom-right"}, "It's near the top of the image, slightly left of center.", "unparseable")
E(Q, {"quadrant": "top-right"}, "I cannot locate the target in the image.", "refusal")
E(Q, {"quadrant": "top-right"}, '{"quadrant": "top-center"}', "wrong", {"quadrant": "top-center"})
E(Q, {"quadrant": "bottom-right"}, "The object is in the lower right corner.", "correct")
E(Q, {"quadrant": "bottom-left"}, "**Bottom-left**", "correct")
E(Q, {"quadrant": "bottom-left"}, '{"quadrant": "bottom-right"}', "wrong", {"quadrant": "bottom-right"})
E(Q, {"quadrant": "top-right"}, "Quadrant: top right", "correct")
E(Q, {"quadrant": "top-right"}, "It is either in the top-right or the bottom-right quadrant.", "unparseable")
E(Q, {"quadrant": "bottom-left"}, '{"quadrant": "bottom_left"}', "correct", note="underscore")
E(Q, {"quadrant": "top-left"}, "The target is located in the top-right quadrant of the image.", "wrong", {"quadrant": "top-right"})

# ---------------------------------------------------------------- word
W = "word"
E(W, {"word": "HOUSE"}, '{"word": "HOUSE"}', "correct")
E(W, {"word": "HOUSE"}, '{"word": "house"}', "correct")
E(W, {"word": "HOUSE"}, "The word is HOUSE.", "correct")
E(W, {"word": "HOUSE"}, "HOUSE", "correct")
E(W, {"word": "HOUSE"}, 'The text reads "MOUSE".', "wrong", {"word": "MOUSE"})
E(W, {"word": "HOUSE"}, "I can't read the text, it's too blurry.", "refusal")
E(W, {"word": "HOUSE"}, '{"word": "HOU', "unparseable")
E(W, {"word": "HORSE"}, "The word appears to be either HOUSE or HORSE.", "unparseable")
E(W, {"word": "TREE"}, "**TREE**", "correct")
E(W, {"word": "TREE"}, '```json\n{"word": "FREE"}\n```', "wrong", {"word": "FREE"}, note="not in the word bank, kept")
E(W, {"word": "LAMP"}, "The word is hard to read but it might be LAMP.", "correct", note="'hard' is not the word")
E(W, {"word": "LAMP"}, "lamp", "correct")
E(W, {"word": "MOON"}, "The image contains the word MOON written in black capital letters.", "correct")
E(W, {"word": "MOON"}, "I see some small text but it is illegible.", "refusal")
E(W, {"word": "SHIP"}, '{"word": "SHOP"}', "wrong", {"word": "SHOP"})
E(W, {"word": "SHIP"}, "Word: SHIP", "correct")
E(W, {"word": "CAKE"}, '{"word": ""}', "refusal", note="empty value")
E(W, {"word": "CAKE"}, "The text in the image says 'CAKE'.", "correct")

# ---------------------------------------------------------------- ordering
OR = "ordering"
E(OR, {"objects": ["green hexagon", "purple triangle"]}, '{"objects": ["green hexagon", "purple triangle"]}', "correct")
E(OR, {"objects": ["green hexagon", "purple triangle"]}, '{"objects": ["purple triangle", "green hexagon"]}', "wrong",
  {"objects": ["purple triangle", "green hexagon"]}, note="swap")
E(OR, {"objects": ["green hexagon", "purple triangle"]}, "From left to right: green hexagon, purple triangle.", "correct")
E(OR, {"objects": ["red star", "blue circle", "green square"]}, "1. red star\n2. blue circle\n3. green square", "correct")
E(OR, {"objects": ["red star", "blue circle", "green square"]}, "- **Red star**\n- **Blue circle**\n- **Green square**",
  "correct")
E(OR, {"objects": ["red star", "blue circle", "green square"]},
  "The red star comes first, then the blue circle, and finally the green square.", "correct")
E(OR, {"objects": ["red star", "blue circle", "green square"]}, "red star -> blue circle -> green square", "correct")
E(OR, {"objects": ["blue circle", "red star", "green square"]},
  "I can see three shapes. On the far left there is a blue circle. In the middle is a red star. On the right is a green square."
  "\n\nSo the order from left to right is: blue circle, red star, green square.", "correct")
E(OR, {"objects": ["yellow star", "cyan cross"]},
  'The format should be like {"objects": ["red circle", "blue square"]}. Looking at the image: {"objects": ["yellow star", "cyan cross"]}',
  "correct", note="example object quoted before the answer")
E(OR, {"objects": ["red star", "blue circle"]}, '["red star", "blue circle"]', "correct", note="bare list")
E(OR, {"objects": ["red star", "blue circle"]}, '{"objects": ["purple heart", "red star"]}', "wrong",
  {"objects": ["purple heart", "red star"]}, note="item outside the vocabulary kept")
E(OR, {"objects": ["red star", "blue circle"]}, '{"objects": ["Red Star", "BLUE circle"]}', "correct")
E(OR, {"objects": ["red star", "blue circle", "green square"]}, '{"objects": ["red star", "blue circle", "gre', "unparseable",
  note="truncated list")
E(OR, {"objects": ["red star", "blue circle"]}, '{"objects": "red star, blue circle"}', "correct", note="string for a list")
E(OR, {"objects": ["red star", "blue circle"]}, "I cannot make out the shapes clearly.", "refusal")
E(OR, {"objects": ["red star", "blue circle"]}, "The image contains several small colored shapes.", "unparseable")
E(OR, {"objects": ["red star", "blue circle", "green square"]}, "a red star, a blue circle, a green square", "correct")
E(OR, {"objects": ["red star", "blue circle"]}, "1. **Red star** (leftmost)\n2. **Blue circle** (rightmost)", "correct")
E(OR, {"objects": ["orange diamond", "black cross", "pink pentagon", "gray circle"]},
  '```json\n{"objects": ["orange diamond", "black cross", "gray circle", "pink pentagon"]}\n```', "wrong",
  {"objects": ["orange diamond", "black cross", "gray circle", "pink pentagon"]})
E(OR, {"objects": ["orange diamond", "black cross", "pink pentagon", "gray circle"]},
  '{"objects": ["orange diamond", "black cross", "pink pentagon"]}', "wrong",
  {"objects": ["orange diamond", "black cross", "pink pentagon"]}, note="omission")
E(OR, {"objects": ["orange diamond", "black cross"]}, '{"objects": ["orange diamond", "black cross", "red star"]}', "wrong",
  {"objects": ["orange diamond", "black cross", "red star"]}, note="insertion")
E(OR, {"objects": ["orange diamond", "black cross"]}, "{'objects': ['orange diamond', 'black cross',]}", "correct",
  note="single quotes and trailing comma")
E(OR, {"objects": ["orange diamond", "black cross"]}, '{"objects": ["orange diamond", "grey cross"]}', "wrong",
  {"objects": ["orange diamond", "gray cross"]}, note="colour substitution; grey read as the option spelling gray")
E(OR, {"objects": ["brown square", "cyan triangle", "magenta star"]},
  "Sure! Listing the shapes from left to right:\n\n1. Brown square\n2. Cyan triangle\n3. Magenta star\n\nLet me know if you need anything else!",
  "correct", note="chatty trailer after the list")
E(OR, {"objects": ["brown square", "cyan triangle", "magenta star"]}, "Brown square, cyan triangle, magenta star.", "correct")
E(OR, {"objects": ["brown square", "cyan triangle", "magenta star"]},
  "Left to right: brown square, then cyan triangle, then magenta star", "correct")
E(OR, {"objects": ["brown square", "cyan triangle", "magenta star"]},
  '{"objects": ["brown square", "magenta star", "cyan triangle"]}', "wrong",
  {"objects": ["brown square", "magenta star", "cyan triangle"]})
E(OR, {"objects": ["red star", "blue circle"]}, '{"objects": []}', "wrong", {"objects": []}, note="empty list")
E(OR, {"objects": ["red star", "blue circle"]}, '{"objects": ["<color> <identity>", "..."]}', "unparseable",
  note="template echo")
E(OR, {"objects": ["yellow pentagon", "green star"]},
  "<think>Left one is yellow with five sides; right one is a green star.</think>\nyellow pentagon, green star", "correct")

# ---------------------------------------------------------------- comparison
CP = "comparison"
E(CP, {"objects": ["cyan dot", "magenta dot"]}, '{"objects": ["cyan dot", "magenta dot"]}', "correct")
E(CP, {"objects": ["cyan dot", "magenta dot"]}, '{"objects": ["magenta dot", "cyan dot"]}', "wrong",
  {"objects": ["magenta dot", "cyan dot"]})
E(CP, {"objects": ["cyan dot", "magenta dot"]}, "Largest to smallest: the cyan dot, then the magenta dot.", "correct")
E(CP, {"objects": ["red dot", "blue dot", "green dot"]}, "1. Red dot (largest)\n2. Blue dot\n3. Green dot (smallest)",
  "correct")
E(CP, {"objects": ["red dot", "blue dot", "green dot"]}, "The dots all look the same size to me, so I can't order them.",
  "refusal")
E(CP, {"objects": ["red dot", "blue dot", "green dot"]}, '{"objects": ["red dot", "green dot", "blue dot"]}', "wrong",
  {"objects": ["red dot", "green dot", "blue dot"]})
E(CP, {"objects": ["red dot", "blue dot", "green dot"]}, "red dot, blue dot, green dot", "correct")
E(CP, {"objects": ["yellow dot", "black dot"]},
  "The yellow dot is clearly bigger than the black dot.\n\n```json\n{\"objects\": [\"yellow dot\", \"black dot\"]}\n```",
  "correct")
E(CP, {"objects": ["yellow dot", "black dot"]}, '{"objects": ["yellow dot", "black dot"', "unparseable",
  note="list closed? no: cut off inside the list")
E(CP, {"objects": ["pink dot", "gray dot", "orange dot"]},
  "Ordering by size (smallest to largest): pink dot, gray dot, orange dot", "correct")
E(CP, {"objects": ["pink dot", "gray dot", "orange dot"]}, '{"objects": ["pink dot", "grey dot", "orange dot"]}',
  "correct", note="grey is the option gray, also inside a list item")
E(CP, {"objects": ["pink dot", "gray dot", "orange dot"]}, '{"objects": ["pink dot", "orange dot"]}', "wrong",
  {"objects": ["pink dot", "orange dot"]})
E(CP, {"objects": ["purple dot", "brown dot"]}, "Purple dot → brown dot", "correct")
E(CP, {"objects": ["purple dot", "brown dot"]}, "There are two dots of different sizes.", "unparseable")
E(CP, {"objects": ["purple dot", "brown dot"]}, "{'objects': ['Purple dot', 'Brown dot']}", "correct")

# ---------------------------------------------------------------- counting
CT = "counting"
rb = {"counts": {"red": 2, "blue": 1}, "total": 3}
E(CT, rb, '{"counts": {"red": 2, "blue": 1}, "total": 3}', "correct")
E(CT, rb, '{"counts": {"Red": 2, "BLUE": 1}, "total": 3}', "correct", note="key case")
E(CT, rb, '{"counts": {"red": 2, "blue": 2}, "total": 4}', "wrong", {"counts": {"red": 2, "blue": 2}, "total": 4})
E(CT, rb, '{"counts": {"red": "2", "blue": "1"}, "total": "3"}', "correct", note="numbers as strings")
E(CT, rb, "2 red, 1 blue; total: 3", "correct")
E(CT, rb, "There are two red blocks and one blue block, for a total of three.", "correct", note="number words")
E(CT, rb, "- Red: 2\n- Blue: 1\n\nTotal: 3", "correct")
E(CT, rb, '{"counts": {"red": 2, "blue": 1}, "tot', "unparseable", note="truncated")
E(CT, rb, '{"counts": {"red": 2, "blue": 1}}', "wrong", {"counts": {"red": 2, "blue": 1}, "total": None},
  note="complete object without total")
E(CT, rb, '{"red": 2, "blue": 1, "total": 3}', "correct", note="flat counts next to total")
E(CT, rb, '{"counts": {"red": 2, "blue": 1, "green": 1}, "total": 4}', "wrong",
  {"counts": {"red": 2, "blue": 1, "green": 1}, "total": 4}, note="an item not in the image")
E(CT, rb, "The blocks are too small for me to count reliably.", "refusal")
E(CT, rb, "I count 2 red and 1 blue block. Total = 3.", "correct")
E(CT, rb, "Red blocks: 2\nBlue blocks: 1\nTotal blocks: 3", "correct")
E(CT, rb, "There are 3 blocks in total: 2 red and 1 blue.", "correct")
E(CT, rb, "2 red, 1 blue", "wrong", {"counts": {"red": 2, "blue": 1}, "total": None}, note="total never summed by the reader")
E(CT, rb, '```json\n{"counts": {"red": 1, "blue": 1}, "total": 2}\n```', "wrong", {"counts": {"red": 1, "blue": 1}, "total": 2})
pr = {"counts": {"purple": 1, "red": 1}, "total": 2}
E(CT, pr, '{"counts": {"purple": 1, "red": 1}, "total": 2}', "correct")
E(CT, pr, "1 purple, 1 red; total: 2", "correct")
E(CT, pr, "one purple, one red; total: two", "correct")
E(CT, pr, '{"counts": {"purple": 1, "red": 1}, "total": 2,}', "correct", note="trailing comma")
E(CT, pr, "{'counts': {'purple': 1, 'red': 1}, 'total': 2}", "correct", note="single quotes")
E(CT, pr, '{"counts": {"purple": 0, "red": 1}, "total": 1}', "wrong", {"counts": {"purple": 0, "red": 1}, "total": 1})
E(CT, pr, "I don't see any colored blocks in this image.", "refusal")
big = {"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": 10}
E(CT, big, '{"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": 10}', "correct")
E(CT, big, '{"counts": {"green": 3, "orange": 3, "cyan": 3}, "total": 9}', "wrong",
  {"counts": {"green": 3, "orange": 3, "cyan": 3}, "total": 9})
E(CT, big, "Let me count each color.\n\nGreen: 1, 2, 3 -> 3 green.\nOrange: 4 orange.\nCyan: 3 cyan.\n\nTotal: 10",
  "correct", note="running count then the final per-key statement")
E(CT, big, "3 green, 4 orange, 3 cyan; total: 10", "correct")
E(CT, big, "There are ten blocks: three green, four orange and three cyan.", "correct",
  note="'there are ten blocks' states the total (blocks is not a count key)")
E(CT, big, '{"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": 11}', "wrong",
  {"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": 11})
E(CT, big, '{"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": 10', "correct",
  note="only the outer brace missing, every field present")
E(CT, big, '{"counts": {"green": null, "orange": null, "cyan": null}, "total": null}', "refusal")
E(CT, big, 'Here is the format: {"counts": {"<color>": <n>}, "total": <N>}\n\n{"counts": {"green": 2, "orange": 4, "cyan": 3}, "total": 9}',
  "wrong", {"counts": {"green": 2, "orange": 4, "cyan": 3}, "total": 9})
E(CT, big, "Green: 3\nOrange: 4\nCyan: 3\nTotal: 10", "correct")
E(CT, big, "The image shows many small squares of various colors.", "unparseable")
E(CT, big, '{"counts": {"green": 3, "orange": 4, "cyan": 3}, "total": "ten"}', "correct", note="number word total")

# ---------------------------------------------------------------- blur_counting
BC = "blur_counting"
ry = {"counts": {"red": 1, "yellow": 1}, "total": 2}
E(BC, ry, '{"counts": {"red": 1, "yellow": 1}, "total": 2}', "correct")
E(BC, ry, '{"counts": {"red": 1, "yellow": 2}, "total": 3}', "wrong", {"counts": {"red": 1, "yellow": 2}, "total": 3})
E(BC, ry, "Ignoring the background texture, I see 1 red block and 1 yellow block, 2 in total.", "correct")
E(BC, ry, "The background is too noisy; I can't distinguish any blocks.", "refusal")
E(BC, ry, '```json\n{\n  "counts": {\n    "red": 1,\n    "yellow": 1\n  },\n  "total": 2\n}\n```', "correct")
cs = {"counts": {"circle": 3, "star": 1}, "total": 4}
E(BC, cs, '{"counts": {"circle": 3, "star": 1}, "total": 4}', "correct")
E(BC, cs, "There are three circles and one star. Total: 4", "correct", note="plurals")
E(BC, cs, "3 circles, 1 star; total: 4", "correct")
E(BC, cs, '{"counts": {"Circles": 3, "star": 1}, "total": 4}', "correct", note="plural, capitalised key read as the key circle")
E(BC, cs, '{"counts": {"circle": 2, "star": 1}, "total": 3}', "wrong", {"counts": {"circle": 2, "star": 1}, "total": 3})
E(BC, cs, '{"counts": {"circle": 3, "star": 1, "square": 2}, "total": 6}', "wrong",
  {"counts": {"circle": 3, "star": 1, "square": 2}, "total": 6})
E(BC, cs, "circle: 3, star: 1, total: 4", "correct")

# ---------------------------------------------------------------- text_order
TO = "text_order"
E(TO, {"words": ["CAT", "SUN"]}, '{"words": ["CAT", "SUN"]}', "correct")
E(TO, {"words": ["CAT", "SUN"]}, '{"words": ["SUN", "CAT"]}', "wrong", {"words": ["SUN", "CAT"]})
E(TO, {"words": ["CAT", "SUN", "TREE"]}, "CAT, SUN, TREE", "correct")
E(TO, {"words": ["CAT", "SUN", "TREE"]}, "The words from left to right are CAT, SUN and TREE.", "correct")
E(TO, {"words": ["CAT", "SUN", "TREE"]}, "1. CAT\n2. SUN\n3. TREE", "correct")
E(TO, {"words": ["CAT", "SUN", "TREE"]}, '{"words": ["cat", "sun", "tree"]}', "correct")
E(TO, {"words": ["CAT", "SUN", "TREE"]}, '{"words": ["CAT", "SUN", "FREE"]}', "wrong", {"words": ["CAT", "SUN", "FREE"]})
E(TO, {"words": ["BOOK", "DOOR"]}, "I can't read any of the words; they are too small.", "refusal")
E(TO, {"words": ["BOOK", "DOOR"]}, '{"words": ["BOOK", "DO', "unparseable")
E(TO, {"words": ["BOOK", "DOOR"]}, "BOOK -> DOOR", "correct")
E(TO, {"words": ["BOOK", "DOOR"]}, "The image shows two short words.", "unparseable")
E(TO, {"words": ["BOOK", "DOOR"]}, "- **BOOK**\n- **DOOR**", "correct")
E(TO, {"words": ["RING", "SHIP", "ROAD", "WIND"]}, '{"words": ["RING", "SHIP", "WIND"]}', "wrong",
  {"words": ["RING", "SHIP", "WIND"]})
E(TO, {"words": ["RING", "SHIP", "ROAD", "WIND"]}, "Reading left to right: RING, SHIP, ROAD, WIND.", "correct")
E(TO, {"words": ["RING", "SHIP", "ROAD", "WIND"]}, '```json\n{"words": ["RING", "SHIP", "ROAD", "WIND"]}\n```', "correct")

# ---------------------------------------------------------------- letter_count
LC = "letter_count"
lc = {"total": 4, "with_letter": 2}
E(LC, lc, '{"total": 4, "with_letter": 2}', "correct")
E(LC, lc, '{"total": "four", "with_letter": "two"}', "correct")
E(LC, lc, "total: 4, with_letter: 2", "correct")
E(LC, lc, "Total: 4\nWith letter: 2", "correct")
E(LC, lc, '{"total": 4}', "wrong", {"total": 4, "with_letter": None})
E(LC, lc, '{"total": 5, "with_letter": 2}', "wrong", {"total": 5, "with_letter": 2})
E(LC, lc, '{"total": 4, "with_letter": 3}', "wrong", {"total": 4, "with_letter": 3})
E(LC, lc, "I cannot count the letters; they are too small.", "refusal")
E(LC, lc, '{"total": 4, "with_letter": ', "unparseable")
E(LC, lc, '```json\n{"total": 4, "with_letter": 2}\n```', "correct")
E(LC, lc, "{'total': 4, 'with_letter': 2,}", "correct")
E(LC, lc, '{"total": 4.0, "with_letter": 2}', "correct", note="integral float")
E(LC, lc, '{"total": 4, "with_letter": 2.5}', "wrong", {"total": 4, "with_letter": 2.5})
E(LC, lc, "The image contains a few letters.", "unparseable")
E(LC, lc, '{"total": "unknown", "with_letter": "unknown"}', "refusal")

# ------------------------------------------------- more varied outputs, written in the same way
E(L, {"letter": "R"}, "Looking closely at the image, I can see a small character. Its shape, with a vertical stem, a bowl and a diagonal leg, "
  "is characteristic of the letter R.\n\n**Answer: R**", "correct")
E(L, {"letter": "B"}, "The letter could be B, E or R; I am not sure.", "unparseable")
E(L, {"letter": "M"}, "The letter is not clearly visible.", "refusal")
E(L, {"letter": "M"}, "letter: m", "correct")
E(L, {"letter": "Y"}, '{"letter": "Y"} {"letter": "V"}', "wrong", {"letter": "V"}, note="last complete object wins")
E(L, {"letter": "A"}, "I think it's a letter, but I can't tell which one.", "refusal", note="'a letter' is an article")
E(L, {"letter": "O"}, '"O"', "correct")
E(L, {"letter": "O"}, "`O`", "correct")
E(L, {"letter": "Q"}, "The letter shown is Q, rendered in dark green.", "correct")
E(L, {"letter": "N"}, "It resembles an N.", "correct")
E(L, {"letter": "N"}, "It is the uppercase letter H.", "wrong", {"letter": "H"})
E(L, {"letter": "Z"}, "```\n{\"letter\": \"Z\"}\n```", "correct", note="fence without language")
E(L, {"letter": "Z"}, "```json\n{\"letter\": \"S\"}", "wrong", {"letter": "S"}, note="unclosed fence, complete object")
E(D, {"digit": "8"}, "The digit appears to be 8, though it is quite small.", "correct")
E(D, {"digit": "8"}, "Answer: eight", "correct")
E(D, {"digit": "4"}, "It could be 4 or 9.", "unparseable")
E(D, {"digit": "4"}, "I'm sorry, I can't determine the digit from this image.", "refusal")
E(S, {"shape": "cross"}, "The shape is a plus sign (cross).", "correct", note="'plus sign' explained as the option")
E(S, {"shape": "triangle"}, "It's a small triangle pointing upward.", "correct")
E(S, {"shape": "triangle"}, "I see a tiny square.", "wrong", {"shape": "square"})
E(S, {"shape": "star"}, '{"shape": "STAR"}', "correct")
E(O, {"animal": "dog"}, "Dog.", "correct")
E(O, {"animal": "dog"}, "The animal appears to be a cat.", "wrong", {"animal": "cat"})
E(C, {"color": "magenta"}, "The block is colored magenta.", "correct")
E(C, {"color": "magenta"}, "I think it's pink.", "wrong", {"color": "pink"})
E(P, {"present": "no"}, "No.", "correct")
E(P, {"present": "no"}, "No, I don't see a square block.", "correct")
E(P, {"present": "no"}, "Yes.", "wrong", {"present": "yes"})
E(R, {"answer": "yes"}, "yes", "correct")
E(R, {"answer": "yes"}, "Yes or no: I'm not sure.", "unparseable", note="both offered")
E(Q, {"quadrant": "bottom-left"}, "The letter sits in the bottom-left quadrant.", "correct")
E(Q, {"quadrant": "bottom-left"}, "Lower left.", "correct")
E(W, {"word": "DOOR"}, "DOOR.", "correct")
E(W, {"word": "DOOR"}, "It says DOOR.", "correct")
E(W, {"word": "DOOR"}, "The word is either DOOR or POOR.", "unparseable")
E(OR, {"objects": ["red star", "blue circle"]}, "Red star, blue circle", "correct")
E(OR, {"objects": ["red star", "blue circle"]}, "* red star\n* blue circle", "correct")
E(OR, {"objects": ["red star", "blue circle"]}, "Blue circle, red star.", "wrong", {"objects": ["blue circle", "red star"]})
E(OR, {"objects": ["red star", "blue circle", "green square", "yellow cross"]},
  "Order: red star, blue circle, yellow cross, green square", "wrong",
  {"objects": ["red star", "blue circle", "yellow cross", "green square"]})
E(OR, {"objects": ["red star", "blue circle"]}, "First the red star, then the blue circle.", "correct")
E(CP, {"objects": ["cyan dot", "magenta dot"]}, "Cyan dot, magenta dot", "correct")
E(CP, {"objects": ["cyan dot", "magenta dot"]}, "Magenta dot, cyan dot", "wrong", {"objects": ["magenta dot", "cyan dot"]})
E(CT, rb, "Red: 2, Blue: 1, Total: 3", "correct")
E(CT, rb, "Red: 1, Blue: 1, Total: 2", "wrong", {"counts": {"red": 1, "blue": 1}, "total": 2})
E(CT, rb, "two red, one blue, three in total", "correct")
E(CT, rb, "There are no blue blocks and 2 red blocks; total: 2", "wrong", {"counts": {"red": 2, "blue": 0}, "total": 2},
  note="'no blue' is a count of 0")
E(BC, ry, "1 red, 1 yellow; total: 2", "correct")
E(BC, ry, "1 red, 2 yellow; total: 3", "wrong", {"counts": {"red": 1, "yellow": 2}, "total": 3})
E(TO, {"words": ["CAT", "SUN"]}, "cat, sun", "correct")
E(TO, {"words": ["CAT", "SUN"]}, "SUN, CAT", "wrong", {"words": ["SUN", "CAT"]})
E(LC, lc, "Total: 4, with letter: 1", "wrong", {"total": 4, "with_letter": 1})
E(LC, lc, "total: four\nwith_letter: two", "correct")

# ------------------------------------------------- batch 2: written after the first held-out measurement
# (the extractor was fixed for two held-out misses; these fresh lines re-measure it; labelled before any run)
E(L, {"letter": "G"}, "Looking at the image, there is a single uppercase letter rendered in a dark color. It appears to be the letter **G**.",
  "correct")
E(L, {"letter": "G"}, '{"letter": "C"}\n\nExplanation: the glyph is an open curve without a horizontal bar.', "wrong", {"letter": "C"})
E(L, {"letter": "D"}, "The character is D", "correct")
E(L, {"letter": "D"}, "d", "correct")
E(L, {"letter": "D"}, "The letter is either D or O; it's hard to tell at this size.", "unparseable")
E(L, {"letter": "H"}, "I am unable to identify any letter in this image.", "refusal")
E(L, {"letter": "H"}, 'Answer:\n```json\n{"letter": "H"}\n```', "correct")
E(L, {"letter": "T"}, '{\n  "letter": "T"\n}', "correct")
E(L, {"letter": "V"}, "My best guess is V.", "correct")
E(L, {"letter": "V"}, "The image appears to be blank.", "refusal")
E(L, {"letter": "X"}, "The answer is Y.", "wrong", {"letter": "Y"})
E(D, {"digit": "3"}, "The number shown is 3.", "correct")
E(D, {"digit": "3"}, '{"digit": "three"}', "correct")
E(D, {"digit": "6"}, "It's a 6.", "correct")
E(D, {"digit": "6"}, "I cannot make out the digit.", "refusal")
E(D, {"digit": "2"}, '```json\n{"digit": "Z"}\n```', "wrong", {"digit": "z"}, note="a letter for a digit, kept")
E(S, {"shape": "diamond"}, "Diamond.", "correct")
E(S, {"shape": "diamond"}, "The shape looks like a rhombus, i.e. a diamond.", "correct")
E(S, {"shape": "pentagon"}, '{"shape": "pentagon"}', "correct")
E(S, {"shape": "star"}, "It could be a star or a cross, the resolution is too low.", "unparseable")
E(S, {"shape": "circle"}, "I see a small black circle.", "correct")
E(O, {"animal": "turtle"}, "This appears to be a turtle.", "correct")
E(O, {"animal": "cat"}, '{"animal": "dog"}', "wrong", {"animal": "dog"})
E(O, {"animal": "rabbit"}, "Rabbit", "correct")
E(C, {"color": "brown"}, "The block is brown.", "correct")
E(C, {"color": "brown"}, '{"color": "Brown"}', "correct")
E(C, {"color": "yellow"}, "It's a yellow square.", "correct")
E(C, {"color": "gray"}, "Gray", "correct")
E(C, {"color": "red"}, "The block is too small for me to tell its color.", "refusal")
E(P, {"present": "yes"}, "Yes, a small square is visible in the lower left.", "correct")
E(P, {"present": "no"}, "There is no block in this image.", "correct")
E(P, {"present": "no"}, '{"present": "yes"}', "wrong", {"present": "yes"})
E(R, {"answer": "no"}, "No", "correct")
E(R, {"answer": "no"}, '{"answer": "no"}', "correct")
E(R, {"answer": "yes"}, "Yes. The blue square is above the red circle.", "correct")
E(Q, {"quadrant": "top-right"}, "top right", "correct")
E(Q, {"quadrant": "top-right"}, '{"quadrant": "upper right"}', "correct")
E(Q, {"quadrant": "bottom-left"}, "The shape is located in the bottom-left quadrant.", "correct")
E(W, {"word": "STAR"}, "STAR", "correct")
E(W, {"word": "STAR"}, '{"word": "STAR"}', "correct")
E(W, {"word": "BIRD"}, "The word reads BIRD.", "correct")
E(W, {"word": "BIRD"}, '{"word": "BIRO"}', "wrong", {"word": "BIRO"})
E(OR, {"objects": ["green circle", "red square"]}, '{"objects": ["green circle", "red square"]}', "correct")
E(OR, {"objects": ["green circle", "red square"]}, "Objects from left to right:\n1. Green circle\n2. Red square", "correct")
E(OR, {"objects": ["green circle", "red square"]}, "green circle, red square", "correct")
E(OR, {"objects": ["green circle", "red square", "blue star"]}, '{"objects": ["green circle", "blue star", "red square"]}',
  "wrong", {"objects": ["green circle", "blue star", "red square"]})
E(OR, {"objects": ["green circle", "red square", "blue star"]}, "I'm unable to identify the individual shapes.", "refusal")
E(OR, {"objects": ["green circle", "red square", "blue star"]},
  'For example: {"objects": ["red circle", "blue square"]}', "unparseable", note="only an example, no answer")
E(CP, {"objects": ["blue dot", "red dot"]}, "From largest to smallest: blue dot, red dot.", "correct")
E(CP, {"objects": ["blue dot", "red dot"]}, '{"objects": ["red dot", "blue dot"]}', "wrong", {"objects": ["red dot", "blue dot"]})
E(CP, {"objects": ["blue dot", "red dot", "cyan dot"]}, "1. blue dot\n2. cyan dot\n3. red dot", "wrong",
  {"objects": ["blue dot", "cyan dot", "red dot"]})
E(CT, rb, "I see 2 red blocks and 1 blue block, so 3 blocks in total.", "correct")
E(CT, rb, '{"counts": {"red": 3, "blue": 1}, "total": 4}', "wrong", {"counts": {"red": 3, "blue": 1}, "total": 4})
E(CT, rb, "Red: 2\nBlue: 1\nTotal: 3", "correct")
E(CT, rb, "Total: 3 (2 red, 1 blue)", "correct")
E(CT, pr, "purple: 1, red: 1, total: 2", "correct")
E(CT, pr, "There is 1 purple block and 2 red blocks, 3 blocks in total.", "wrong", {"counts": {"purple": 1, "red": 2}, "total": 3})
E(CT, big, "I can't count the blocks accurately at this resolution.", "refusal")
E(BC, ry, '{"counts": {"red": 1, "yellow": 1}, "total": 2}', "correct")
E(BC, ry, "Red: 1, Yellow: 0. Total: 1", "wrong", {"counts": {"red": 1, "yellow": 0}, "total": 1})
E(BC, cs, "3 circles and 1 star, 4 in total.", "correct")
E(TO, {"words": ["MOON", "SHIP"]}, "MOON, SHIP", "correct")
E(TO, {"words": ["MOON", "SHIP"]}, '{"words": ["MOON", "SHOP"]}', "wrong", {"words": ["MOON", "SHOP"]})
E(TO, {"words": ["MOON", "SHIP"]}, "From left to right the words are: MOON and SHIP.", "correct")
E(LC, {"total": 6, "with_letter": 1}, '{"total": 6, "with_letter": 1}', "correct")
E(LC, {"total": 6, "with_letter": 1}, '{"total": 6, "with_letter": 0}', "wrong", {"total": 6, "with_letter": 0})
E(LC, {"total": 6, "with_letter": 1}, "Total: six, with letter: one", "correct")


# ------------------------------------------------- batch 3: REAL outputs (source = "real:...")
# Verbatim texts exported (`snellen export`) from runs of the OCR observers (rapidocr, tesseract), the tiny random
# LLaVA builds of tests/models/tiny_llava.py (tiny and small; json and free prompts) and the ideal observer on the
# acuity suite (commands in README.md). Answers and fields are the samples' own; outcome/extracted were assigned by
# hand from reading each text, before the extractor ran on any of them. Option banks copied from those samples:
ACUITY_TEXT_ORDER_WORDS = ('ANT', 'ARM', 'ART', 'AXE', 'BAT', 'BED', 'BEE', 'EAR', 'FAN', 'HAT', 'HEN', 'INK', 'KEY',
                           'MAP', 'NET', 'PAN', 'PEN', 'PIE', 'RAT', 'TEA', 'TIE', 'VAN', 'WEB', 'YAK', 'BARN',
                           'BEAN', 'BEAR', 'BELL', 'BIKE', 'BIRD', 'DEER', 'FARM', 'FERN', 'FILM', 'FIRE', 'HAND',
                           'HARP', 'HERB', 'HILL', 'HIVE', 'KITE', 'LAKE', 'LAMP', 'LEAF', 'LIME', 'MILK', 'NAIL',
                           'PARK', 'PEAR', 'PINE', 'RAFT', 'RAIN', 'TENT', 'TILE', 'TIME', 'TREE', 'VINE', 'WAVE',
                           'WIND', 'WIRE', 'YARD', 'YARN', 'APPLE', 'BREAD', 'DIARY', 'EARTH', 'FIELD', 'HEART',
                           'KNIFE', 'MAPLE', 'PAPER', 'PEARL', 'PLANT', 'RADAR', 'RIVER', 'TABLE', 'TIMER', 'TRAIN',
                           'WATER', 'WHEEL', 'WHITE', 'ZEBRA')
ACUITY_WORDS = ('ANT', 'ARM', 'ART', 'AXE', 'BAT', 'BED', 'BEE', 'EAR', 'FAN', 'HAT', 'HEN', 'INK', 'KEY', 'MAP',
                'NET', 'PAN', 'PEN', 'PIE', 'RAT', 'TEA', 'TIE', 'VAN', 'WEB', 'YAK', 'BARN', 'BEAN', 'BEAR', 'BELL',
                'BIKE', 'BIRD', 'DEER', 'FARM', 'FERN', 'FILM', 'FIRE', 'HAND', 'HARP', 'HERB', 'HILL', 'HIVE',
                'KITE', 'LAKE', 'LAMP', 'LEAF', 'LIME', 'MILK', 'NAIL', 'PARK', 'PEAR', 'PINE', 'RAFT', 'RAIN',
                'TENT', 'TILE', 'TIME', 'TREE', 'VINE', 'WAVE', 'WIND', 'WIRE', 'YARD', 'YARN', 'APPLE', 'BREAD',
                'DIARY', 'EARTH', 'FIELD', 'HEART', 'KNIFE', 'MAPLE', 'PAPER', 'PEARL', 'PLANT', 'RADAR', 'RIVER',
                'TABLE', 'TIMER', 'TRAIN', 'WATER', 'WHEEL', 'WHITE', 'ZEBRA', 'BANANA', 'HAMMER', 'KETTLE', 'LADDER',
                'MARBLE', 'MARKET', 'NAPKIN', 'PARADE', 'PEPPER', 'PIRATE', 'PLANET', 'RABBIT', 'WINTER')
ACUITY_ORDER_LETTERS = ('red A', 'red B', 'red C', 'red D', 'red E', 'red F', 'red G', 'red H', 'red I', 'red J',
                        'red K', 'red L', 'red M', 'red N', 'red O', 'red P', 'red Q', 'red R', 'red S', 'red T',
                        'red U', 'red V', 'red W', 'red X', 'red Y', 'red Z', 'green A', 'green B', 'green C',
                        'green D', 'green E', 'green F', 'green G', 'green H', 'green I', 'green J', 'green K',
                        'green L', 'green M', 'green N', 'green O', 'green P', 'green Q', 'green R', 'green S',
                        'green T', 'green U', 'green V', 'green W', 'green X', 'green Y', 'green Z', 'blue A',
                        'blue B', 'blue C', 'blue D', 'blue E', 'blue F', 'blue G', 'blue H', 'blue I', 'blue J',
                        'blue K', 'blue L', 'blue M', 'blue N', 'blue O', 'blue P', 'blue Q', 'blue R', 'blue S',
                        'blue T', 'blue U', 'blue V', 'blue W', 'blue X', 'blue Y', 'blue Z', 'magenta A',
                        'magenta B', 'magenta C', 'magenta D', 'magenta E', 'magenta F', 'magenta G', 'magenta H',
                        'magenta I', 'magenta J', 'magenta K', 'magenta L', 'magenta M', 'magenta N', 'magenta O',
                        'magenta P', 'magenta Q', 'magenta R', 'magenta S', 'magenta T', 'magenta U', 'magenta V',
                        'magenta W', 'magenta X', 'magenta Y', 'magenta Z', 'orange A', 'orange B', 'orange C',
                        'orange D', 'orange E', 'orange F', 'orange G', 'orange H', 'orange I', 'orange J',
                        'orange K', 'orange L', 'orange M', 'orange N', 'orange O', 'orange P', 'orange Q',
                        'orange R', 'orange S', 'orange T', 'orange U', 'orange V', 'orange W', 'orange X',
                        'orange Y', 'orange Z', 'purple A', 'purple B', 'purple C', 'purple D', 'purple E',
                        'purple F', 'purple G', 'purple H', 'purple I', 'purple J', 'purple K', 'purple L',
                        'purple M', 'purple N', 'purple O', 'purple P', 'purple Q', 'purple R', 'purple S',
                        'purple T', 'purple U', 'purple V', 'purple W', 'purple X', 'purple Y', 'purple Z', 'brown A',
                        'brown B', 'brown C', 'brown D', 'brown E', 'brown F', 'brown G', 'brown H', 'brown I',
                        'brown J', 'brown K', 'brown L', 'brown M', 'brown N', 'brown O', 'brown P', 'brown Q',
                        'brown R', 'brown S', 'brown T', 'brown U', 'brown V', 'brown W', 'brown X', 'brown Y',
                        'brown Z', 'black A', 'black B', 'black C', 'black D', 'black E', 'black F', 'black G',
                        'black H', 'black I', 'black J', 'black K', 'black L', 'black M', 'black N', 'black O',
                        'black P', 'black Q', 'black R', 'black S', 'black T', 'black U', 'black V', 'black W',
                        'black X', 'black Y', 'black Z', 'gray A', 'gray B', 'gray C', 'gray D', 'gray E', 'gray F',
                        'gray G', 'gray H', 'gray I', 'gray J', 'gray K', 'gray L', 'gray M', 'gray N', 'gray O',
                        'gray P', 'gray Q', 'gray R', 'gray S', 'gray T', 'gray U', 'gray V', 'gray W', 'gray X',
                        'gray Y', 'gray Z')
ACUITY_ORDER_SHAPES = ('red circle', 'red triangle', 'red square', 'red star', 'red diamond', 'red pentagon',
                       'red hexagon', 'red cross', 'green circle', 'green triangle', 'green square', 'green star',
                       'green diamond', 'green pentagon', 'green hexagon', 'green cross', 'blue circle',
                       'blue triangle', 'blue square', 'blue star', 'blue diamond', 'blue pentagon', 'blue hexagon',
                       'blue cross', 'magenta circle', 'magenta triangle', 'magenta square', 'magenta star',
                       'magenta diamond', 'magenta pentagon', 'magenta hexagon', 'magenta cross', 'orange circle',
                       'orange triangle', 'orange square', 'orange star', 'orange diamond', 'orange pentagon',
                       'orange hexagon', 'orange cross', 'purple circle', 'purple triangle', 'purple square',
                       'purple star', 'purple diamond', 'purple pentagon', 'purple hexagon', 'purple cross',
                       'brown circle', 'brown triangle', 'brown square', 'brown star', 'brown diamond',
                       'brown pentagon', 'brown hexagon', 'brown cross', 'black circle', 'black triangle',
                       'black square', 'black star', 'black diamond', 'black pentagon', 'black hexagon',
                       'black cross', 'gray circle', 'gray triangle', 'gray square', 'gray star', 'gray diamond',
                       'gray pentagon', 'gray hexagon', 'gray cross')

E(D, {"digit": "7"}, '', 'unparseable', note='ocr:rapidocr json prompt, digit at 4 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(D, {"digit": "6"}, '', 'unparseable', note='ocr:rapidocr json prompt, digit at 4 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(D, {"digit": "0"}, '', 'unparseable', note='ocr:rapidocr json prompt, digit at 8 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(D, {"digit": "3"}, '', 'unparseable', note='ocr:rapidocr json prompt, digit at 8 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(D, {"digit": "5"}, '{"digit": "5"}', 'correct', note='ocr:rapidocr json prompt, digit at 8 px',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(D, {"digit": "9"}, '{"digit": "9"}', 'correct', note='ocr:rapidocr json prompt, digit at 24 px',
  fields=label('digit', DIGITS), source='real:ocr:rapidocr')
E(L, {"letter": "Z"}, '', 'unparseable', note='ocr:rapidocr json prompt, letter at 4 px; empty reading',
  fields=label('letter', LETTERS), source='real:ocr:rapidocr')
E(L, {"letter": "H"}, '', 'unparseable', note='ocr:rapidocr json prompt, letter at 4 px; empty reading',
  fields=label('letter', LETTERS), source='real:ocr:rapidocr')
E(L, {"letter": "Q"}, '', 'unparseable', note='ocr:rapidocr json prompt, letter at 8 px; empty reading',
  fields=label('letter', LETTERS), source='real:ocr:rapidocr')
E(L, {"letter": "A"}, '{"letter": "A"}', 'correct', note='ocr:rapidocr json prompt, letter at 8 px',
  fields=label('letter', LETTERS), source='real:ocr:rapidocr')
E(L, {"letter": "X"}, '{"letter": "X"}', 'correct', note='ocr:rapidocr json prompt, letter at 24 px',
  fields=label('letter', LETTERS), source='real:ocr:rapidocr')
E(LC, {"total": 2, "with_letter": 0}, '{"total": 2, "with_letter": 0}', 'correct', note='ocr:rapidocr json prompt, letter_count at 4 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:rapidocr')
E(LC, {"total": 4, "with_letter": 1}, '{"total": 3, "with_letter": 1}', 'wrong', {"total": 3, "with_letter": 1}, note='ocr:rapidocr json prompt, letter_count at 4 px; one word missed',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:rapidocr')
E(LC, {"total": 6, "with_letter": 3}, '{"total": 6, "with_letter": 3}', 'correct', note='ocr:rapidocr json prompt, letter_count at 4 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:rapidocr')
E(LC, {"total": 4, "with_letter": 4}, '{"total": 4, "with_letter": 4}', 'correct', note='ocr:rapidocr json prompt, letter_count at 12 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:rapidocr')
E(TO, {"words": ["WAVE", "HILL"]}, '{"words": ["WAVE", "HIILL"]}', 'wrong', {"words": ["WAVE", "HIILL"]}, note='ocr:rapidocr json prompt, text_order at 4 px; misread word',
  fields=[{"kind": "sequence", "length": 2, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["FARM", "LEAF"]}, '{"words": ["FARM", "LEAF"]}', 'correct', note='ocr:rapidocr json prompt, text_order at 4 px',
  fields=[{"kind": "sequence", "length": 2, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["BED", "FAN"]}, '{"words": ["TAN"]}', 'wrong', {"words": ["TAN"]}, note='ocr:rapidocr json prompt, text_order at 4 px; one word, misread',
  fields=[{"kind": "sequence", "length": 2, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["LEAF", "YARN", "FILM", "RADAR"]}, '{"words": ["LEAF", "YARN", "FILM", "RADAR"]}', 'correct', note='ocr:rapidocr json prompt, text_order at 4 px',
  fields=[{"kind": "sequence", "length": 4, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["LAKE", "FERN", "EARTH", "BEE"]}, '{"words": ["LAKE", "FERN", "EARTH", "DEE"]}', 'wrong', {"words": ["LAKE", "FERN", "EARTH", "DEE"]}, note='ocr:rapidocr json prompt, text_order at 4 px; misread word',
  fields=[{"kind": "sequence", "length": 4, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["KNIFE", "ARM", "YARN", "FILM", "FIELD", "ZEBRA"]}, '{"words": ["KNIFE", "ARM", "YARN", "FILM", "ZEBRA"]}', 'wrong', {"words": ["KNIFE", "ARM", "YARN", "FILM", "ZEBRA"]}, note='ocr:rapidocr json prompt, text_order at 4 px; word omitted',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["HEART", "WHEEL", "HERB", "PAN", "BAT", "DIARY"]}, '{"words": ["HEART", "WHEEL", "HERS", "PAN", "BAT", "DIARY"]}', 'wrong', {"words": ["HEART", "WHEEL", "HERS", "PAN", "BAT", "DIARY"]}, note='ocr:rapidocr json prompt, text_order at 4 px; misread word',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["VAN", "VINE", "MAP", "KEY", "FILM", "HIVE"]}, '{"words": ["VAN", "VINE", "MAP", "FILM", "HIVE"]}', 'wrong', {"words": ["VAN", "VINE", "MAP", "FILM", "HIVE"]}, note='ocr:rapidocr json prompt, text_order at 4 px; word omitted',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(TO, {"words": ["FIELD", "ZEBRA", "BREAD", "KITE", "WEB", "FERN"]}, '{"words": ["FIELD", "ZEBRA", "BREAD", "KITE", "WEB", "FERN"]}', 'correct', note='ocr:rapidocr json prompt, text_order at 8 px',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "ZEBRA"}, '{"word": "ZEDRA"}', 'wrong', {"word": "ZEDRA"}, note='ocr:rapidocr json prompt, word at 4 px; misread, not in the bank',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "RAT"}, '{"word": "RAT"}', 'correct', note='ocr:rapidocr json prompt, word at 4 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "PEPPER"}, '{"word": "EPPER"}', 'wrong', {"word": "EPPER"}, note='ocr:rapidocr json prompt, word at 8 px; partial reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "MARBLE"}, '{"word": "MARB"}', 'wrong', {"word": "MARB"}, note='ocr:rapidocr json prompt, word at 8 px; partial reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "TIE"}, '', 'unparseable', note='ocr:rapidocr json prompt, word at 12 px; empty reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "WHEEL"}, '{"word": "WHEEL"}', 'correct', note='ocr:rapidocr json prompt, word at 12 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(W, {"word": "TRAIN"}, '{"word": "TRAIN"}', 'correct', note='ocr:rapidocr json prompt, word at 24 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:rapidocr')
E(D, {"digit": "7"}, '', 'unparseable', note='ocr:tesseract json prompt, digit at 4 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(D, {"digit": "0"}, '', 'unparseable', note='ocr:tesseract json prompt, digit at 4 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(D, {"digit": "0"}, '', 'unparseable', note='ocr:tesseract json prompt, digit at 8 px; empty reading',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(D, {"digit": "3"}, '{"digit": "3"}', 'correct', note='ocr:tesseract json prompt, digit at 8 px',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(D, {"digit": "8"}, '', 'unparseable', note='ocr:tesseract json prompt, digit at 24 px; empty reading at a large scale',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(D, {"digit": "8"}, '{"digit": "8"}', 'correct', note='ocr:tesseract json prompt, digit at 24 px',
  fields=label('digit', DIGITS), source='real:ocr:tesseract')
E(L, {"letter": "Q"}, '', 'unparseable', note='ocr:tesseract json prompt, letter at 4 px; empty reading',
  fields=label('letter', LETTERS), source='real:ocr:tesseract')
E(L, {"letter": "Q"}, '{"letter": "Q"}', 'correct', note='ocr:tesseract json prompt, letter at 8 px',
  fields=label('letter', LETTERS), source='real:ocr:tesseract')
E(L, {"letter": "H"}, '{"letter": "H"}', 'correct', note='ocr:tesseract json prompt, letter at 24 px',
  fields=label('letter', LETTERS), source='real:ocr:tesseract')
E(LC, {"total": 2, "with_letter": 0}, '{"total": 0, "with_letter": 0}', 'wrong', {"total": 0, "with_letter": 0}, note="ocr:tesseract json prompt, letter_count at 4 px; nothing read: zero counts stated (below the field's low bound, kept)",
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(LC, {"total": 2, "with_letter": 1}, '{"total": 0, "with_letter": 0}', 'wrong', {"total": 0, "with_letter": 0}, note='ocr:tesseract json prompt, letter_count at 4 px; zero counts stated',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(LC, {"total": 6, "with_letter": 3}, '{"total": 0, "with_letter": 0}', 'wrong', {"total": 0, "with_letter": 0}, note='ocr:tesseract json prompt, letter_count at 4 px; zero counts stated',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(LC, {"total": 2, "with_letter": 1}, '{"total": 2, "with_letter": 1}', 'correct', note='ocr:tesseract json prompt, letter_count at 8 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(LC, {"total": 6, "with_letter": 6}, '{"total": 6, "with_letter": 6}', 'correct', note='ocr:tesseract json prompt, letter_count at 12 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(LC, {"total": 6, "with_letter": 3}, '{"total": 4, "with_letter": 3}', 'wrong', {"total": 4, "with_letter": 3}, note='ocr:tesseract json prompt, letter_count at 24 px; two words missed',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ocr:tesseract')
E(TO, {"words": ["WAVE", "HILL"]}, '{"words": []}', 'wrong', {"words": []}, note='ocr:tesseract json prompt, text_order at 4 px; empty list stated',
  fields=[{"kind": "sequence", "length": 2, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(TO, {"words": ["LEAF", "YARN", "FILM", "RADAR"]}, '{"words": []}', 'wrong', {"words": []}, note='ocr:tesseract json prompt, text_order at 4 px; empty list stated',
  fields=[{"kind": "sequence", "length": 4, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(TO, {"words": ["HEART", "WHEEL", "HERB", "PAN", "BAT", "DIARY"]}, '{"words": []}', 'wrong', {"words": []}, note='ocr:tesseract json prompt, text_order at 4 px; empty list stated',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(TO, {"words": ["TIMER", "WAVE"]}, '{"words": ["TIMER", "WAVE"]}', 'correct', note='ocr:tesseract json prompt, text_order at 8 px',
  fields=[{"kind": "sequence", "length": 2, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(TO, {"words": ["LAKE", "HARP", "BEAN", "MAPLE", "TRAIN", "EAR"]}, '{"words": ["LAKE", "HARP", "BEAN", "MAPLE", "TRAIN", "EAR"]}', 'correct', note='ocr:tesseract json prompt, text_order at 12 px',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(TO, {"words": ["YAK", "PEARL", "PAPER", "AXE", "EARTH", "FIELD"]}, '{"words": ["YAK", "PEARL", "PAPER", "AXE", "EARTH", "FIELD"]}', 'correct', note='ocr:tesseract json prompt, text_order at 24 px',
  fields=[{"kind": "sequence", "length": 6, "name": "words", "options": list(ACUITY_TEXT_ORDER_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "ZEBRA"}, '{"word": "KA"}', 'wrong', {"word": "KA"}, note='ocr:tesseract json prompt, word at 4 px; garbled reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "RAT"}, '{"word": "VM"}', 'wrong', {"word": "VM"}, note='ocr:tesseract json prompt, word at 4 px; garbled reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "PEPPER"}, '{"word": "PER"}', 'wrong', {"word": "PER"}, note='ocr:tesseract json prompt, word at 8 px; partial reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "ART"}, '{"word": "WE"}', 'wrong', {"word": "WE"}, note='ocr:tesseract json prompt, word at 8 px; garbled reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "WHEEL"}, '{"word": "VAY"}', 'wrong', {"word": "VAY"}, note='ocr:tesseract json prompt, word at 12 px; garbled reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "LADDER"}, '{"word": "LADDER"}', 'correct', note='ocr:tesseract json prompt, word at 12 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "FAN"}, '{"word": "A"}', 'wrong', {"word": "A"}, note='ocr:tesseract json prompt, word at 24 px; one letter read; in JSON it is the stated word, not an article',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "HEN"}, '', 'unparseable', note='ocr:tesseract json prompt, word at 24 px; empty reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(W, {"word": "TRAIN"}, '{"word": "IN"}', 'wrong', {"word": "IN"}, note='ocr:tesseract json prompt, word at 24 px; partial reading',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ocr:tesseract')
E(CT, {"counts": {"diamond": 5, "hexagon": 7}, "total": 12}, '�+-�� show!":�rpleqag isar 2tt+-�� show!":�rpleqag isar 2tt��+-�� show!":', 'unparseable', note="hf:tiny-llava json prompt, counting at 8 px; random weights: noise; a '2' inside noise is not a stated count",
  fields=[{"high": 19, "keys": ["diamond", "hexagon"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:tiny-llava')
E(CT, {"counts": {"black": 4, "gray": 3, "orange": 2, "purple": 3}, "total": 12}, '�y! p 0�\x1c+++++++++++++++++++++++++++++++\x03\x17', 'unparseable', note='hf:tiny-llava json prompt, counting at 8 px; random weights: noise',
  fields=[{"high": 17, "keys": ["orange", "black", "purple", "gray"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 4, "name": "total"}], source='real:hf:tiny-llava')
E(CT, {"counts": {"circle": 3, "diamond": 3, "hexagon": 2, "star": 2, "triangle": 2}, "total": 12}, '�+-�� show!":�rpleqag isar 2 2tt��+-�� show!":�rpleqag isar 2tt��+-��', 'unparseable', note='hf:tiny-llava json prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 16, "keys": ["diamond", "hexagon", "star", "circle", "triangle"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 5, "name": "total"}], source='real:hf:tiny-llava')
E(CT, {"counts": {"butterfly": 8, "dog": 7, "elephant": 5}, "total": 20}, '�++++++++-�� show!M g yO yO yO yO yO yO yO yO yO y�4 k', 'unparseable', note='hf:tiny-llava json prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 18, "keys": ["elephant", "dog", "butterfly"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 3, "name": "total"}], source='real:hf:tiny-llava')
E(L, {"letter": "A"}, '�++++++++++++-\x03\x17reikB�4 k��tt 0ikB�4 k��tt 0ikB�4 k', 'unparseable', note="hf:tiny-llava json prompt, letter at 8 px; random weights: noise; a lone 'k' inside noise is not a stated letter",
  fields=label('letter', LETTERS), source='real:hf:tiny-llava')
E(L, {"letter": "X"}, '�++++++++++++-\x03\x17reikB�4 k��tt 0ikB�4 k��tt 0ikB�4 k', 'unparseable', note='hf:tiny-llava json prompt, letter at 24 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:tiny-llava')
E(OR, {"objects": ["green I", "red M"]}, '�y! p 0 t HZ�irrpleqag is�y!M g\x1c++++++++++++++-�� show!', 'unparseable', note='hf:tiny-llava json prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 2, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:tiny-llava')
E(OR, {"objects": ["red Z", "purple B", "green X", "purple O"]}, '�y!M g\x1c+++++++++++++++++-�� show!M g�tt!M g�tt!M', 'unparseable', note='hf:tiny-llava json prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 4, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:tiny-llava')
E(OR, {"objects": ["magenta square", "magenta star", "blue circle", "magenta triangle"]}, '�y!M g yO� 2+++++++-�� show!M g y�J\t�� show!M g y�J\t�� show', 'unparseable', note='hf:tiny-llava json prompt, ordering at 24 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 4, "name": "objects", "options": list(ACUITY_ORDER_SHAPES)}], source='real:hf:tiny-llava')
E(P, {"present": "no"}, '�+++++++++-\x03\x17�ikB�4ikB�4ikB�4ikB�4ikB�4ikB�4ikB', 'unparseable', note='hf:tiny-llava json prompt, presence at 8 px; random weights: noise',
  fields=label('present', YN), source='real:hf:tiny-llava')
E(P, {"present": "yes"}, '�+++++++++-\x03\x17�ikB�4ikB�4ikB�4ikB�4ikB�4ikB�4ikB', 'unparseable', note='hf:tiny-llava json prompt, presence at 8 px; random weights: noise',
  fields=label('present', YN), source='real:hf:tiny-llava')
E(S, {"shape": "cross"}, '�+-� 6\u03834-� 6\u03834-� 6\u03834-\x03\x17�ikB�4-\x03\x17reikB�4-\x03\x17re', 'unparseable', note='hf:tiny-llava json prompt, shape at 8 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:tiny-llava')
E(S, {"shape": "square"}, '�+-� 6B�4-� 6B�4-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17reikB�4-\x03', 'unparseable', note='hf:tiny-llava json prompt, shape at 24 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:tiny-llava')
E(CT, {"counts": {"blue": 1, "orange": 1}, "total": 2}, '�+++++++++++++++++++++++\x03\x17! p 0�\x1c�z�4shap�\x17!M', 'unparseable', note='hf:tiny-llava free prompt, counting at 8 px; random weights: noise',
  fields=[{"high": 19, "keys": ["orange", "blue"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:tiny-llava')
E(CT, {"counts": {"hexagon": 1, "triangle": 1}, "total": 2}, '�++++++++-\x03\x17�!":\x07Zl\t�\x17�!":ikB�4 k��tt��+-\x03\x17�!', 'unparseable', note='hf:tiny-llava free prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 19, "keys": ["triangle", "hexagon"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:tiny-llava')
E(CT, {"counts": {"circle": 1, "cross": 1, "diamond": 1, "pentagon": 1, "star": 3, "triangle": 1}, "total": 8}, '�+-\x03\x17�!":�rpleq�4 k��tt+-� 6B�4-\x03\x17�!":�rpleqag isar 2tt��', 'unparseable', note='hf:tiny-llava free prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 15, "keys": ["triangle", "circle", "cross", "star", "diamond", "pentagon"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 6, "name": "total"}], source='real:hf:tiny-llava')
E(L, {"letter": "R"}, '�+++++++++-\x03\x17reikB�4 k��tt 0ikB�4-\x03\x17reikB�4-\x03\x17reik', 'unparseable', note='hf:tiny-llava free prompt, letter at 8 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:tiny-llava')
E(L, {"letter": "H"}, '�+++++++++-\x03\x17reikB�4shap�\x17reikB�4shap�\x17reikB�4-\x03\x17reikB', 'unparseable', note='hf:tiny-llava free prompt, letter at 24 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:tiny-llava')
E(OR, {"objects": ["blue U", "red G", "brown L", "purple X", "gray G", "black U", "orange D", "gray M"]}, '�y! p 0 t HZ�rpleqH�tt!M g�angirrpleqH�tt!M g�angirrpleqH�tt!M g�', 'unparseable', note='hf:tiny-llava free prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 8, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:tiny-llava')
E(OR, {"objects": ["red A", "red D"]}, '�y! p 0++++++++++++++-�� show!M g yO� 2tt!M g yO� 2tt!', 'unparseable', note='hf:tiny-llava free prompt, ordering at 24 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 2, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:tiny-llava')
E(P, {"present": "no"}, '�++++� HZl\t�\x17�ik\x19�L� HZl\t� 6\u03834ik\x19�L� HZl\t� 6', 'unparseable', note='hf:tiny-llava free prompt, presence at 8 px; random weights: noise',
  fields=label('present', YN), source='real:hf:tiny-llava')
E(P, {"present": "yes"}, '�+++� HZl\t�\x17�ik\x19�L� HZl\t� 6\u03834ik\x19�L� HZl\t�\x1c�', 'unparseable', note='hf:tiny-llava free prompt, presence at 24 px; random weights: noise',
  fields=label('present', YN), source='real:hf:tiny-llava')
E(S, {"shape": "diamond"}, '�+-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17reikB', 'unparseable', note='hf:tiny-llava free prompt, shape at 8 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:tiny-llava')
E(S, {"shape": "pentagon"}, '�+-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17�ikB�4-\x03\x17reikB', 'unparseable', note='hf:tiny-llava free prompt, shape at 24 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:tiny-llava')
E(CT, {"counts": {"diamond": 5, "hexagon": 7}, "total": 12}, 'esikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, counting at 8 px; random weights: noise',
  fields=[{"high": 19, "keys": ["diamond", "hexagon"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:small-llava')
E(CT, {"counts": {"butterfly": 5, "cat": 4, "elephant": 5, "turtle": 6}, "total": 20}, 'eseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseses', 'unparseable', note='hf:small-llava json prompt, counting at 8 px; random weights: noise',
  fields=[{"high": 17, "keys": ["cat", "turtle", "elephant", "butterfly"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 4, "name": "total"}], source='real:hf:small-llava')
E(CT, {"counts": {"black": 3, "blue": 5, "magenta": 2, "orange": 2, "purple": 5, "red": 3}, "total": 20}, 'esikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 15, "keys": ["magenta", "orange", "blue", "purple", "red", "black"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 6, "name": "total"}], source='real:hf:small-llava')
E(L, {"letter": "A"}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, letter at 8 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:small-llava')
E(L, {"letter": "X"}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, letter at 24 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:small-llava')
E(OR, {"objects": ["green I", "red M"]}, 'eseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseses', 'unparseable', note='hf:small-llava json prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 2, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:small-llava')
E(OR, {"objects": ["blue square", "green star", "red triangle", "black diamond"]}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 4, "name": "objects", "options": list(ACUITY_ORDER_SHAPES)}], source='real:hf:small-llava')
E(P, {"present": "no"}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, presence at 8 px; random weights: noise',
  fields=label('present', YN), source='real:hf:small-llava')
E(S, {"shape": "cross"}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava json prompt, shape at 8 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:small-llava')
E(CT, {"counts": {"diamond": 5, "hexagon": 7}, "total": 12}, 'es blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluesikikikikikikikik', 'unparseable', note="hf:small-llava free prompt, counting at 8 px; random weights: noise; 'blu' is not a count",
  fields=[{"high": 19, "keys": ["diamond", "hexagon"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:small-llava')
E(CT, {"counts": {"circle": 3, "diamond": 3, "hexagon": 2, "star": 2, "triangle": 2}, "total": 12}, 'es blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluesikikikikik', 'unparseable', note='hf:small-llava free prompt, counting at 24 px; random weights: noise',
  fields=[{"high": 16, "keys": ["diamond", "hexagon", "star", "circle", "triangle"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 5, "name": "total"}], source='real:hf:small-llava')
E(CT, {"counts": {"blue": 1, "orange": 1}, "total": 2}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, counting at 8 px; random weights: noise',
  fields=[{"high": 19, "keys": ["orange", "blue"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 2, "name": "total"}], source='real:hf:small-llava')
E(L, {"letter": "A"}, 'esikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, letter at 8 px; random weights: noise',
  fields=label('letter', LETTERS), source='real:hf:small-llava')
E(OR, {"objects": ["green I", "red M"]}, 'eseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseseses', 'unparseable', note='hf:small-llava free prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 2, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:hf:small-llava')
E(OR, {"objects": ["green diamond", "purple diamond"]}, 'ikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, ordering at 8 px; random weights: noise',
  fields=[{"kind": "sequence", "length": 2, "name": "objects", "options": list(ACUITY_ORDER_SHAPES)}], source='real:hf:small-llava')
E(P, {"present": "no"}, 'blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, presence at 8 px; random weights: noise; no yes/no stated',
  fields=label('present', YN), source='real:hf:small-llava')
E(P, {"present": "yes"}, 'blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluikikikikikikikikikikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, presence at 24 px; random weights: noise',
  fields=label('present', YN), source='real:hf:small-llava')
E(S, {"shape": "cross"}, 'blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, shape at 8 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:small-llava')
E(S, {"shape": "square"}, 'blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu blu bluikikikikikikikikikikikik', 'unparseable', note='hf:small-llava free prompt, shape at 24 px; random weights: noise',
  fields=label('shape', SHAPES), source='real:hf:small-llava')
E(CT, {"counts": {"cat": 2, "dog": 4, "elephant": 2, "fish": 1, "rabbit": 2, "turtle": 1}, "total": 12}, '{"counts": {"fish": 1, "elephant": 2, "turtle": 1, "rabbit": 2, "dog": 4, "cat": 2}, "total": 12}', 'correct', note='ideal json prompt, counting at 4 px; keys in another order than the truth',
  fields=[{"high": 15, "keys": ["fish", "elephant", "turtle", "rabbit", "dog", "cat"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 6, "name": "total"}], source='real:ideal')
E(CT, {"counts": {"blue": 6, "magenta": 3, "orange": 3, "purple": 2, "red": 6}, "total": 20}, '{"counts": {"purple": 2, "orange": 3, "blue": 6, "red": 6, "magenta": 3}, "total": 20}', 'correct', note='ideal json prompt, counting at 4 px',
  fields=[{"high": 16, "keys": ["purple", "orange", "blue", "red", "magenta"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 5, "name": "total"}], source='real:ideal')
E(CT, {"counts": {"butterfly": 5, "cat": 4, "elephant": 5, "turtle": 6}, "total": 20}, '{"counts": {"cat": 4, "turtle": 6, "elephant": 5, "butterfly": 5}, "total": 20}', 'correct', note='ideal json prompt, counting at 8 px',
  fields=[{"high": 17, "keys": ["cat", "turtle", "elephant", "butterfly"], "kind": "counts", "low": 1, "name": "counts"}, {"high": 20, "kind": "integer", "low": 4, "name": "total"}], source='real:ideal')
E(D, {"digit": "7"}, '{"digit": "7"}', 'correct', note='ideal json prompt, digit at 4 px',
  fields=label('digit', DIGITS), source='real:ideal')
E(L, {"letter": "Z"}, '{"letter": "Z"}', 'correct', note='ideal json prompt, letter at 4 px',
  fields=label('letter', LETTERS), source='real:ideal')
E(LC, {"total": 4, "with_letter": 2}, '{"total": 4, "with_letter": 2}', 'correct', note='ideal json prompt, letter_count at 4 px',
  fields=[{"high": 6, "kind": "integer", "low": 2, "name": "total"}, {"high": 6, "kind": "integer", "low": 0, "name": "with_letter"}], source='real:ideal')
E(OR, {"objects": ["purple H", "orange T", "purple U", "orange W"]}, '{"objects": ["purple H", "orange T", "purple U", "orange W"]}', 'correct', note='ideal json prompt, ordering at 4 px',
  fields=[{"kind": "sequence", "length": 4, "name": "objects", "options": list(ACUITY_ORDER_LETTERS)}], source='real:ideal')
E(OR, {"objects": ["blue circle", "black square", "green diamond", "red star", "magenta hexagon", "green circle", "magenta triangle", "gray circle"]}, '{"objects": ["blue circle", "black square", "green diamond", "red star", "magenta hexagon", "green circle", "magenta triangle", "gray circle"]}', 'correct', note='ideal json prompt, ordering at 4 px',
  fields=[{"kind": "sequence", "length": 8, "name": "objects", "options": list(ACUITY_ORDER_SHAPES)}], source='real:ideal')
E(P, {"present": "no"}, '{"present": "no"}', 'correct', note='ideal json prompt, presence at 4 px',
  fields=label('present', YN), source='real:ideal')
E(Q, {"quadrant": "bottom-right"}, '{"quadrant": "bottom-right"}', 'correct', note='ideal json prompt, quadrant at 4 px',
  fields=label('quadrant', QUADS), source='real:ideal')
E(W, {"word": "ZEBRA"}, '{"word": "ZEBRA"}', 'correct', note='ideal json prompt, word at 4 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ideal')
E(W, {"word": "PEPPER"}, '{"word": "PEPPER"}', 'correct', note='ideal json prompt, word at 8 px',
  fields=[{"kind": "text", "name": "word", "options": list(ACUITY_WORDS)}], source='real:ideal')



# ------------------------------------------------- batch 4: reasoning-style replies (style = "reasoning")
# Written and labelled by hand, in the style of today's thinking models (a guess, a check, a correction, "wait",
# then a final answer in prose, JSON, bold, a list or LaTeX; JSON examples quoted in the reasoning; format
# placeholders; hedges; declines without apology words; replies cut off by a token limit). Committed before the
# extractor ran on any of them.
RS = "reasoning"

E(L, {"letter": "K"}, "Let me look at the glyph. It has a vertical stroke on the left and two diagonal strokes meeting it in the middle \u2014 that's characteristic of a K. Could it be an R? An R would have a closed bowl at the top, and I don't see one.\n\nSo the letter is K.\n\n```json\n{\"letter\": \"K\"}\n```", "correct", style=RS)
E(L, {"letter": "Q"}, "The instructions want {\"letter\": \"A\"}-style output, so I need a single uppercase letter. Looking at the image, the shape is a circle with a small tail at the bottom right, so it is a Q rather than an O.\n\nFinal answer: Q", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(L, {"letter": "F"}, "I should respond as {\"letter\": \"X\"} where X is the letter I see. The glyph looks like an E: three horizontal bars attached to a vertical stroke on the left.\n\n{\"letter\": \"E\"}", "wrong", {"letter": "E"}, style=RS, note="X is the format's variable here, not an answer")
E(L, {"letter": "T"}, "The expected format is {\"letter\": \"X\"}, with X replaced by the letter. Hmm, the image is very small... the glyph is just a few dark pixels; I can make out a vertical stroke and maybe something at the top.", "unparseable", style=RS, note="only the format's placeholder; no answer")
E(L, {"letter": "G"}, "The letter is quite blurry at this size. It has a round shape open on the right side, so probably a C, though the resolution makes it hard to be certain.\n\nAnswer: C", "wrong", {"letter": "C"}, style=RS)
E(L, {"letter": "H"}, "Hard to be sure at this resolution, but it's most likely an H \u2014 two vertical strokes joined by a bar in the middle.", "correct", style=RS, note="hedged but committed")
E(L, {"letter": "R"}, "This looks like a P: a vertical stem with a loop at the top.\n\nWait \u2014 there's a short diagonal leg coming out of the bottom of the loop. That makes it an R, not a P.\n\n**R**", "correct", style=RS)
E(L, {"letter": "Y"}, "The character is a V... actually no, looking at the bottom, the two strokes don't meet at a point, there's a vertical segment below \u2014 it's a Y.", "correct", style=RS)
E(L, {"letter": "N"}, "The glyph is two vertical strokes with something between them. It could be an N or an H; the middle stroke is only a pixel or two.", "unparseable", style=RS, note="alternatives, never resolved")
E(L, {"letter": "T"}, "The image shows a single dark glyph. Top: a horizontal bar. Below it, a vertical stroke in the center. This is the letter T.\n\n$$\\boxed{T}$$", "correct", style=RS)
E(L, {"letter": "M"}, "The target is only a handful of gray pixels with no recognisable strokes. Any letter I named would be a coin toss, so I'll leave it unanswered.", "refusal", style=RS, note="declines without apology words")
E(L, {"letter": "C"}, "First impression: {\"letter\": \"O\"}. Hmm, but there is a gap on the right side of the ring, which an O would not have. Revised:\n{\"letter\": \"C\"}", "correct", style=RS)
E(L, {"letter": "D"}, "I believe it's a lowercase-looking 'b'... but since the options are uppercase, that corresponds to B.\n\nThe letter is B.", "wrong", {"letter": "B"}, style=RS)
E(L, {"letter": "B"}, "Okay, let me analyze the image. The letter appears in black on a white background. It's small. The left side is a straight vertical line. On the right there's a curve that goes from the top to the bottom, which could make it a D, or if the curve has a notch in the middle, a B. Let me look more carefully at the middle of the right side. There seems to be", "unparseable", style=RS, note="cut off while reasoning")
E(L, {"letter": "W"}, "Okay, so I need to figure out which letter this is. The glyph is wide, with four diagonal strokes forming two V shapes side by side. An M would have vertical outer strokes and the middle point at the top; here the middle point is at the top and the outer strokes slant, so it's a W.\n\n**Final Answer**\n\\boxed{W}", "correct", style=RS)
E(L, {"letter": "A"}, "{\"reasoning\": \"Two diagonal strokes meeting at the top with a crossbar; this is an A, not an H.\", \"letter\": \"A\"}", "correct", style=RS)

E(D, {"digit": "9"}, "Looking at the digit: it has a round loop at the top and a straight stroke going down on the right. That's a 9. Could it be a 4? No, a 4 has an open top.\n\n{\"digit\": \"9\"}", "correct", style=RS)
E(D, {"digit": "7"}, "It's a 3... wait, the top is flat rather than curved, and there's a single diagonal down to the bottom-left. So it's a 7.", "correct", style=RS, note="guess, correction, final")
E(D, {"digit": "4"}, "The digit is tiny and a little blurred, but it's probably a 4 \u2014 I can see an open triangle shape on the upper left.", "correct", style=RS, note="hedged but committed")
E(D, {"digit": "5"}, "Most likely a 6, given the closed loop at the bottom.", "wrong", {"digit": "6"}, style=RS)
E(D, {"digit": "8"}, "The answer needs to be like {\"digit\": \"0\"} with a single digit. The shape I see has two stacked loops, the upper one slightly smaller \u2014 an 8.\n\nMy answer is 8.", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(D, {"digit": "1"}, "{\"digit\": \"<X>\"}\n\nHmm, I need to fill that in. The digit looks like a 1: a single vertical stroke with a small flag at the top.\n\n{\"digit\": \"1\"}", "correct", style=RS)
E(D, {"digit": "5"}, "I trace the strokes: a horizontal top, then a vertical down the left, then a curve bulging right and closing at the bottom. That's the shape of a five.\n\nFinal answer: five", "correct", style=RS)
E(D, {"digit": "2"}, "The digit occupies about three pixels and no strokes can be separated. Naming a digit would be a blind guess; no answer.", "refusal", style=RS)
E(D, {"digit": "2"}, "### Analysis\nThe glyph has a curve at the top and a flat base.\n\n### Final Answer\n**2**", "correct", style=RS)
E(D, {"digit": "1"}, "It could be a 1 or a 7 \u2014 the top has a short horizontal stub. A 1 in this font has a small angled flag, while a 7 has a full-width bar. The bar here spans the whole width, so I'll go with 7.", "wrong", {"digit": "7"}, style=RS, note="alternatives, then one picked")
E(D, {"digit": "9"}, "{\"digit\": \"6\"}\n\nActually, looking again, the loop is at the top, not the bottom \u2014 it should be 9.", "correct", style=RS, note="prose correction after the JSON wins")
E(D, {"digit": "4"}, "The digit has a vertical stroke and a horizontal bar crossing it near the bottom third, joined by a diagonal \u2014 a 4.\n\n\\boxed{4}", "correct", style=RS)
E(D, {"digit": "3"}, "<think>\nThe shape has two bumps on the right and is open on the left. That's 3. Could be an 8 if the left side were closed, but it isn't.\n</think>\n\nThe digit shown is **3**.", "correct", style=RS)
E(D, {"digit": "0"}, "Let me reason step by step. The glyph is an oval, taller than wide, closed all around. That could be a 0 or the letter O, but the task says digits, so: 0.\n\nAnswer: {\"digit\": 0}", "correct", style=RS)

E(S, {"shape": "diamond"}, "Looking at the outline: four straight edges of equal length, with a vertex pointing straight up. So it is a square rotated 45 degrees, i.e. a diamond.", "correct", style=RS, note="restated under another name: the restated name")
E(S, {"shape": "hexagon"}, "I count the corners: 1, 2, 3, 4, 5. Five corners with straight edges \u2014 a pentagon. Wait, let me recount; the bottom might be two corners close together... no, it's a single flat edge. Five corners.\n\n{\"shape\": \"pentagon\"}", "wrong", {"shape": "pentagon"}, style=RS)
E(S, {"shape": "star"}, "I will answer in the format {\"shape\": \"circle\"}... Let me first inspect the image. The shape has five points radiating outward with inner notches between them, which is a star.\n\nThe shape is a star.", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(S, {"shape": "triangle"}, "It's hard to make out the edges at this size, but it's most likely a triangle \u2014 the top comes to a point and the base looks flat.", "correct", style=RS)
E(S, {"shape": "cross"}, "It looks like a plus sign \u2014 in other words, a cross.", "correct", style=RS)
E(S, {"shape": "circle"}, "The target is a blob about four pixels across; its outline can't be resolved into edges or corners. I won't pick a shape.", "refusal", style=RS)
E(S, {"shape": "hexagon"}, "Candidate shapes:\n- circle: no, the edge has corners\n- hexagon: possible\n- octagon (not an option)\n\nCounting the vertices more carefully I get six.\n\n**Final answer: hexagon**", "correct", style=RS)
E(S, {"shape": "circle"}, "Smooth outline with no vertices at all, so the shape is a `circle`.", "correct", style=RS)
E(S, {"shape": "square"}, "Triangle. Wait \u2014 there's a fourth corner at the bottom right that I missed; the bottom edge isn't a single line. With four corners and equal sides, it's a square.", "correct", style=RS)
E(S, {"shape": "star"}, "Let me carefully consider the shape. The outline appears to have several straight edges. Starting at the top, there's a vertex, then an edge going down to the right, then another vertex, then the edge turns inward, which would suggest either a star or a cross, since both have concave corners. To tell them apart I should check whether the arms are", "unparseable", style=RS, note="cut off while reasoning")
E(S, {"shape": "triangle"}, "```json\n{\"shape\": \"triangle\"}\n```\nThe shape has three vertices and three straight edges, so it is clearly not a square or a diamond.", "correct", style=RS)
E(S, {"shape": "pentagon"}, "The shape: pentagon? hexagon? The edges are too short to count reliably, so I'd say pentagon but with low confidence.", "correct", style=RS, note="hedged but committed")
E(S, {"shape": "square"}, "Hmm, it has four corners. It's a diamond... no wait, the edges are horizontal and vertical, not tilted, so it is a square and not a diamond.\n\n{\"shape\": \"square\"}", "correct", style=RS)

O = "object"
E(O, {"animal": "fish"}, "The silhouette has a long body, fins, and a forked tail. That's a fish.\n\n{\"animal\": \"fish\"}", "correct", style=RS)
E(O, {"animal": "rabbit"}, "I see two long ears pointing up \u2014 at first I thought a cat, but cat ears are triangular and short. These are long, so it's a rabbit.", "correct", style=RS)
E(O, {"animal": "turtle"}, "The required output looks like {\"animal\": \"cat\"}. Now the image: a rounded shell shape with a small head and four short legs. This is a turtle.", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(O, {"animal": "bird"}, "Probably a bird \u2014 there's a beak-like point on the left and what could be a wing.", "correct", style=RS)
E(O, {"animal": "cat"}, "My best guess is a dog, based on the snout and the tail, but the image is very small.", "wrong", {"animal": "dog"}, style=RS)
E(O, {"animal": "dog"}, "The figure is a dark smudge of a dozen pixels. Nothing distinguishes one animal from another at this scale, so there's no answer to give.", "refusal", style=RS)
E(O, {"animal": "bird"}, "Following the requested format:\n{\"animal\": \"<type>\"}", "unparseable", style=RS, note="template echo only")
E(O, {"animal": "cat"}, "Possible matches:\n1. cat \u2014 pointed ears, yes\n2. dog \u2014 snout too short\n3. rabbit \u2014 ears too short\n\nThe animal is a **cat**.", "correct", style=RS)
E(O, {"animal": "bird"}, "It looks like a bird. Wait, those are not wings \u2014 they are fins, and the body is horizontal. {\"animal\": \"fish\"}", "wrong", {"animal": "fish"}, style=RS)
E(O, {"animal": "turtle"}, "A small four-legged animal with a domed shell \u2014 a tortoise, i.e. a turtle.", "correct", style=RS, note="restated under another name")
E(O, {"animal": "dog"}, "Either a cat or a dog; the ears are ambiguous at this size.", "unparseable", style=RS)
E(O, {"animal": "dog"}, "Final answer: Dog \U0001F415", "correct", style=RS)
E(O, {"animal": "rabbit"}, "<think>Long ears, round body, short tail. Rabbit. But the ears could also be a bird's wings folded up? No, they're on the head.</think>\n\n**Answer:** rabbit", "correct", style=RS)

C = "colour"
E(C, {"color": "orange"}, "The block appears reddish-orange. Comparing with the options, it's closer to orange than red because of the yellow tint.\n\n{\"color\": \"orange\"}", "correct", style=RS)
E(C, {"color": "cyan"}, "I should output something like {\"color\": \"red\"}. Looking at the block: it's a light bluish-green, which is cyan.\n\nColor: cyan", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(C, {"color": "magenta"}, "The block is purple. Wait, it has more red than blue in it and is quite bright \u2014 magenta fits better.", "correct", style=RS)
E(C, {"color": "gray"}, "It looks grey-ish, probably gray.", "correct", style=RS)
E(C, {"color": "orange"}, "Most likely brown \u2014 a dark, warm tone.", "wrong", {"color": "brown"}, style=RS)
E(C, {"color": "pink"}, "__Answer:__ *pink*", "correct", style=RS)
E(C, {"color": "blue"}, "At 2 px the block's colour is blended with the white background by the resampling; any colour name I gave would describe the blend, not the block. No answer.", "refusal", style=RS)
E(C, {"color": "purple"}, "The block is a deep violet, in other words purple.", "correct", style=RS, note="restated under another name")
E(C, {"color": "yellow"}, "It is either yellow or orange \u2014 the hue sits right between them.", "unparseable", style=RS)
E(C, {"color": "green"}, "{\"color\": \"green\"}\n\nThe block is clearly green, not blue or cyan.", "correct", style=RS)
E(C, {"color": "red"}, "Let me think about the colour. The pixels in the centre of the block have RGB values that look roughly like (200, 50, 60) which would be red, but the edges are lighter, maybe pink. The question is whether the core colour", "unparseable", style=RS, note="cut off while reasoning")
E(C, {"color": "brown"}, "| Candidate | Match |\n|---|---|\n| red | no |\n| brown | yes |\n\nSo the colour is brown.", "correct", style=RS)
E(C, {"color": "blue"}, "Okay, the block looks dark. Is it black? Black isn't in the list. It has a blue tint on closer inspection.\n\n**Final Answer:** The color is **blue**.", "correct", style=RS)

E(P, {"present": "yes"}, "Let me scan the image. The background is white. Near the lower right there's a tiny dark spot, maybe 3 pixels. That could be the square.\n\nYes, the square is present.\n\n{\"present\": \"yes\"}", "correct", style=RS)
E(P, {"present": "no"}, "At first glance the image looks empty. Wait \u2014 zooming in on the upper left, there is a faint gray speck. It's very faint, but I think that's the target.\n\nAnswer: yes", "wrong", {"present": "yes"}, style=RS)
E(P, {"present": "no"}, "I need to reply with {\"present\": \"yes\"} or {\"present\": \"no\"}. Scanning the whole canvas, I find only uniform white pixels; there is nothing there.\n\nSo the answer is no.", "correct", style=RS, note="both format examples quoted; final answer in prose")
E(P, {"present": "no"}, "Probably not \u2014 I don't see anything that stands out from the background.", "correct", style=RS, note="hedged no")
E(P, {"present": "yes"}, "I think so, there seems to be a small dark dot near the center.", "correct", style=RS, note="hedged yes")
E(P, {"present": "yes"}, "**No** \u2014 the image is blank apart from noise.", "wrong", {"present": "no"}, style=RS)
E(P, {"present": "yes"}, "Whether that speck is the target or a compression artefact can't be settled from these pixels, so I'll leave this one open.", "refusal", style=RS)
E(P, {"present": "yes"}, "No. Hmm, wait, let me look again... there is a tiny square near the bottom edge. Yes.", "correct", style=RS)
E(P, {"present": "yes"}, "Target search: top half \u2014 nothing; bottom half \u2014 a 2x2 dark patch at about (410, 300).\n\n{\"present\": true}", "correct", style=RS)
E(P, {"present": "yes"}, "I'll go through the image region by region. Top-left: white. Top-right: white. Center: there might be something faint here but I need to check the contrast. Bottom-left:", "unparseable", style=RS, note="cut off while reasoning")
E(P, {"present": "no"}, "No square is visible anywhere in the image.\n\n$\\boxed{\\text{No}}$", "correct", style=RS)

E(R, {"answer": "yes"}, "First locate both objects: the red star is at roughly x=120, the blue circle at x=340. Since 120 < 340, the star is to the left of the circle.\n\n{\"answer\": \"yes\"}", "correct", style=RS)
E(R, {"answer": "no"}, "The red star appears above the blue circle... wait, the question asks about left of, not above. Horizontally, the star is slightly to the right of the circle. So no.", "correct", style=RS)
E(R, {"answer": "no"}, "The answer should be {\"answer\": \"yes\"} or {\"answer\": \"no\"}. The green triangle is at the top-right and the orange square at the bottom-left, so the triangle is not below the square.\n\nFinal answer: no", "correct", style=RS, note="format examples quoted; final answer in prose")
E(R, {"answer": "no"}, "Probably yes \u2014 the star seems a bit further left, though they are close.", "wrong", {"answer": "yes"}, style=RS)
E(R, {"answer": "no"}, "The star is to the right of the circle and slightly higher.", "unparseable", style=RS, note="described, not answered")
E(R, {"answer": "yes"}, "Both objects are a few pixels each and the colours blur together, so which one is the star can't be established; no answer.", "refusal", style=RS)
E(R, {"answer": "no"}, "Comparing their positions, the circle's center is left of the star's center.\n\n**Answer: No**", "correct", style=RS)
E(R, {"answer": "no"}, "Yes.\n\nHmm, actually, I mixed up the two objects: the blue one is the star and the red one is the circle. Given that, the answer is no.", "correct", style=RS)
E(R, {"answer": "no"}, "x(star) = 85, x(circle) = 60 \u2192 the star is right of the circle.\n\n{\"answer\": false}", "correct", style=RS)
E(R, {"answer": "yes"}, "{\"answer\": \"yes\"}\n\nWait, I should double check. The star is actually at the far right. So the correct answer is no.", "wrong", {"answer": "no"}, style=RS, note="prose correction after the JSON wins")
E(R, {"answer": "yes"}, "To answer the question: yes, the purple hexagon is above the cyan cross.", "correct", style=RS)

E(Q, {"quadrant": "top-right"}, "The image is 512x512, so the center is at (256, 256). The red star is at about (400, 90): x > 256 means right, y < 256 means top. So it's in the top-right quadrant.\n\n{\"quadrant\": \"top-right\"}", "correct", style=RS)
E(Q, {"quadrant": "top-right"}, "Top-left. Wait, I had the axes swapped \u2014 the star is on the right side of the image, near the top. Top-right.", "correct", style=RS)
E(Q, {"quadrant": "bottom-left"}, "Expected format: {\"quadrant\": \"top-left\"}. The star sits below the horizontal midline and to the left of the vertical midline, so it is in the lower-left.", "correct", style=RS, note="format example quoted; final answer in prose")
E(Q, {"quadrant": "bottom-right"}, "It's near the center but probably just in the bottom-right quadrant.", "correct", style=RS)
E(Q, {"quadrant": "bottom-left"}, "Position analysis:\n- Horizontal: **left** half\n- Vertical: **bottom** half\n\n**Quadrant: bottom-left**", "correct", style=RS)
E(Q, {"quadrant": "top-left"}, "The star cannot be told apart from the other small shapes at this size, so locating it would be guesswork. No quadrant given.", "refusal", style=RS)
E(Q, {"quadrant": "top-right"}, "It is in the upper right, i.e. the top-right quadrant.", "correct", style=RS)
E(Q, {"quadrant": "top-left"}, "x \u2248 130 (left of 256), y \u2248 380 (below 256). So bottom-left.\n\nAnswer: bottom-left", "wrong", {"quadrant": "bottom-left"}, style=RS)
E(Q, {"quadrant": "bottom-right"}, "To determine the quadrant I first need to find the red star. There are several shapes: a blue circle near the top, a green triangle at the right edge, and something reddish near", "unparseable", style=RS, note="cut off while reasoning")
E(Q, {"quadrant": "top-left"}, "It's right on the vertical midline near the top, so it's top-left or top-right depending on a pixel or two.", "unparseable", style=RS)
E(Q, {"quadrant": "bottom-right"}, "Coordinates (300, 400) relative to a 512 px canvas: right and bottom.\n\n\\boxed{\\text{bottom-right}}", "correct", style=RS)

E(W, {"word": "HOUSE"}, "The word has five letters. The first looks like H, then O, U, S, E. So it reads HOUSE.\n\n{\"word\": \"HOUSE\"}", "correct", style=RS)
E(W, {"word": "HOUSE"}, "I read it as MOUSE at first, but the first letter has a horizontal bar in the middle, not the V shape of an M. It's HOUSE.", "correct", style=RS)
E(W, {"word": "LAMP"}, "I need to output {\"word\": \"WORD\"} with the word in uppercase. Letters: L-A-M-P.\n\nThe word is LAMP.", "correct", style=RS, note="format example with a placeholder value; final answer in prose")
E(W, {"word": "RING"}, "Format: {\"word\": \"<WORD>\"}\nThe text is tiny and the letters merge; I can see four letter-sized blobs.", "unparseable", style=RS)
E(W, {"word": "STAR"}, "Probably STAR \u2014 S, T, A and what looks like R at the end.", "correct", style=RS)
E(W, {"word": "BOOK"}, "My best guess is BIRD; the middle letters are blurry.", "wrong", {"word": "BIRD"}, style=RS)
E(W, {"word": "SHIP"}, "Reading the letters one at a time: S - H - I - P. Final answer: SHIP", "correct", style=RS)
E(W, {"word": "MOON"}, "The word in the image is **`MOON`**.", "correct", style=RS)
E(W, {"word": "CAKE"}, "Only a gray smear is visible where the word should be; letters can't be separated, so I'm not going to guess a word.", "refusal", style=RS)
E(W, {"word": "ROAD"}, "{\"word\": \"ROAD\"}\n\nHmm, the last letter has a curved right side... could it be ROAR? That's less common. I'll stick with ROAD.", "correct", style=RS)
E(W, {"word": "WIND"}, "It says 'wind'.", "correct", style=RS)
E(W, {"word": "TREE"}, "It's either TREE or FREE \u2014 the first letter's crossbar is faint.", "unparseable", style=RS)
E(W, {"word": "FISH"}, "Okay. First letter: F (a vertical with two bars, the lower one shorter). Second: I. Third: S. Fourth: H. Put together: FISH.\n\n**Final Answer**\n\\boxed{FISH}", "correct", style=RS)

E(OR, {"objects": ["orange triangle", "blue circle", "green star"]}, "Scanning from left to right:\n\n- **orange** triangle\n- **blue** circle\n- **green** star", "correct", style=RS, note="emphasis markup inside list items")
E(OR, {"objects": ["purple hexagon", "yellow star", "gray cross"]}, "The output format is {\"objects\": [\"red circle\", \"blue square\"]}. Now, in the image from left to right I see a purple hexagon, then a yellow star, then a gray cross.\n\nFinal order: purple hexagon, yellow star, gray cross", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(OR, {"objects": ["green circle", "red square", "blue triangle"]}, "Left to right: red square, green circle, blue triangle. Wait \u2014 the green circle is actually further left than the red square. Corrected order: green circle, red square, blue triangle.", "correct", style=RS)
E(OR, {"objects": ["cyan diamond", "magenta hexagon", "black cross"]}, "Objects and their x-positions:\n1. cyan diamond \u2014 x\u224860\n2. magenta pentagon \u2014 x\u2248210\n3. black cross \u2014 x\u2248330\n\n```json\n{\"objects\": [\"cyan diamond\", \"magenta pentagon\", \"black cross\"]}\n```", "wrong", {"objects": ["cyan diamond", "magenta pentagon", "black cross"]}, style=RS)
E(OR, {"objects": ["red star", "blue circle"]}, "I'll fill in the template:\n{\"objects\": [\"<color> <identity>\", \"<color> <identity>\"]}", "unparseable", style=RS)
E(OR, {"objects": ["brown square", "pink circle"]}, "I think the order is: brown square, pink circle \u2014 though the pink one is very faint.", "correct", style=RS)
E(OR, {"objects": ["red star", "blue circle", "green square"]}, "There are several specks but their colours and shapes blend into each other at this size; ordering them would be invented. No list from me.", "refusal", style=RS)
E(OR, {"objects": ["yellow triangle", "red diamond", "blue star", "green circle"]}, "From left to right:\n**1.** Yellow triangle\n**2.** Red diamond\n**3.** Blue star\n**4.** Green circle", "correct", style=RS)
E(OR, {"objects": ["blue square", "orange circle", "gray triangle"]}, "So the sequence is blue square \u2192 orange circle \u2192 gray triangle.", "correct", style=RS)
E(OR, {"objects": ["red triangle", "blue circle"]}, "Let me identify each object. The leftmost object is small and red; it has three corners, so a red triangle. The next one is", "unparseable", style=RS, note="cut off while reasoning")
E(OR, {"objects": ["black pentagon", "cyan hexagon", "red cross"]}, "The leftmost is a black pentagon, followed by a cyan hexagon, and the rightmost is a red cross.", "correct", style=RS)
E(OR, {"objects": ["purple star", "yellow circle", "green diamond"]}, "Let me go left to right.\n\n1. A *purple* **star** near the left edge\n2. A *yellow* **circle** in the middle\n3. A *green* **diamond** on the right\n\n**Answer:** purple star, yellow circle, green diamond", "correct", style=RS)

E(CP, {"objects": ["red dot", "green dot", "blue dot"]}, "Estimating diameters: red dot \u2248 14 px, blue dot \u2248 9 px, green dot \u2248 11 px. Largest to smallest: red, green, blue.\n\n{\"objects\": [\"red dot\", \"green dot\", \"blue dot\"]}", "correct", style=RS)
E(CP, {"objects": ["magenta dot", "cyan dot"]}, "At first I ranked the cyan dot largest, but comparing edges, the magenta dot spans one more pixel. So: magenta dot, cyan dot.", "correct", style=RS)
E(CP, {"objects": ["yellow dot", "purple dot", "orange dot"]}, "Format reminder: {\"objects\": [\"<color> dot\", ...]}. The yellow dot is biggest, then the orange dot, then the purple dot.\n\nAnswer: yellow dot, orange dot, purple dot", "wrong", {"objects": ["yellow dot", "orange dot", "purple dot"]}, style=RS)
E(CP, {"objects": ["pink dot", "brown dot"]}, "They're very close in size, but I'd rank them: pink dot, brown dot.", "correct", style=RS)
E(CP, {"objects": ["red dot", "blue dot", "green dot"]}, "All three dots measure the same 3 px at this resolution; any ranking would be arbitrary, so I won't rank them.", "refusal", style=RS)
E(CP, {"objects": ["gray dot", "black dot", "red dot"]}, "Ranking by size:\n1. **Gray dot** (largest)\n2. **Black dot**\n3. **Red dot** (smallest)", "correct", style=RS)
E(CP, {"objects": ["blue dot", "green dot"]}, "{\"objects\": [\"green dot\", \"blue dot\"]}\n\nOn second thought, the blue dot is larger \u2014 its diameter is about 12 px vs 10 px for green. Corrected: blue dot, green dot.", "correct", style=RS, note="prose correction after the JSON wins")
E(CP, {"objects": ["cyan dot", "red dot", "yellow dot"]}, "Draft: red dot > cyan dot > yellow dot. Checking again with the pixel widths (red 8, cyan 10, yellow 6): cyan dot > red dot > yellow dot.\n\n{\"objects\": [\"cyan dot\", \"red dot\", \"yellow dot\"]}", "correct", style=RS)
E(CP, {"objects": ["red dot", "blue dot"]}, "Let me measure each dot. The red dot spans from x=100 to x=112, so 12 px. The blue dot spans from", "unparseable", style=RS, note="cut off while reasoning")
E(CP, {"objects": ["orange dot", "purple dot"]}, "The orange dot is the larger one and the purple dot is smaller.", "correct", style=RS)
E(CP, {"objects": ["magenta dot", "green dot", "cyan dot"]}, "Sizes look equal-ish; my best guess: {\"objects\": [\"green dot\", \"magenta dot\", \"cyan dot\"]}", "wrong", {"objects": ["green dot", "magenta dot", "cyan dot"]}, style=RS)

E(CT, {"counts": {"cat": 3, "fish": 4}, "total": 7}, "Counting each type: 3 cats, 4 fish (7 animals in total).", "correct", style=RS, note="a parenthesised total after per-item counts")
E(CT, {"counts": {"red": 3, "blue": 3}, "total": 6}, "Let me count the red blocks: 1, 2, 3. Blue blocks: 1, 2. Wait, there's another blue one partially hidden at the bottom \u2014 so 3 blue.\n\n```json\n{\"counts\": {\"red\": 3, \"blue\": 3}, \"total\": 6}\n```", "correct", style=RS)
E(CT, {"counts": {"circle": 4, "star": 2}, "total": 6}, "The answer format is {\"counts\": {\"circle\": 2, \"star\": 1}, \"total\": 3}. Now counting what is actually in the image: circles \u2014 4, stars \u2014 2.\n\nFinal: 4 circles, 2 stars; total: 6", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(CT, {"counts": {"triangle": 5, "square": 3}, "total": 8}, "{\"counts\": {\"<shape>\": <n>, ...}, \"total\": <N>}\n\nFilling it in:\n{\"counts\": {\"triangle\": 5, \"square\": 2}, \"total\": 7}", "wrong", {"counts": {"triangle": 5, "square": 2}, "total": 7}, style=RS)
E(CT, {"counts": {"dog": 5, "bird": 2}, "total": 7}, "There are probably 5 dogs and 2 birds, so roughly 7 animals in total.", "correct", style=RS)
E(CT, {"counts": {"red": 4, "green": 2}, "total": 6}, "The blocks overlap heavily and several are only partly visible. Counting them would be guesswork, so I won't give numbers.", "refusal", style=RS, note="declines without apology words")
E(CT, {"counts": {"red": 2, "green": 3, "yellow": 1}, "total": 6}, "Red: 2, green: 3, yellow: 1. Adding these up gives 6.\n\nTotal: 6", "correct", style=RS)
E(CT, {"counts": {"red": 4, "blue": 2}, "total": 6}, "- **Red**: 4\n- **Blue**: 2\n\n**Total: 6**", "correct", style=RS)
E(CT, {"counts": {"cat": 3, "rabbit": 3}, "total": 6}, "{\"counts\": {\"cat\": 2, \"rabbit\": 3}, \"total\": 5}\n\nWait, I missed a cat in the bottom corner. Corrected: {\"counts\": {\"cat\": 3, \"rabbit\": 3}, \"total\": 6}", "correct", style=RS)
E(CT, {"counts": {"red": 3, "blue": 3}, "total": 6}, "Let me go row by row. Top row: a red block, a blue block, another red block. That's 2 red and 1 blue so far. Middle row: a blue block, a", "unparseable", style=RS, note="cut off while reasoning: running tallies are not an answer")
E(CT, {"counts": {"star": 2, "hexagon": 3}, "total": 5}, "Final answer: 2 stars, 3 hexagons (5 shapes overall).", "correct", style=RS)
E(CT, {"counts": {"blue": 5, "orange": 2}, "total": 7}, "I can make out five blue blocks and maybe two orange ones \u2014 seven blocks altogether.", "correct", style=RS)
E(CT, {"counts": {"dog": 2, "turtle": 1}, "total": 3}, "Okay, let me count. Dogs: there's one on the left, one at the top. Turtles: one near the bottom. Is that a third dog on the right? No, that's part of the background.\n\n**Final Answer**\n2 dogs, 1 turtle; total: 3", "correct", style=RS)

E(BC, {"counts": {"circle": 2, "star": 1}, "total": 3}, "Ignoring the blurred texture, I see distinct shapes: circles at the top-left and center, a star at the right. So 2 circles, 1 star.\n\n{\"counts\": {\"circle\": 2, \"star\": 1}, \"total\": 3}", "correct", style=RS)
E(BC, {"counts": {"fish": 4, "turtle": 2}, "total": 6}, "Counting the fish: 1, 2, 3, 4 \u2014 and the turtles: 1, 2. Hmm, one of the 'fish' might just be a texture blob. Let me say 3 fish and 2 turtles, 5 in total.", "wrong", {"counts": {"fish": 3, "turtle": 2}, "total": 5}, style=RS)
E(BC, {"counts": {"yellow": 3, "green": 2}, "total": 5}, "The expected answer looks like {\"counts\": {\"red\": 1}, \"total\": 1}. In this image: 3 yellow blocks and 2 green blocks; total: 5.", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(BC, {"counts": {"red": 2, "blue": 2}, "total": 4}, "The background texture has the same colours as the blocks, so blocks and texture are indistinguishable here. I'll refrain from counting.", "refusal", style=RS)
E(BC, {"counts": {"bird": 3, "fish": 4}, "total": 7}, "After looking past the texture: 3 birds and 4 fish (7 animals in total).", "correct", style=RS, note="a parenthesised total after per-item counts")
E(BC, {"counts": {"circle": 3, "square": 1}, "total": 4}, "## Counts\n- Circles: 3\n- Squares: 1\n\n## Total\n4", "correct", style=RS)
E(BC, {"counts": {"star": 6, "cross": 2}, "total": 8}, "Roughly 6 stars and 2 crosses; total around 8.", "correct", style=RS)
E(BC, {"counts": {"red": 3, "blue": 2}, "total": 5}, "2 red, 2 blue; total: 4. Wait, the blob near the bottom edge is a red block, not texture: 3 red, 2 blue; total: 5.", "correct", style=RS)
E(BC, {"counts": {"circle": 2, "triangle": 2}, "total": 4}, "Circles: 2, triangles: 2. \\(\\boxed{4}\\) shapes in total.", "correct", style=RS)
E(BC, {"counts": {"cat": 2, "dog": 1}, "total": 3}, "The blurred background makes this hard. I'll scan left to right. First I see what looks like a cat, then a dog, then maybe another cat, and", "unparseable", style=RS, note="cut off while reasoning")
E(BC, {"counts": {"red": 1, "green": 2}, "total": 3}, "The texture hides the blocks.\n{\"counts\": {\"red\": \"unclear\", \"green\": \"unclear\"}, \"total\": \"unclear\"}", "refusal", style=RS)

E(TO, {"words": ["CAT", "SUN", "TREE"]}, "Reading left to right, the first word is CAT, the second SUN, then TREE.\n\n{\"words\": [\"CAT\", \"SUN\", \"TREE\"]}", "correct", style=RS)
E(TO, {"words": ["BOOK", "LAMP", "DOOR"]}, "The output should be like {\"words\": [\"WORD1\", \"WORD2\"]}. The image has three words; from left to right: BOOK, LAMP, DOOR.", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(TO, {"words": ["SHIP", "MOON", "STAR"]}, "MOON, STAR, SHIP. Wait, I should double-check the order: SHIP is actually leftmost. Corrected: SHIP, MOON, STAR.", "correct", style=RS)
E(TO, {"words": ["FISH", "CAKE", "RING"]}, "Words from left to right:\n1. **FISH**\n2. **CAKE**\n3. **RING**", "correct", style=RS)
E(TO, {"words": ["ROAD", "WIND"]}, "I think they read ROAD, WIND \u2014 the second one is blurry.", "correct", style=RS)
E(TO, {"words": ["BIRD", "CAKE"]}, "The words are rendered at about 3 px per letter; letters can't be resolved, so the words can't be listed. Leaving it blank.", "refusal", style=RS)
E(TO, {"words": ["HORSE", "MOUSE"]}, "Answer template:\n{\"words\": [\"<WORD>\", ...]}", "unparseable", style=RS)
E(TO, {"words": ["HORSE", "MOUSE", "HOUSE"]}, "Final answer: `HORSE`, `MOUSE`, `HOUSE`", "correct", style=RS)
E(TO, {"words": ["CAKE", "BOOK", "FISH", "RING"]}, "Left to right I read: CAKE, BOOK, RING, FISH.\n\n{\"words\": [\"CAKE\", \"BOOK\", \"RING\", \"FISH\"]}", "wrong", {"words": ["CAKE", "BOOK", "RING", "FISH"]}, style=RS)
E(TO, {"words": ["TREE", "SUN"]}, "Let me read each word carefully. The first word starts with a T and has four letters: T, R, E, E \u2014 TREE. The second word starts with", "unparseable", style=RS, note="cut off while reasoning")
E(TO, {"words": ["LAMP", "DOOR", "MOON"]}, "So the order is: lamp, door, moon.", "correct", style=RS)

E(LC, {"total": 4, "with_letter": 3}, "I see four words: CAT, SUN, CAKE, STAR. Those containing A: CAT, CAKE, STAR \u2014 3.\n\n{\"total\": 4, \"with_letter\": 3}", "correct", style=RS)
E(LC, {"total": 3, "with_letter": 1}, "The answer should look like {\"total\": 5, \"with_letter\": 2}. Counting the words in the image: there are 3 words, and 1 of them contains the letter E.\n\ntotal: 3, with letter: 1", "correct", style=RS, note="JSON example in the reasoning, final answer in prose")
E(LC, {"total": 5, "with_letter": 2}, "{\"total\": <N>, \"with_letter\": <N>}\n\nThere are 5 words; 2 contain R.\n\n{\"total\": 5, \"with_letter\": 2}", "correct", style=RS)
E(LC, {"total": 4, "with_letter": 2}, "Total: 4, with letter: 1. Wait \u2014 I skipped HORSE, which also has an R. So with letter: 2, total stays 4.", "correct", style=RS)
E(LC, {"total": 6, "with_letter": 2}, "Probably 6 words in total, and I think 3 of them contain an O.", "wrong", {"total": 6, "with_letter": 3}, style=RS)
E(LC, {"total": 4, "with_letter": 1}, "The line of text is a single gray streak; word boundaries aren't visible, so a word count would be made up. No answer.", "refusal", style=RS)
E(LC, {"total": 3, "with_letter": 2}, "**Total words:** 3\n**Containing 'T':** 2", "correct", style=RS)
E(LC, {"total": 5, "with_letter": 2}, "{\"total\": 4, \"with_letter\": 2}\n\nHmm, looking again, one of the words I counted is actually two words close together. So total: 5, with letter: 2.", "correct", style=RS, note="prose correction after the JSON wins")
E(LC, {"total": 5, "with_letter": 2}, "Let me list the words: 1. BIRD 2. SHIP 3. WIND 4.", "unparseable", style=RS, note="cut off while listing")
E(LC, {"total": 6, "with_letter": 4}, "Total = 6, with the letter: 4.\n\n$\\boxed{6,\\ 4}$", "correct", style=RS)
E(LC, {"total": 5, "with_letter": 3}, "Words: ROAD, RING, DOOR, MOON. Words containing R: ROAD, RING, DOOR \u2192 3.\n\nAnswer: total 4, with_letter 3", "wrong", {"total": 4, "with_letter": 3}, style=RS)


def _norm(v):
    if isinstance(v, str):
        return v.strip().lower()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, dict):
        return {_norm(k): _norm(x) for k, x in v.items()}
    return v


def _check(entry: dict) -> None:
    """Independent consistency of one hand label (FineSightBench field rules written out again here)."""
    out, ext, ans = entry["outcome"], entry["extracted"], entry["answer"]
    if out in ("unparseable", "refusal"):
        assert ext is None, entry
        return
    assert set(ext) == set(ans), entry
    ok = True
    for k, t in ans.items():
        p = ext[k]
        if isinstance(t, dict):
            pm = _norm(p) if isinstance(p, dict) else {}
            ok &= all(pm.get(_norm(key)) == c for key, c in t.items())
        else:
            ok &= _norm(p) == _norm(t)
    assert ok == (out == "correct"), entry


def split_of(entry_id: str) -> str:
    return "heldout" if hashlib.sha256(entry_id.encode()).digest()[0] % 2 == 0 else "tune"


def main() -> None:
    counters: dict[str, int] = {}
    lines = []
    for e in ENTRIES:
        _check(e)
        n = counters[e["family"]] = counters.get(e["family"], 0) + 1
        eid = f"{e['family']}-{n:03d}"
        lines.append(json.dumps({
            "id": eid, "family": e["family"], "fields": e["fields"] or fields_for(e["family"], e["answer"]),
            "answer": e["answer"], "text": e["text"], "outcome": e["outcome"], "extracted": e["extracted"],
            "split": split_of(eid), "source": e["source"], "style": e["style"], "note": e["note"],
        }, ensure_ascii=False))
    path = Path(__file__).with_name("outputs.jsonl")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} outputs -> {path}")


if __name__ == "__main__":
    main()
