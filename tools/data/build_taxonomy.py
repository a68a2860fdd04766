"""Build tools/data/taxonomy.json from the shared O*NET/ESCO files and curated_skills.txt.

Run from the repository root: ``python tools/data/build_taxonomy.py [SHARED_DIR]``.
Only this script reads the shared source files; at runtime jobfit reads taxonomy.json.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parents[2] / "shared" / "data"
CATEGORIES = {"language", "framework", "database", "cloud", "tool", "method", "soft", "domain"}

# O*NET vendor prefixes removed to get the name people write ("Microsoft Excel" -> "Excel").
VENDORS = sorted(
    [
        "Adobe Systems", "Adobe", "Microsoft", "Oracle", "IBM", "SAP", "Google", "Apache", "Amazon",
        "Atlassian", "Autodesk", "Red Hat", "Salesforce", "Cisco", "Apple", "Corel", "ESRI",
        "Esri", "Intuit", "MathWorks", "TechSmith", "Wolfram Research", "Qlik Tech",
        "Unity Technologies", "Unreal Technology", "Hewlett-Packard HP", "Hewlett Packard",
        "Portswigger", "Bentley Systems", "Dassault Systemes", "Trimble", "SAS Institute",
        "Informatica", "VMware", "Citrix", "Meta", "Facebook", "Teradata", "Tableau Software",
        "The MathWorks", "Minitab", "Stata", "Epic Systems", "Cerner", "Siemens", "Novell",
        "Symantec", "Sage", "Blackbaud", "Infor", "Epicor", "Elastic", "HashiCorp", "Docker",
        "Progress", "Embarcadero", "JetBrains", "Eclipse", "Mozilla", "Linux", "Unisys",
    ],
    key=len,
    reverse=True,
)
# Tool names that are not skills (or are too ambiguous to match).
ONET_EXCLUDE = {
    "google", "youtube", "facebook", "twitter", "linkedin", "tiktok", "instagram", "skype",
    "email", "web browser", "the internet", "internet", "smugmug flickr", "word", "access",
    "project", "teams", "notes", "box", "drive", "meet", "eko", "doc cop", "go", "stack",
    "docs", "slides", "sheets", "forms", "hewlett packard",
}
# Ordinary English words that are also O*NET product names ("Chrome", "Zoom", "Flex"): neither
# the ESCO labels nor SkillSpan train text list them, so they are named here. Like other common
# words, they only match case-sensitively (or not at all when not a hot technology).
COMMON_WORDS = {
    "ant", "audition", "bamboo", "blink", "chrome", "domino", "flex", "forth", "inventor",
    "jersey", "keynote", "loom", "painter", "safari", "seesaw", "tadpoles", "zoom", "publisher",
    "presenter", "millennium", "middleware", "squeegee", "ethereal", "maya", "blogger", "canu",
    "litchi", "appletree", "inscribe", "bloomz", "squeeze", "pascal", "delphi", "ada", "epic",
    "sage", "relativity", "lever", "greenhouse", "intercom", "outreach", "amplitude", "miro",
}
MAX_WORDS = 4
# Single-word ESCO labels that name a field of knowledge by their form ("immunology",
# "economics", "chemistry", "crystallography"): matched although they are lower-case words.
DISCIPLINE = re.compile(r"(?:ology|ologies|onomy|ography|osophy|iatry|istry|(?<!s)tics|"
                        r"nomics|physics|matics|etics|onics)$")


def norm(s: str) -> str:
    """Matching key: lower case, '-'/'_' as spaces, no spaces around '/'."""
    s = s.lower().replace("_", " ").replace("-", " ")
    s = re.sub(r"\s*/\s*", "/", s)
    return re.sub(r"\s+", " ", s).strip()


def slug(s: str) -> str:
    s = s.lower().replace("++", "pp").replace("#", "sharp").replace(".", "dot-")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def load_common(shared: Path) -> Counter[str]:
    """Lower-case word counts of SkillSpan train text outside knowledge spans."""
    tok: Counter[str] = Counter()
    train = shared / "skillspan-dev" / "train.json"
    if train.exists():
        for line in train.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            for t, k in zip(d["tokens"], d["tags_knowledge"], strict=True):
                if k == "O" and re.fullmatch(r"[a-z]{2,}", t):
                    tok[t] += 1
    return tok


def load_vocab(shared: Path) -> set[str]:
    """Common English words: ESCO label words plus lower-case words of SkillSpan train text."""
    words: Counter[str] = Counter()
    labels = shared / "skill-taxonomy" / "esco_v1.1.0_skill_preferred_labels.txt"
    for line in labels.read_text(encoding="utf-8").splitlines():
        words.update(w for w in re.findall(r"[a-z]+", line) if len(w) > 1)
    vocab = {w for w in words}
    vocab |= {w for w, c in load_common(shared).items() if c >= 2}
    vocab |= COMMON_WORDS
    return vocab


def parse_curated(path: Path) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5 or parts[2] not in CATEGORIES:
            raise SystemExit(f"curated_skills.txt:{n}: bad line {line!r}")
        sid, name, cat, parent, aliases = parts
        if sid in entries:
            raise SystemExit(f"curated_skills.txt:{n}: duplicate id {sid}")
        al = [a.strip() for a in aliases.split(";") if a.strip()]
        entries[sid] = {
            "id": sid, "name": name, "category": cat, "parent": parent or None,
            "aliases": al, "hot": False, "source": "curated",
        }
    seen: dict[str, str] = {}
    for e in entries.values():
        if e["parent"] and e["parent"] not in entries:
            raise SystemExit(f"unknown parent {e['parent']} of {e['id']}")
        for a in [e["name"], *e["aliases"]]:
            other = seen.setdefault(norm(strip_flags(a)), e["id"])
            if other != e["id"]:
                raise SystemExit(f"alias {a!r} of {e['id']} is already an alias of {other}")
    return entries


def strip_flags(alias: str) -> str:
    return alias.lstrip("=?~")


def clean_onet(name: str, vocab: set[str]) -> tuple[str, list[str]]:
    """Display name and extra aliases for an O*NET tool name."""
    base = re.sub(r"\s+software$", "", name.strip())
    aliases: list[str] = []
    # "Hypertext markup language HTML" -> HTML; "Amazon Web Services AWS" -> AWS
    m = re.fullmatch(r"(.+?)\s+([A-Z][A-Z0-9/&+-]{1,})$", base)
    if m and len(m.group(1).split()) >= 2:
        long_form, acro = m.group(1), m.group(2)
        initials = "".join(w[0] for w in re.split(r"[\s-]+", long_form) if w).upper()
        if initials.startswith(acro[0]) and len(acro) >= 2 and _spells(acro, long_form):
            aliases.append(long_form)
            return acro, aliases
    for v in VENDORS:
        if base.startswith(v + " ") and len(base) > len(v) + 2:
            rest = base[len(v) + 1 :]
            if not rest[0].isdigit() and not (" " not in rest and rest.lower() in vocab):
                aliases.append(base)
                base = rest
            break
    return base, aliases


def _spells(acro: str, long_form: str) -> bool:
    """The acronym's letters occur in order in the long form ("HP-UX" is not "Hewlett Packard")."""
    it = iter(long_form.lower())
    return all(ch in it for ch in re.sub(r"[^a-z0-9]", "", acro.lower()))


def is_generic(name: str) -> bool:
    """A class of software ("Accounting", "Shell script") rather than a product."""
    words = name.split()
    rest = [w for w in words[1:] if not re.fullmatch(r"[A-Z0-9/&+-]{2,}", w)]
    return len(words) > 1 and all(w.islower() for w in rest) and words[0][:1].isupper() and not any(
        c.isupper() for c in words[0][1:]
    )


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    tax = shared / "skill-taxonomy"
    vocab = load_vocab(shared)
    common = load_common(shared)
    entries = parse_curated(HERE / "curated_skills.txt")
    owner: dict[str, str] = {}  # alias key -> id
    for e in entries.values():
        for a in [e["name"], *e["aliases"]]:
            owner.setdefault(norm(strip_flags(a)), e["id"])

    def add_alias(e: dict, alias: str) -> None:
        key = norm(strip_flags(alias))
        if key and key not in owner:
            owner[key] = e["id"]
            e["aliases"].append(alias)

    def single_word_ok(word: str) -> bool:
        w = word.lower()
        return len(w) >= 3 and w not in vocab and w not in ONET_EXCLUDE

    # ---- O*NET technology skills: hot / in-demand tools, or tools used by several occupations
    with open(tax / "onet_technology_skills.txt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    occ: Counter[str] = Counter(r["Example"] for r in rows)
    hot = {r["Example"] for r in rows if "Y" in (r["Hot Technology"], r["In Demand"])}
    commodity = {r["Example"]: r["Commodity Title"] for r in rows}
    n_onet = 0
    for raw in sorted(occ):
        if raw not in hot and occ[raw] < 3:
            continue
        name, extra = clean_onet(raw, vocab)
        if raw.endswith(" software") and not re.search(r"[A-Z]", name[1:]):
            continue  # a class of software, "Pricing software"
        if name.lower() in ONET_EXCLUDE or is_generic(name) or len(name) < 2:
            continue
        keys = [norm(name), *(norm(a) for a in extra), norm(raw)]
        known = next((owner[k] for k in keys if k in owner), None)
        if known:
            e = entries[known]
            e["hot"] = e["hot"] or raw in hot
            for a in [name, *extra, raw]:
                if len(a.split()) > 1 or single_word_ok(a):
                    add_alias(e, a)
            continue
        if len(name.split()) > MAX_WORDS:
            continue
        single = len(name.split()) == 1 and not re.search(r"[A-Z].*[A-Z]|\d|[.+#]", name[1:])
        if single and name.lower() in vocab:
            # Common words ("Slack", "Box") only case-sensitively.
            if name.lower() in ONET_EXCLUDE or len(name) < 4 or raw not in hot:
                continue
            name_alias = "~" + name
        elif re.fullmatch(r"[A-Z0-9]{2,5}", name):
            name_alias = "=" + name  # acronyms: "ETC" is not "etc"
        else:
            name_alias = name
        com = commodity[raw].lower()
        cat = "database" if "data base management" in com else "cloud" if "cloud" in com else "tool"
        sid = slug(name)
        while sid in entries:
            sid += "-x"
        e = {
            "id": sid, "name": name, "category": cat, "parent": None, "aliases": [],
            "hot": raw in hot, "source": "onet",
        }
        entries[sid] = e
        owner.setdefault(norm(name), sid)
        if name_alias != name:
            e["aliases"].append(name_alias)
        for a in [*extra, raw]:
            if norm(a) != norm(name) and len(a.split()) <= MAX_WORDS + 2:
                add_alias(e, a)
        n_onet += 1

    # ---- ESCO: knowledge-like labels (noun phrases, not "perform toxicological studies")
    labels = (tax / "esco_v1.1.0_skill_preferred_labels.txt").read_text(encoding="utf-8")
    labels_l = [x.strip() for x in labels.splitlines() if x.strip()]
    first: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for lab in labels_l:
        ws = lab.lower().split()
        first[ws[0]] += 1
        other.update(ws[1:])
    verbs = {w for w, c in first.items() if c >= 2 and 2 * c >= other[w]}

    def knowledge_like(label: str) -> bool:
        ws = label.lower().split()
        if not ws or ws[0] in verbs or len(ws) > 3 or re.search(r"[,;:]", label):
            return False
        if ws[0].endswith("ing") and len(ws) > 1 and ws[0] not in ("engineering", "accounting",
                                                                   "marketing", "banking"):
            return False  # "monitoring X" reads as an activity
        if len(ws) == 1 and (len(ws[0]) < 5 or not re.search(r"[A-Z0-9]", label[1:])) \
                and not DISCIPLINE.search(ws[0]):
            return False  # "protein", "energy", "tennis": words, not skills to match
        if label.islower() and all(common[w] >= 5 for w in ws):
            return False  # "personal development", "application process"
        return True

    alt: dict[str, list[str]] = {}
    with open(tax / "esco_skills_en_subset.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            alt[r["preferredLabel"]] = [a.strip() for a in r["altLabels"].splitlines() if a.strip()]
    n_esco = 0
    for lab in labels_l:
        name = re.sub(r"\s*\(.*?\)\s*", " ", lab).strip()
        if not knowledge_like(name):
            continue
        key = norm(name)
        if key in owner:
            continue
        sid = "esco-" + slug(name)
        e = {
            "id": sid, "name": name, "category": "domain", "parent": None, "aliases": [],
            "hot": False, "source": "esco",
        }
        entries[sid] = e
        owner[key] = sid
        if name != lab:
            pass  # qualified label ("Python (computer programming)") adds nothing to match on
        stems = {w[:5] for w in re.findall(r"[a-z]{5,}", name.lower())}
        for a in alt.get(lab, []):
            # Some rows of the subset carry another concept's altLabels: keep related ones
            # (5-letter stems: "philosophies" and "philanthropic" share only 4).
            if knowledge_like(a) and stems & {w[:5] for w in re.findall(r"[a-z]{5,}", a.lower())}:
                add_alias(e, a)
        n_esco += 1

    skills = []
    for e in entries.values():
        skills.append([e["id"], e["name"], e["category"], e["parent"], int(e["hot"]), e["aliases"]])
    curated = sum(len(e["aliases"]) for e in entries.values() if e["source"] == "curated")
    fuzzy_vocab = sorted(w for w in vocab if len(w) >= 3)
    out = {
        "version": 1,
        "sources": "O*NET 28.x Technology Skills (CC BY 4.0); ESCO v1.1 (European Commission)",
        "skills": skills,
        "vocab": fuzzy_vocab,
    }
    path = HERE / "taxonomy.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    n_alias = sum(len(s[5]) for s in skills)
    print(f"{len(skills)} skills ({n_onet} O*NET, {n_esco} ESCO), {n_alias} aliases")
    print(f"curated aliases (incl. O*NET merges): {curated}; vocab {len(fuzzy_vocab)}")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")



if __name__ == "__main__":
    main()
