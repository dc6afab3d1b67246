"""Synthetic bibliographic records (CSL JSON) to render through CSL styles for training.

Every value is made here from word lists: people from the US census name lists of the ``names``
package plus hand-written names from other languages, titles from a small grammar, and
containers, publishers and places from hand-written lists. Nothing is taken from any labelled
data set. The records are seeded, so the same seed gives the same training data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.citations.train import vocab

# Surnames and given names from other languages than the census lists (which are US names).
SURNAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Dubois Durand Lefebvre
Moreau Laurent Girard Bonnet Rousseau Fontaine García Fernández González Rodríguez López Martínez
Sánchez Pérez Gómez Jiménez Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Tanaka Suzuki Takahashi
Watanabe Ito Yamamoto Nakamura Kobayashi Sato Kim Lee Park Choi Jung Kang Singh Kumar Sharma Gupta
Patel Reddy Iyer Nair Rao Mukherjee Banerjee Chatterjee Hassan Ahmed Ali Khan Haddad Nasser Karimi
Hosseini Rahimi Nowak Kowalski Wiśniewski Ivanov Petrov Smirnov Novak Horvat Jansen Visser Bakker
Janssen Peeters Andersson Johansson Nilsson Larsen Hansen Nielsen Korhonen Virtanen Silva Santos
Oliveira Souza Costa Pereira Almeida Ferreira Murphy Kelly O'Brien O'Connor McCarthy MacDonald
Papadopoulos Yılmaz Kaya Demir Şahin Cohen Levi Mizrahi Okafor Mensah Nkosi Mwangi Adeyemi Haussler
Quinlan Dietterich Valiant Sutton Russell Norvig Mitchell Minsky McCarthy Knuth Dijkstra""".split()  # noqa: SIM905
PARTICLE_SURNAMES = ["van der Berg", "de Vries", "van Dijk", "von Neumann", "de la Cruz", "Di Stefano",
                     "da Silva", "van den Broek", "de Souza", "Le Roux", "dos Santos", "ter Haar"]  # fmt: skip
GIVEN = """Hans Jürgen Klaus Wolfgang Ursula Monika Pierre Jean Marie Sophie Camille Luc Juan Carlos María José
Lucía Javier Marco Giulia Francesca Luca Matteo Wei Fang Lei Jing Xiaoming Hiroshi Yuki Takeshi
Akiko Min-jun Ji-woo Seo-yeon Rahul Priya Anil Sunita Arjun Ahmed Fatima Omar Layla Reza Maryam
Piotr Katarzyna Dmitri Olga Ivan Anna Jan Pieter Sanne Lars Ingrid Erik Astrid Mikko Aino João Ana
Luís Beatriz Seán Siobhán Niamh Eleni Giorgos Mehmet Ayşe Yosef Noa Chinedu Kwame Amara Wanjiru
Tunde""".split()  # noqa: SIM905
ORGS = ["World Health Organization", "World Bank", "United Nations Development Programme",
        "National Research Council", "European Commission", "OECD", "International Monetary Fund",
        "U.S. Department of Energy", "Ministry of Health", "American Psychological Association",
        "Centers for Disease Control and Prevention", "Human Rights Watch", "Amnesty International",
        "National Institute of Standards and Technology", "U.S. Census Bureau", "IPCC", "UNESCO",
        "Environmental Protection Agency", "Congressional Research Service", "Pew Research Center",
        "Federal Reserve Board", "International Energy Agency", "Bureau of Labor Statistics",
        "Office for National Statistics", "Government Accountability Office", "RAND Corporation"]  # fmt: skip
FIELDS = """Machine Learning|Artificial Intelligence|Psychology|Economics|Sociology|Political Science|
Physics|Chemistry|Biology|Medicine|Public Health|Education|Linguistics|Philosophy|History|Law|
Computer Science|Information Retrieval|Neuroscience|Ecology|Geography|Anthropology|Statistics|
Mathematics|Engineering|Management|Finance|Marketing|Nursing|Communication|Literature|Music|
Environmental Science|Water Research|Materials Science|Robotics|Computational Linguistics|
Cognitive Science|Software Engineering|Urban Studies|International Relations|Criminology""".replace(
    "\n", ""
).split("|")
ADJ = """new efficient robust simple general dynamic adaptive social political economic cultural historical
empirical theoretical comparative critical local global urban rural digital public private early
modern contemporary hidden long-term large-scale multi-agent distributed parallel stochastic optimal
linear nonlinear inductive logical spatial temporal environmental clinical cognitive emotional moral
legal ethical sustainable national international regional financial quantitative qualitative human
natural""".split()  # noqa: SIM905
NOUNS = """learning discovery analysis approach framework model method theory evidence study review survey
perspective role effect impact influence evolution development design structure network system
process algorithm policy reform crisis conflict identity power memory language culture society
market institution democracy governance growth inequality poverty health education migration
security justice rights law war peace trade energy water climate risk uncertainty knowledge
reasoning perception behavior attitudes competence creativity narrative representation recognition
detection retrieval classification optimization inference estimation simulation control planning
navigation communication cooperation competition regulation innovation technology media protest
movement election state city community family children women youth""".split()  # noqa: SIM905
PROPER = """China India Europe Africa Brazil Japan Germany France Russia Iran Turkey Mexico Canada Australia
Britain Kenya Nigeria Egypt Israel Armenia Vietnam Indonesia Chile Peru Ecuador the United States
the Middle East Latin America East Asia the Arctic the Pacific""".split()  # noqa: SIM905
VERBS = ["shapes", "explains", "predicts", "matters", "fails", "works", "changes", "drives", "limits"]
PUBLISHERS = ["MIT Press", "Oxford University Press", "Cambridge University Press", "Springer",
              "Elsevier", "Wiley", "Routledge", "Penguin", "Princeton University Press",
              "University of Chicago Press", "Harvard University Press", "Yale University Press",
              "Addison-Wesley", "Prentice Hall", "Morgan Kaufmann", "Academic Press", "Sage",
              "Palgrave Macmillan", "Blackwell", "Basic Books", "W. W. Norton", "Random House",
              "Lawrence Erlbaum", "Kluwer Academic Publishers", "Dover", "Wadsworth", "McGraw-Hill",
              "Brookings Institution Press", "Stanford University Press", "Ediciones Akal",
              "Gallimard", "Suhrkamp", "De Gruyter", "IEEE Press", "ACM Press", "O'Reilly Media",
              "University of California Press", "Columbia University Press", "Verso", "Polity"]  # fmt: skip
PLACES = ["New York", "London", "Cambridge, MA", "Cambridge", "Oxford", "Chicago", "Boston",
          "Berlin", "Paris", "Amsterdam", "Princeton", "New Haven", "San Francisco", "Washington, DC",
          "Hillsdale, NJ", "Thousand Oaks, CA", "Heidelberg", "Dordrecht", "Madrid", "Tokyo",
          "Upper Saddle River, NJ", "Englewood Cliffs, NJ", "Los Angeles", "Toronto", "Sydney",
          "Geneva", "Vienna", "Stockholm", "Barcelona", "Milan", "Quito", "Mexico City", "Delhi"]  # fmt: skip
NEWS = ["The New York Times", "The Guardian", "The Washington Post", "Reuters", "BBC News",
        "Financial Times", "The Economist", "Le Monde", "Al Jazeera", "Bloomberg", "The Atlantic",
        "Wall Street Journal", "Der Spiegel", "The Independent", "Los Angeles Times", "Time",
        "Foreign Policy", "The Electronic Intifada", "Business Week", "The Hindu", "Nature News",
        "The Conversation", "Politico", "Associated Press", "Daily Telegraph", "Newsweek"]  # fmt: skip
SITES = ["Wikipedia", "GitHub", "Medium", "YouTube", "Stanford Encyclopedia of Philosophy",
         "Internet Archive", "Our World in Data", "Brookings", "Council on Foreign Relations",
         "Center for Strategic and International Studies", "Chatham House", "ResearchGate"]  # fmt: skip
REPORTERS = [("U.S.", "Supreme Court"), ("F.3d", "9th Cir."), ("F. Supp. 2d", "S.D.N.Y."),
             ("A.C.", "House of Lords"), ("S.E.2d", "Ga."), ("Cal. App. 4th", "Cal. Ct. App.")]  # fmt: skip
HOSTS = ["www.example.org", "news.example.com", "www.who.int", "data.gov", "arxiv.org",
         "www.bbc.co.uk", "papers.ssrn.com", "www.jstor.org", "hal.science", "www.nber.org"]  # fmt: skip


_ONSETS = ["b", "ch", "d", "f", "g", "gh", "h", "j", "k", "kh", "l", "m", "n", "p", "r", "s", "sh", "t", "v",
           "w", "y", "z", "zh", "br", "dr", "kr", "tr", "st", "", ""]  # fmt: skip
_CODAS = ["n", "r", "d", "k", "s", "m", "l", "t", "sh", "ng", "z", "ad", "ski", "son", "ez", "ov", "ani"]
_SMALL = ["of", "the", "and", "in", "for", "on", "a", "to", "with", "from", "by", "an", "as", "at"]
_FOREIGN_SMALL = {"fr": ["de", "la", "le", "et", "des", "du", "en", "les"], "es": ["de", "la", "el", "y", "en", "los"],
                  "de": ["der", "die", "und", "im", "zur", "des"], "it": ["di", "il", "e", "della", "nel"]}  # fmt: skip


@dataclass(frozen=True)
class Pools:
    surnames: list[str]
    given: list[str]
    words: dict[str, list[str]] = field(default_factory=dict)  # language -> everyday and rare words


def word_pools() -> dict[str, list[str]]:
    """Words of every frequency (wordfreq's lists), so that titles hold the rare technical words
    real titles hold, not only the few words of the grammar; some titles are in other languages."""
    from wordfreq import top_n_list

    out = {}
    for lang, n in (("en", 60000), ("fr", 20000), ("es", 20000), ("de", 20000), ("it", 15000)):
        out[lang] = [w for w in top_n_list(lang, n)[300:] if w.isalpha() and len(w) >= 3]
    return out


def census_pools(limit_surnames: int = 2500, limit_given: int = 700) -> Pools:
    """The most common US surnames and given names (census lists shipped by ``names``), plus
    the hand-written names of other languages."""
    import names

    folder = Path(names.__file__).resolve().parent

    def read(name: str, limit: int) -> list[str]:
        lines = (folder / name).read_text().splitlines()[:limit]
        return [ln.split()[0].title() for ln in lines if ln.strip()]

    given = read("dist.female.first", limit_given) + read("dist.male.first", limit_given)
    surnames = read("dist.all.last", limit_surnames)
    surnames = [s.replace("Mc", "Mc", 1) for s in surnames]
    return Pools(
        surnames=surnames + SURNAMES * 4 + PARTICLE_SURNAMES, given=given + GIVEN * 3, words=word_pools()
    )


class RecordMaker:
    """Random but seeded CSL JSON records of the kinds real notes and reference lists cite."""

    KINDS = (
        ("article-journal", 30), ("book", 14), ("chapter", 10), ("paper-conference", 10),
        ("report", 8), ("webpage", 8), ("article-newspaper", 8), ("article-magazine", 3),
        ("thesis", 3), ("legal_case", 2), ("legislation", 1), ("post-weblog", 2),
    )  # fmt: skip

    def __init__(self, seed: int, pools: Pools) -> None:
        self.rng = random.Random(seed)
        self.pools = pools

    def person(self) -> dict[str, str]:
        r = self.rng
        given = r.choice(self.pools.given)
        if r.random() < 0.3:
            given += " " + (
                r.choice(self.pools.given) if r.random() < 0.4 else r.choice("ABCDEFGHJKLMNPRSTW") + "."
            )
        if r.random() < 0.1:
            given = self.invented()
        family = self.invented() if r.random() < 0.15 else r.choice(self.pools.surnames)
        return {"family": family, "given": given}

    def invented(self) -> str:
        """A name no lexicon knows, of syllables ("Khoynezhad", "Azghadi", "Myryam"): so that the
        tagger reads names by their place and shape, not only by the census lists."""
        r = self.rng
        syllables = [
            r.choice(_ONSETS) + r.choice("aaeeiioouy" if r.random() < 0.9 else ["ai", "ou", "ee", "ia"])
            for _ in range(r.randint(2, 4))
        ]
        name = "".join(syllables) + (r.choice(_CODAS) if r.random() < 0.6 else "")
        return name.capitalize()

    def people(self, most: int = 6) -> list[dict[str, str]]:
        r = self.rng
        n = min(most, r.choice([1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12]))
        return [self.person() for _ in range(n)]

    def free_title(self) -> str:
        """Words of any frequency, some function words, perhaps a subtitle, an acronym, a number."""
        r = self.rng
        lang = "en" if r.random() < 0.88 else r.choice(["fr", "es", "de", "it"])
        pool, small = self.pools.words[lang], _SMALL if lang == "en" else _FOREIGN_SMALL[lang]
        words = [r.choice(small) if r.random() < 0.3 else r.choice(pool) for _ in range(r.randint(2, 13))]
        if r.random() < 0.15:
            words.insert(
                r.randint(0, len(words)),
                "".join(r.choice("ABCDEFGHKLMNPRSTUVWXZ") for _ in range(r.randint(2, 5))),
            )
        if r.random() < 0.1:
            words.insert(
                r.randint(0, len(words)), f"({''.join(r.choice('ABCDEFGHKLMNPRST') for _ in range(3))})"
            )
        if r.random() < 0.12:
            words.insert(r.randint(0, len(words)), str(r.choice([r.randint(2, 99), r.randint(1800, 2024)])))
        if r.random() < 0.15:
            i = r.randrange(len(words))
            words[i] = f"{words[i]}-{r.choice(pool)}"
        if len(words) > 4 and r.random() < 0.3:
            i = r.randint(2, len(words) - 2)
            words[i - 1] += (
                r.choice([":", ":", " :", ".", ",", "?", " -"]) if lang != "en" or r.random() < 0.2 else ":"
            )
            words[i] = words[i].capitalize()
        t = " ".join(words)
        if r.random() < 0.1:
            t += "?"
        return t[0].upper() + t[1:]

    def title(self) -> str:
        r = self.rng
        if self.pools.words and r.random() < 0.6:
            return self._cased(self.free_title())
        a, n1, n2 = r.choice(ADJ), r.choice(NOUNS), r.choice(NOUNS)
        forms = [
            f"{a} {n1} in {r.choice(ADJ)} {n2}",
            f"The {n1} of {n2}",
            f"{n1} and {n2} in {r.choice(PROPER)}",
            f"A {a} {n1} for {n2}",
            f"On the {n1} of {a} {n2}",
            f"Why {r.choice(PROPER)} {r.choice(VERBS)}",
            f"{a} {n1}: {r.choice(['a', 'an', 'the'])} {r.choice(ADJ)} {n2}",
            f"{n1.capitalize()}, {n2} and {r.choice(NOUNS)}",
            f"Towards {a} {n1} of {n2}",
            f"{r.choice(PROPER)}'s {a} {n1}",
            f"How {n1} {r.choice(VERBS)} {n2}",
            f"{a} {n1} and {r.choice(NOUNS)}: evidence from {r.choice(PROPER)}",
            f"Is {n1} {r.choice(ADJ)}?",
            f"{r.randint(2, 40)} {n1}s that {r.choice(VERBS)[:-1]} {n2}",
            f"{a} {n1} {r.choice(['using', 'with', 'without', 'beyond', 'after'])} {r.choice(ADJ)} {n2}",
        ]
        t = r.choice(forms)
        if r.random() < 0.15:
            t += f": {r.choice(['A', 'The', 'Some'])} {r.choice(ADJ)} {r.choice(NOUNS)}"
        return self._cased(t[0].upper() + t[1:])

    def _cased(self, t: str) -> str:
        if self.rng.random() < 0.4:  # Title Case, as many databases store it
            t = " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in t.split())
        return t

    def rare(self, capital: bool = True) -> str:
        w = self.rng.choice(self.pools.words.get("en") or NOUNS)
        return w.capitalize() if capital else w

    def journal(self) -> str:
        r = self.rng
        f = r.choice(FIELDS) if r.random() < 0.6 else f"{self.rare()} {self.rare()}"
        if r.random() < 0.15:
            return " ".join(self.rare() for _ in range(r.randint(1, 4)))
        return r.choice([
            f"Journal of {f}", f"{f} Review", f"{f}", f"International Journal of {f}", f"Annals of {f}",
            f"{r.choice(['IEEE', 'ACM'])} Transactions on {f}", f"{f} Quarterly", f"Advances in {f}",
            f"{r.choice(['American', 'European', 'British', 'Asian'])} Journal of {f}", f"{f} Letters",
            f"Journal of {r.choice(ADJ).capitalize()} {f}", f"J. {f[:4]}. {r.choice(['Res', 'Sci', 'Stud'])}.",
            "Proc. Natl. Acad. Sci. USA", f"Nature {f}", f"Frontiers in {f}", f"{f} Bulletin",
            f"{f} {r.choice('ABCD')}", f"Journal of {f}-{self.rare()}", f"{self.rare()} {self.rare()} {f}",
            f"{f}: Section {r.choice('ABC')}", f"{r.choice(ADJ).capitalize()} {f}",
            f"{f}, {r.choice(FIELDS)}, and {r.choice(FIELDS)}", f"Journal of {f}, {r.choice(FIELDS)} and {self.rare()}",
            f"{f}: {r.choice(['Research', 'Theory', 'Methods'])}, {self.rare()} and {r.choice(FIELDS)}",
        ])  # fmt: skip

    def proper(self) -> str:
        """A proper name: a surname, or a rare word capitalised."""
        return self.rng.choice(self.pools.surnames) if self.rng.random() < 0.6 else self.rare()

    def place(self) -> str:
        return vocab.place(self.rng) if self.rng.random() < 0.6 else self.rng.choice(PLACES)

    def translators_and_series(self, rec: dict[str, Any]) -> None:
        """What books and reports may add: a translator, a series and its number, an edition."""
        r = self.rng
        if r.random() < 0.08:
            rec["translator"] = self.people(2)
        if r.random() < 0.15:
            rec["collection-title"] = vocab.series(r, r.choice(FIELDS), self.proper(), r.choice(ORGS))
            if r.random() < 0.6:
                rec["collection-number"] = str(r.randint(1, 400))
        if r.random() < 0.12:
            rec["edition"] = (
                str(r.randint(2, 5)) if r.random() < 0.7 else r.choice(["Revised", "rev.", "3rd rev."])
            )

    def publisher(self) -> str:
        r = self.rng
        if r.random() < 0.35:
            return vocab.company(r, self.proper(), self.rare())
        return r.choice([f"{self.rare()} Press", f"{r.choice(self.pools.surnames)} & {r.choice(self.pools.surnames)}",
                         f"{self.rare()} Publishing", f"{self.rare()} {self.rare()}", f"{self.rare()} Books",
                         f"University of {r.choice(PLACES).split(',')[0]} Press", f"{self.rare()} Verlag"])  # fmt: skip

    def proceedings(self) -> str:
        r = self.rng
        f = r.choice(FIELDS) if r.random() < 0.6 else f"{self.rare()} {self.rare()}"
        ordinal = f"{r.randint(2, 40)}th"
        return r.choice([
            f"Proceedings of the {ordinal} International Conference on {f}",
            f"Proceedings of the {r.choice(['National', 'European', 'Annual'])} Conference on {f}",
            f"Proceedings of {r.choice(['SIGIR', 'CHI', 'AAAI', 'IJCAI', 'ICML', 'ACL'])} {r.randint(1985, 2023)}",
            f"{f} Workshop", f"Advances in {f} Systems", f"Proceedings IEEE {f} Conf",
            f"Proceedings of {self._acronym()}-{r.randint(80, 99)}", f"{self._acronym()}",
            f"{self._acronym()} '{r.randint(10, 99)}", f"Proceedings of the {self._acronym()} {r.randint(1985, 2023)}",
            f"{f}: {r.choice(['Proceedings of the', 'Papers from the'])} {r.randint(1985, 2023)} Workshop",
            f"IEEE International Conf. on {f}",
            f"Proceedings of the {ordinal} Conference on {f}: {self.rare()}, {self.rare()}, and Applications",
            f"Proceedings IEEE {f}, {self.rare()}, and {self.rare()} Conf", f"{f}, {self._acronym()}'{r.randint(10, 99)}",
        ])  # fmt: skip

    def _acronym(self) -> str:
        return "".join(self.rng.choice("ABCDEFGHIKLMNOPRSTUW") for _ in range(self.rng.randint(3, 6)))

    def date(self, precision: str | None = None) -> dict[str, Any]:
        r = self.rng
        y = r.randint(1950, 2025)
        precision = precision or r.choice(["y", "y", "y", "ym", "ymd"])
        parts = [y, r.randint(1, 12), r.randint(1, 28)][: len(precision)]
        return {"date-parts": [parts]}

    def url(self) -> str:
        r = self.rng
        slug = "-".join(r.choice(NOUNS) for _ in range(r.randint(1, 5)))
        return f"{r.choice(['https', 'http'])}://{r.choice(HOSTS)}/{r.choice(['', 'articles/', 'pub/', str(r.randint(2000, 2024)) + '/'])}{slug}{r.choice(['', '.html', '.pdf', '/'])}"

    def doi(self) -> str:
        r = self.rng
        return f"10.{r.randint(1000, 9999)}/{r.choice(['j.', 's', ''])}{r.randint(10000, 999999)}"

    def record(self, ident: str) -> dict[str, Any]:
        r = self.rng
        kind = r.choices([k for k, _ in self.KINDS], [w for _, w in self.KINDS])[0]
        rec: dict[str, Any] = {"id": ident, "type": kind, "title": self.title(), "issued": self.date()}
        if r.random() < 0.12:
            rec["author"] = [{"literal": r.choice(ORGS)}]
        elif r.random() < 0.95:
            rec["author"] = self.people()
        getattr(self, "_" + kind.replace("-", "_"))(rec)
        return rec

    def _article_journal(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["container-title"] = self.journal()
        if "author" in rec and r.random() < 0.3:  # the long author lists of the sciences
            rec["author"] = self.people(12)
        short = vocab.abbreviate(rec["container-title"], r)
        if r.random() < 0.2:  # the record itself holds the abbreviation (medical and physics lists)
            rec["container-title"] = short
        elif r.random() < 0.5:  # styles that print the short form print this one
            rec["container-title-short"] = short
        rec["volume"] = str(r.randint(1, 120))
        if r.random() < 0.7:
            rec["issue"] = str(r.randint(1, 12))
        first = r.randint(1, 900)
        rec["page"] = f"{first}-{first + r.randint(3, 40)}"
        if r.random() < 0.35:
            rec["DOI"] = self.doi()
        elif r.random() < 0.15:
            rec["URL"] = self.url()

    def _book(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["publisher"] = r.choice(PUBLISHERS) if r.random() < 0.5 else self.publisher()
        if r.random() < 0.7:
            rec["publisher-place"] = self.place()
        self.translators_and_series(rec)
        if "author" not in rec or r.random() < 0.1:
            rec.pop("author", None)
            rec["editor"] = self.people(3)
        elif r.random() < 0.06:  # an authored book with an editor: "Edited by ..."
            rec["editor"] = self.people(2)

    def _chapter(self, rec: dict[str, Any]) -> None:
        r = self.rng
        self._book(rec)
        rec.setdefault("author", self.people(3))
        rec["container-title"] = self.title()
        rec["editor"] = self.people(3)
        first = r.randint(1, 500)
        rec["page"] = f"{first}-{first + r.randint(5, 40)}"
        if r.random() < 0.25:  # a chapter's book in its own words: "..., Proceedings of ..." or a volume
            rec["container-title"] = r.choice([self.proceedings(), f"{self.title()}: {self.title()}"])

    def _paper_conference(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["container-title"] = self.proceedings()
        first = r.randint(1, 900)
        rec["page"] = f"{first}-{first + r.randint(3, 12)}"
        if r.random() < 0.5:
            rec["publisher"] = r.choice(["ACM", "IEEE", "Springer", "AAAI Press", "Morgan Kaufmann"])
        if r.random() < 0.4:
            rec["publisher-place"] = self.place()
        if r.random() < 0.15:  # proceedings in a series, with their editors ("LNCS 1234")
            rec["editor"] = self.people(3)
            rec["collection-title"] = f"Lecture Notes in {r.choice(FIELDS)}"
            rec["collection-number"] = str(r.randint(100, 9999))

    def _report(self, rec: dict[str, Any]) -> None:
        r = self.rng
        pick = r.random()
        if pick < 0.45:
            rec["publisher"] = vocab.institution(r, r.choice(FIELDS), self.proper())
        else:
            rec["publisher"] = r.choice(ORGS + PUBLISHERS[:5]) if pick < 0.85 else self.publisher()
        rec["genre"] = r.choice(vocab.REPORT_GENRES)
        if r.random() < 0.3:
            rec["collection-title"] = vocab.series(r, r.choice(FIELDS), self.proper(), r.choice(ORGS))
        rec["number"] = r.choice(
            [str(r.randint(1, 999)), f"TR-{r.randint(10, 999)}", f"R{r.randint(40000, 49999)}"]
        )
        if r.random() < 0.5:
            rec["URL"] = self.url()
        if r.random() < 0.4:
            rec["publisher-place"] = self.place()

    def _webpage(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["container-title"] = (
            r.choice(SITES + ORGS) if r.random() < 0.5 else vocab.site(r, self.rare(), self.proper())
        )
        rec["URL"] = self.url()
        rec["issued"] = self.date(r.choice(["y", "ymd", "ymd"]))
        if r.random() < 0.6:
            rec["accessed"] = {"date-parts": [[r.randint(2010, 2025), r.randint(1, 12), r.randint(1, 28)]]}
        if r.random() < 0.3:
            rec.pop("author", None)

    def _post_weblog(self, rec: dict[str, Any]) -> None:
        self._webpage(rec)

    def _article_newspaper(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["container-title"] = r.choice(NEWS) if r.random() < 0.6 else vocab.newspaper(r)
        if r.random() < 0.3:
            rec["page"] = r.choice([str(r.randint(1, 40)), f"{r.choice('ABCD')}{r.randint(1, 20)}"])
        rec["issued"] = self.date("ymd")
        if r.random() < 0.6:
            rec["URL"] = self.url()
        if r.random() < 0.3:
            rec["accessed"] = {"date-parts": [[r.randint(2010, 2025), r.randint(1, 12), r.randint(1, 28)]]}
        if r.random() < 0.25:
            rec.pop("author", None)

    def _article_magazine(self, rec: dict[str, Any]) -> None:
        self._article_newspaper(rec)

    def _thesis(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["genre"] = r.choice(vocab.THESIS_GENRES)
        rec["publisher"] = vocab.university(r, self.proper())
        if r.random() < 0.4:
            rec["publisher-place"] = self.place()
        rec["author"] = self.people(1)

    def _legal_case(self, rec: dict[str, Any]) -> None:
        r = self.rng
        reporter, court = r.choice(REPORTERS)
        rec["title"] = f"{r.choice(self.pools.surnames)} v. {r.choice(self.pools.surnames + ORGS[:6])}"
        rec["container-title"] = reporter
        rec["authority"] = court
        rec["volume"] = str(r.randint(1, 600))
        rec["page"] = str(r.randint(1, 1200))
        rec.pop("author", None)

    def _legislation(self, rec: dict[str, Any]) -> None:
        r = self.rng
        rec["title"] = f"{r.choice(ADJ).capitalize()} {r.choice(NOUNS).capitalize()} Act"
        rec["container-title"] = r.choice(["U.S.C.", "Stat.", "Pub. L."])
        rec["section"] = str(r.randint(1, 9999))
        rec.pop("author", None)
