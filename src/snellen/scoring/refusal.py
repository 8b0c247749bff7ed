"""Refusal detection: the output declines, or says it cannot see/determine, or that nothing is there.

Only consulted when no answer could be read (a hedge like "too small to be sure, but it is K" is an answer).
"""

from __future__ import annotations

import re

_VERBS = (r"see|determine|identify|tell|read|make\s+out|discern|recogni[sz]e|distinguish|detect|count|locate|find|view|"
          r"answer|help|order|say|decipher|resolve|know|judge|assess|provide|perceive|access|process|analy[sz]e|rank")
_REFUSAL = re.compile(
    r"\b(?:can\s?not|can't|can’t|could\s?not|couldn't|couldn’t|unable\s+to|not\s+able\s+to|impossible\s+to|"
    r"hard\s+to|difficult\s+to|no\s+way\s+to)\s+(?:\w+\s+){0,2}?(?:" + _VERBS + r")\b"
    r"|\b(?:i'?m|i\s+am|i’m)\s+(?:sorry|not\s+sure|unsure|uncertain)\b"
    r"|\btoo\s+(?:small|blurry|blurred|faint|tiny|low[\s-]resolution|noisy|pixelated|unclear|dark|light|low)\b"
    r"|\b(?:not|isn't|isn’t|aren't|aren’t)\s+(?:clearly\s+|readily\s+|easily\s+)?"
    r"(?:visible|legible|readable|discernible|recogni[sz]able|identifiable|distinguishable|clear)\b"
    r"|\b(?:illegible|unreadable|indiscernible|unrecogni[sz]able|unidentifiable)\b"
    r"|\b(?:see|find|detect|notice|identify|there\s+(?:is|are))\s+no\b"
    r"|\bno\s+(?:\w+\s+){0,2}(?:is|are|was|were|can\s+be)\s+(?:clearly\s+)?(?:visible|present|shown|displayed|detectable|discernible|seen)\b"
    r"|\b(?:don't|do\s+not|don’t|doesn't|does\s+not|didn't|did\s+not)\s+(?:\w+\s+)?(?:see|detect|find|notice)\b"
    r"|\b(?:appears?|is|seems?|looks?)\s+(?:to\s+be\s+)?(?:completely\s+|entirely\s+|mostly\s+)?(?:blank|empty)\b"
    r"|\bi\s+(?:won't|will\s+not|cannot|can't)\s+(?:guess|speculate)\b"
    # declines without apology words: "I won't give numbers", "so I'll leave it unanswered", "no answer",
    # "naming one would be a blind guess", "can't be resolved"
    r"|\b(?:won't|won’t|will\s+not|not\s+going\s+to|(?:'d|’d|would)\s+rather\s+not|refrain\s+from|decline\s+to)\s+"
    r"(?:\w+\s+)?(?:give|guess|pick|name|rank|count|answer|commit|choose|provide|list|order|say|speculate|locate|read)"
    r"|\b(?:leave|leaving)\s+(?:it|this|that|this\s+one|the\s+answer|the\s+\w+)\s+(?:unanswered|blank|open|empty)\b"
    r"|\bunanswered\b|\bno\s+(?:answer|guess|list|ranking|quadrant|count|counts)\b(?!\s+(?:is|was)\b)"
    r"|\bwould\s+be\s+(?:a\s+|an\s+|pure\s+|just\s+)?(?:blind\s+|wild\s+|random\s+)?"
    r"(?:guess(?:work|ing)?|coin\s+toss|arbitrary|made\s+up|invented|speculat(?:ion|ive)|meaningless)\b"
    r"|\b(?:can\s?not|can't|can’t|could\s?not|couldn't)\s+be\s+(?:\w+\s+)?(?:resolved|told|read|determined|identified|"
    r"separated|distinguished|established|settled|counted|listed|made\s+out|seen|recogni[sz]ed|located|ranked)\b"
    r"|\b(?:indistinguishable|undeterminable)\b",
    re.I,
)


def is_refusal(text: str) -> bool:
    return _REFUSAL.search(text) is not None
