"""Text cues of an answer: STAR parts, outcomes, specifics (numbers, money, durations) and filler words.

Patterns run on normalised (lower-case, single-spaced) text.
"""

from __future__ import annotations

import re

_ACTION_VERBS = (
    "analysed|analyzed|automated|built|changed|coached|collaborated|configured|coordinated|created|"
    "debugged|decided|delegated|deployed|designed|developed|documented|drafted|drove|escalated|"
    "established|evaluated|fixed|gathered|handled|identified|implemented|improved|interviewed|introduced|"
    "investigated|launched|led|mapped|measured|mentored|migrated|monitored|negotiated|optimised|"
    "optimized|organised|organized|paired|persuaded|planned|presented|prioritised|prioritized|profiled|"
    "proposed|prototyped|rebuilt|redesigned|refactored|reorganised|reorganized|replaced|researched|"
    "reviewed|rewrote|ran|scheduled|set|simplified|spoke|split|started|streamlined|suggested|taught|"
    "tested|trained|traced|tracked|tuned|used|wrote|worked"
)
_ACTION = r"(?:\w+\s+){0,2}?(?:" + _ACTION_VERBS + r")\b"

STAR_CUES: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(?:when i was|while i was|while working|at my (?:previous|last|current|old|first) "
        r"(?:job|company|role|internship|employer|team)|in my (?:previous|last|current|first|final) "
        r"(?:job|role|position|internship|team|company|year)|during my|back in|last (?:year|summer|semester|"
        r"quarter|month)|in (?:19|20)\d\d|our team|my team|the team was|the company|the client|the customer|"
        r"the project|we were|there was|there were|we had an?|situation|at the time)\b"
        # Context stated outright: "At Northstar, our team…", "When the checkout failed…", "our 120 store
        # managers…", "a legacy system of 40 services…".
        r"|(?:^|[.!?]\s+)(?:at|during|while|when|after|last)\s+\w+"
        r"|\b(?:our|the)\s+(?:\d[\d,]*\+?\s+)?(?:\w+\s+)?(?:team|company|store|stores|managers|customers|"
        r"users|clients|system|systems|service|services|product|app|platform|department|office|school|hospital)\b"
        r"|\b\d[\d,]*\+?\s+(?:\w+\s+){0,2}(?:people|users|customers|managers|engineers|developers|stores|"
        r"systems|servers|services|teams|staff|employees|clients|students|patients|branches|sites|accounts)\b"
    ),
    "task": re.compile(
        r"\b(?:my (?:task|job|goal|role|responsibility|objective|assignment|challenge) (?:was|is)|i was "
        r"(?:responsible|tasked|asked|assigned|in charge)|responsible for|i needed to|i had to|we needed to|"
        r"we had to|the (?:goal|task|challenge|problem|objective|deadline|aim) was|(?:goal|aim|target) was to|"
        r"in order to|i wanted to|i was expected to|i was (?:brought|hired|put) in to|so i (?:decided|set out) to|"
        r"(?:asked|tasked|hired|brought) (?:me|us)(?: in)? to|i took on|i owned|it was (?:my|up to me)|"
        r"(?:my|our) (?:goal|job|task|aim|mission) (?:was|became))\b"
    ),
    "action": re.compile(
        r"\b(?:i(?:'ve| have| had)?\s+" + _ACTION + r"|my approach was|the first thing i did|"
        r"i (?:then |also |first )?(?:\w+ed|built|wrote|ran|led|set up|sat down|met|took|made|put|brought)\b)"
    ),
    "result": re.compile(
        r"\b(?:as a result|the result|resulted in|result was|which (?:led|meant|helped|allowed|cut|reduced|"
        r"increased|saved|improved)|this (?:led|meant|helped|allowed|cut|reduced|increased|saved|improved)|"
        r"outcome|in the end|by the end|ended up|we (?:achieved|delivered|launched|shipped|hit|met|won|cut|"
        r"reduced|increased|saved|improved)|i (?:achieved|delivered|learned|learnt)|(?:reduced|increased|"
        r"improved|saved|cut|grew|boosted|doubled|tripled|halved|decreased|raised|lowered|dropped|fell|rose)"
        r"\s+(?:\w+\s+){0,4}?(?:by|from|to)\b|feedback was|(?:was|got) (?:promoted|recognised|recognized|"
        r"praised|adopted)|lesson|from \S+ (?:\w+ )?to \S+|\bdown to\b|\bup to\b \d|\d+\s?% (?:fewer|less|more|faster)|"
        r"(?:fell|dropped|rose|went) (?:from|to)\b|no longer|now (?:takes|runs|uses|has|saves))"
    ),
}
BEHAVIOURAL_CUE = re.compile(
    r"\b(?:tell me about a time|describe a (?:time|situation)|give (?:me )?an example|a time when|walk me through a)\b"
)
WE_ACTION = re.compile(r"\bwe\s+" + _ACTION)
OUTCOME = re.compile(
    r"\b(?:reduc|increas|improv|sav|cut|grew|grow|boost|doubl|tripl|halv|decreas|rais|lower|launch|ship|"
    r"deliver|won|promot|adopt|achiev)\w*"
)

_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)"
_UNITS = (
    r"(?:ms|milliseconds?|s|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|quarters?|"
    r"sprints?|x|times|users|customers|clients|people|engineers|developers|students|members|requests|tickets|"
    r"orders|records|rows|servers|services|stores|sites|teams|bugs|tests|pages|releases|countries)\b"
)
SPECIFIC_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)"),
    re.compile(r"(?:[$€£₹]|\brs\.?\s?|\binr\s?|\busd\s?)\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|lakhs?|crores?)\b)?"),
    re.compile(r"\b\d[\d,.]*\s?(?:k|m|million|billion|lakhs?|crores?|dollars|rupees|euros|pounds)\b"),
    re.compile(r"\b\d[\d,.]*\+?\s?(?:\w+\s)?" + _UNITS),
    re.compile(r"\b" + _NUMBER_WORDS + r"\s+(?:\w+\s)?" + _UNITS),
    re.compile(r"\b\d[\d,.]*\b"),
)

# Filler words and phrases. "like" only counts in its filler positions ("it was like, ...", "and like"),
# not as a verb or in "tools like Docker".
FILLERS: dict[str, re.Pattern[str]] = {
    "um": re.compile(r"\b(?:um+|umm+|erm+)\b"),
    "uh": re.compile(r"\b(?:uh+|er|ah+|hmm+)\b"),
    "like": re.compile(
        r"(?:\blike,|(?:^|[,.!?]\s*|\b(?:and|so|but|was|is|were|just|it's)\s+)like\b"
        r"(?!\s+(?:to|a|an|the|this|that|it|how|what|when|i|we|you|me|them)\b))"
    ),
    "you know": re.compile(r"\byou know\b(?!\s+(?:how|what|when|where|why|that|if|the)\b)"),
    "basically": re.compile(r"\bbasically\b"),
    "actually": re.compile(r"\bactually\b"),
    "literally": re.compile(r"\bliterally\b"),
    "i mean": re.compile(r"\bi mean\b"),
    "sort of": re.compile(r"\bsort of\b"),
    "kind of": re.compile(r"\bkind of\b(?!\s+(?:\w+\s+)?(?:problem|project|role|work|team|thing)s?\b)"),
    "so yeah": re.compile(r"\bso yeah\b"),
}
WORD = re.compile(r"[\w'+#./-]+")
SMALL_TALK = re.compile(
    r"(?:yes|yeah|yep|sure|ok|okay|hi|hello|hey|thanks|thank|you|ready|i'm|im|i|am|good|great|fine|sounds|"
    r"let's|lets|go|no|problem|can|hear|me|well|morning|afternoon|evening|nice|to|meet|too|bye|goodbye|all|"
    r"right|alright)"
)
