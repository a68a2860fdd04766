"""Ordinary words the skill extractor never reads as a misspelt skill name (:mod:`tools.skills`)."""

from __future__ import annotations

# Ordinary English and technical words that are never fuzzy-matched, nor fuzzy-match targets:
# many are one or two edits from some alias ("caching" ~ "coaching"). The taxonomy's vocab
# (ESCO label words, SkillSpan train words) covers most other words, but only for the text side:
# it also holds skill names ("python"), which must stay fuzzy targets.
COMMON_WORDS = frozenset(
    """
    caching cached hashing hashed logging logged routing routed parsing parsed testing tested
    hosting hosted coaching mentoring meeting meetings posting postings planning planned
    scaling scaled shipping shipped billing billed pricing priced staging staged tracing traced
    linting mocking mocked typing typed tuning tuned batching sharding indexing indexed queries
    queued queues caches schemas schema kernel kernels clusters cluster nodes servers server
    client clients webhook webhooks backups backup pipelines throughput latency uptime outage
    outages patches patching release releases rollout rollouts builds building compile compiler
    debugger debugging profiling profiler refactor refactoring migrating migration migrations
    modules module plugins plugin widgets widget layouts layout styling stylesheet folders
    folder browser browsers tablets tablet mobile laptops laptop desktop monitors printer
    printers scanner scanners network networks router routers cables storage staffing hiring
    training trainer teacher nurses patients patient clinics clinic doctors doctor surgery
    surgeon dental dentist kitchen kitchens cooking cleaning baking bakery waiter waiters
    serving counting accounts account ledger ledgers invoice invoices invoicing payment
    payments banker lending loans insurer claims closing closings budget budgets finances
    markets market brands selling seller sellers buyers buying shopping retail retailer
    wholesale warehouse warehouses delivery drivers driving driver trucks lorry freight cargo
    vessel vessels harbour harbor airport flights flying painting painter drawing drawings
    sketching sketches writing writer writers editing editor editors reading readers speaking
    speaker speakers listening singing dancing acting actor coding coder coders hacking hacker
    hackers gaming gamers player players streaming streamer cookies session sessions tokens
    token cookie login logins logout signup signups search searching searches sorting sorted
    filter filters filtering mapping mapped matching matched merging merged branching branches
    commits commit pushing pulled pulling tagging labels labeling labelling scoring scores
    ranking ranked rating ratings review reviews reviewing reviewer support supporting helping
    helpful friendly careful creative creation created creating compute computing computer
    computers hardware software
    """.split()
)
INFLECTIONS = ("s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions")


def is_wordy(low: str, vocab: frozenset[str]) -> bool:
    """True for common English words and their inflections."""
    if low in vocab or low in COMMON_WORDS:
        return True
    for suf in INFLECTIONS:
        if low.endswith(suf):
            stem = low[: -len(suf)]
            if stem in vocab or stem + "e" in vocab or stem in COMMON_WORDS:
                return True
    return False
