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
