"""Cue lexicons of check-worthiness: the words each feature of ``checkworthy`` looks for.

The lexicons read the lowercased sentence (written in lowercase, compiled without re.I, which is
about three times faster here); the others read tokens or entity text as they are.

Written by hand from what fact-checkers pick (figures, trends, records, evidence) and what they
pass over (questions, speech about the speech, anecdotes, running the debate); the weights that
say how much each counts are learned (``checkworthy_weights.json``).
"""

from __future__ import annotations

import re

CAUSAL = re.compile(
    r"\b(because|due to|caused?|causing|led to|leads? to|result(?:ed|s)? in|as a result|therefore|"
    r"consequently|thanks to|owing to|driv(?:e|es|en|ing) by|trigger(?:ed|s)?|so that|hence)\b",
)
# Speech verbs by surface form: the lemmatizer is excluded for speed (see model.UNUSED_COMPONENTS).
SPEECH_VERB = re.compile(
    r"^(?:say|says|said|saying|tell|tells|told|telling|stat(?:e|es|ed|ing)|claim(?:s|ed|ing)?|"
    r"argu(?:e|es|ed|ing)|describ(?:e|es|ed|ing)|not(?:e|es|ed|ing)|warn(?:s|ed|ing)?|"
    r"announc(?:e|es|ed|ing)|insist(?:s|ed|ing)?|assert(?:s|ed|ing)?|acknowledg(?:e|es|ed|ing)|"
    r"admit(?:s|ted|ting)?|report(?:s|ed|ing)?|recall(?:s|ed|ing)?|declar(?:e|es|ed|ing)|"
    r"confirm(?:s|ed|ing)?|den(?:y|ies|ied|ying)|suggest(?:s|ed|ing)?|writ(?:e|es|ing)|wrote|"
    r"accus(?:e|es|ed|ing)|call(?:s|ed)?|brand(?:s|ed)?|refer(?:s|red)?)$",
    re.I,
)
QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]")
NUMERIC_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "DATE", "TIME"}
MAGNITUDE = re.compile(
    r"\d|\b(?:hundred|thousand|million|billion|trillion|dozens?|half|double|twice)\b", re.I
)
DATE_EVIDENCE = re.compile(
    r"\d|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)
# Quantities in words, which the numeric entities miss: "tens of thousands", "twice as much".
SPELLED_QUANTITY = re.compile(
    r"\b(?:(?:tens|hundreds|thousands|millions|billions|dozens) of|(?:twice|half|(?:two|three|four|five|"
    r"ten) times) as (?:much|many|\w+)|(?:one|two|three|four|five|six|seven|eight|nine) (?:in|out of) "
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)|(?:a|one|two) (?:third|quarter|fifth|half)s? of|"
    r"half (?:of|the)|(?:the )?majority of|(?:per ?cent|percent)|doubled|tripled|quadrupled)\b",
)
# A period of time counted back from now: "last month", "over the past decade", "since 2009".
RELATIVE_TIME = re.compile(
    r"\b(?:(?:last|past|previous) (?:year|month|week|decade|quarter|(?:\w+ )?years|(?:\w+ )?months)|"
    r"(?:years?|months?|decades?) ago|since (?:19|20)\d\d|(?:in|over) the (?:last|past) \w+|"
    r"in (?:history|a generation)|record (?:high|low|levels?)|all-time|since)\b",
)
# Movements of a quantity; "went way down" and "skyrocketed" carry no figure but are checkable.
TREND = re.compile(
    r"\b(?:(?:go|goes|went|gone|going) (?:(?:way|all the way|straight) )?(?:up|down|through the roof)|"
    r"(?:increas|decreas|declin|doubl|tripl|reduc|slash|plung|soar|surg|skyrocket|shrink|shrank|"
    r"drop|fell|fall|rose|rise|rising|grew|grow|cut|rais|lower|los|lost|gain|creat|add)\w*)\b",
)
# Things with a measurable size, which claims about the world are made of, by field.
ECONOMY = re.compile(
    r"\b(?:jobs?|tax(?:es)?|deficits?|debt|unemployment|wages?|incomes?|budget|spending|economy|gdp|trade|"
    r"prices?|rates?|dollars?|revenues?|growth|manufacturing|exports?|imports?|inflation|poverty|"
    r"middle class|"
    r"taxpayers?|workers?|companies|businesses|billions?|millions?|trillions?|percent|oil|gas|energy|coal|"
    r"increases?|cash|spen[dt]|paid|stock|market|labor|infrastructure|recession|costs?|expensive|"
    r"seniors|social security|pensions?|investments?|factories|plants|industry|nafta)\b",
)
SECURITY = re.compile(
    r"\b(?:troops|military|war|nuclear|isis|terroris[mt]s?|weapons?|killed|attacks?|army|soldiers|sanctions|"
    r"missiles?|bomb\w*|invasion|deal|treaty|agreement|refugees?|veterans?)\b",
)
SOCIETY = re.compile(
    r"\b(?:health ?care|obamacare|insurance|premiums?|medicare|medicaid|drugs?|opioids?|deaths?|"
    r"died|hospitals?|"
    r"immigrants?|illegal(?:ly)?|border|crime|murders?|police|guns?|prisons?|schools?|students?|college|"
    r"emissions|climate|population|aliens|undocumented|sanctuary|gangs?|amnesty|borders|crimes|youth|"
    r"abortion|poverty|homeless\w*|addiction|overdoses?)\b",
)
# A public record: votes, bills, laws, stands taken.
RECORD = re.compile(
    r"\b(?:vot(?:e|ed|es|ing)|bills?|laws?|legislation|senate|congress|supported|opposed|signed|vetoed|"
    r"passed|approved|funded|endorsed|wants|supports|gave|ran|negotiated|proposed|announced)\b",
)
# Absolutes and firsts, which invite a check: "never", "the first time", "every single".
ABSOLUTE = re.compile(
    r"\b(?:never|ever|always|every single|nobody|no one|nothing|first time|only (?:country|one|president))\b",
)
# An approximate size: "nearly", "almost", "more than", "roughly".
APPROXIMATE = re.compile(
    r"\b(?:nearly|almost|roughly|approximately|about|around|more than|less than|fewer than|over|up to|"
    r"at least|as many as|as much as)\s+(?:\$|\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|every|all|"
    r"\w+ (?:percent|times))[\w.,%]*",
)
# Evidence someone gathered: studies, reports, investigations, experts, data.
EVIDENCE = re.compile(
    r"\b(?:stud(?:y|ies)|reports?|surveys?|polls?|investigations?|audits?|experts?|data|statistics|"
    r"concluded|found that|shows? that|showed|estimates?|census)\b",
)
# Running the debate itself: time, turns, thanks ("you have 30 seconds to respond").
MODERATION = re.compile(
    r"\b(?:respond|response|rebuttal|minutes?|seconds|candidates|nominee|moderator|debate|tonight|"
    r"let's (?:turn|move|go)|next question|agree|yeah|okay|thank(?:s| you))\b",
)
TITLED_NAME = re.compile(
    r"^(?:(?:mr|mrs|ms|dr)\.?|senator|governor|secretary|president|congressman|congresswoman|mayor|"
    r"general|speaker|leader)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s*,",
    re.I,
)
# The room, not the world: stage directions and audience noise.
STAGE = re.compile(r"[(\[](?:applause|laughter|crosstalk|inaudible|booing|cheers|bell|music)\w*[)\]]")
# Speech acts about the talk itself, not the world: "let me say", "I think", "thank you".
SPEECH_ACT = re.compile(
    r"^(?:well,?\s+|look,?\s+|and\s+|but\s+|so,?\s+|now,?\s+)*(?:let me|let's|let us|i want to|i'd like to|"
    r"i would like to|thank you|thanks|i think|i believe|i mean|i hope|i guess|i know|i'm going to|"
    r"i am going to|"
    r"we're going to|we are going to|we will|i will|we have to|we need to|i'm not|i don't|excuse me|"
    r"good (?:evening|morning|night)|welcome|please|ladies and gentlemen|okay|ok\b|yes\b|no\b)",
)
# A story about people met or remembered, not a claim about the world.
ANECDOTE = re.compile(
    r"\b(?:i (?:met|remember|recall|talked|spoke|saw|visited|heard|was (?:in|at|with))|"
    r"my (?:father|mother|dad|mom|wife|husband|son|daughter|family|friend|grandfather|grandmother)|"
    r"the other day|a (?:woman|man|young \w+|little \w+|mother|father) (?:who|told|said|came))\b",
)
MODAL = frozenset({"will", "would", "should", "could", "can", "must", "might", "may", "shall", "'ll", "wo"})
FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})
# Comparative tags that compare nothing: discourse and time adverbs ("further", "later").
NOT_COMPARATIVE = {"further", "furthermore", "rather", "later", "earlier", "sooner", "else", "more", "less"}
