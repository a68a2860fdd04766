"""Benchmark and calibration for store.embeddings (figures only, no pass/fail).

Run: ``python -m tests.bench.bench_embeddings``

Prints throughput (texts/s, ~30-word texts, batch of 512), single-query latency, the cost of
padding every batch to 256 tokens vs dynamic padding, peak RSS, and the cosine distributions of
related and unrelated CV/job pairs from which SEMANTIC_FLOOR / SEMANTIC_CEIL are derived.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time

import numpy as np

from store.embeddings import SEMANTIC_CEIL, SEMANTIC_FLOOR, MiniLMEmbedder

# (occupation, CV-like snippet, job-ad-like snippet). Related pair: CV i with job i.
# Unrelated pair: CV i with job (i + k) % 30, the first k >= 15 landing in another field.
OCCUPATIONS: list[tuple[str, str, str]] = [
    (
        "python backend",
        "Senior Python developer, 7 years building REST APIs with Django and PostgreSQL, "
        "Celery task queues, Docker and AWS deployments.",
        "We are hiring a backend engineer (Python/Django) to design APIs, own our Postgres "
        "schema and ship services to AWS.",
    ),
    (
        "icu nurse",
        "Registered nurse with 6 years in intensive care: ventilated patients, medication "
        "administration, patient monitoring and family communication.",
        "ICU staff nurse wanted for night shifts; RN licence, critical care experience and BLS/"
        "ACLS certification required.",
    ),
    (
        "accountant",
        "Chartered accountant: month-end close, statutory accounts, VAT returns and audit "
        "preparation for mid-sized manufacturing firms.",
        "Financial accountant to run the monthly close, reconcile ledgers, prepare year-end "
        "statements and liaise with external auditors.",
    ),
    (
        "truck driver",
        "HGV class 1 driver, 10 years of long-haul deliveries across Europe, clean licence, "
        "tachograph and load security experience.",
        "Long-distance lorry driver (C+E licence) for international freight routes; digital "
        "tachograph card required.",
    ),
    (
        "frontend",
        "Frontend developer specialised in React and TypeScript, building accessible "
        "single-page applications and design systems.",
        "Front-end engineer to build our customer web app in React/TypeScript with a focus on "
        "accessibility and component libraries.",
    ),
    (
        "chef",
        "Sous chef in a busy Italian restaurant: menu planning, fresh pasta, kitchen hygiene, "
        "supervising a brigade of eight cooks.",
        "Head cook for our trattoria: lead the kitchen team, design seasonal menus and keep "
        "food safety standards.",
    ),
    (
        "data scientist",
        "Data scientist: churn prediction with gradient boosting, A/B test analysis, Python, "
        "pandas, scikit-learn and SQL.",
        "Looking for a data scientist to build predictive models, run experiments and turn "
        "data into product decisions (Python, SQL, ML).",
    ),
    (
        "electrician",
        "Qualified electrician: domestic and commercial wiring, consumer unit upgrades, fault "
        "finding and testing to BS 7671.",
        "Commercial electrician needed for installation, maintenance and inspection work; "
        "18th Edition and ECS card essential.",
    ),
    (
        "devops",
        "DevOps engineer running Kubernetes clusters, Terraform infrastructure as code, CI/CD "
        "pipelines in GitLab and Prometheus monitoring.",
        "Site reliability engineer to operate our Kubernetes platform, automate infrastructure "
        "with Terraform and improve observability.",
    ),
    (
        "teacher",
        "Primary school teacher, year 4 class of 30 pupils, lesson planning, phonics, "
        "safeguarding and parent meetings.",
        "Class teacher for KS2 at a friendly primary school; QTS required, strong behaviour "
        "management and planning skills.",
    ),
    (
        "mobile dev",
        "iOS developer with Swift and SwiftUI, shipped five apps to the App Store, Core Data, "
        "push notifications and in-app purchases.",
        "Mobile engineer (iOS, Swift) to build new features for our consumer app and maintain "
        "the release pipeline to the App Store.",
    ),
    (
        "warehouse",
        "Warehouse operative: forklift licence (counterbalance and reach), picking and "
        "packing, stock counts and goods-in checks.",
        "Warehouse associate for our distribution centre; forklift experience preferred, "
        "picking, packing and loading orders.",
    ),
    (
        "lawyer",
        "Corporate solicitor, 5 PQE, mergers and acquisitions, share purchase agreements, due "
        "diligence and shareholder disputes.",
        "Corporate lawyer to advise on M&A transactions, draft commercial contracts and lead "
        "due diligence workstreams.",
    ),
    (
        "plumber",
        "Plumber and gas engineer: boiler installation and servicing, bathroom fitting, leak "
        "repairs, Gas Safe registered.",
        "Gas Safe heating engineer wanted to install and repair boilers and central heating "
        "systems for residential customers.",
    ),
    (
        "marketing",
        "Digital marketing manager: SEO, paid social campaigns, Google Ads budgets, email "
        "automation and conversion tracking.",
        "Performance marketing lead to own paid search and social channels, optimise "
        "acquisition cost and grow organic traffic.",
    ),
    (
        "java backend",
        "Java engineer with Spring Boot microservices, Kafka event streaming, Oracle and "
        "JUnit testing in a banking environment.",
        "Backend developer (Java, Spring Boot) for our payments platform; experience with "
        "Kafka and relational databases.",
    ),
    (
        "pharmacist",
        "Community pharmacist: dispensing prescriptions, medicines use reviews, vaccinations "
        "and managing pharmacy staff.",
        "Pharmacist manager for a high-street pharmacy: clinical checks, patient "
        "consultations and running the dispensary.",
    ),
    (
        "sales",
        "B2B account executive selling SaaS to mid-market clients, consistently above quota, "
        "pipeline management in Salesforce.",
        "Account executive to close new business deals with mid-size companies; SaaS sales "
        "experience and CRM discipline required.",
    ),
    (
        "carpenter",
        "Carpenter and joiner: first and second fix, staircases, kitchen fitting and bespoke "
        "furniture, own tools.",
        "Experienced joiner for site work: door hanging, skirting, stairs and fitted "
        "kitchens on new-build homes.",
    ),
    (
        "security",
        "Security analyst: SIEM monitoring, incident response, vulnerability scanning and "
        "penetration testing, CISSP.",
        "Cyber security engineer to triage alerts, lead incident response and harden our "
        "cloud infrastructure.",
    ),
    (
        "hr",
        "HR business partner: employee relations cases, recruitment, performance reviews and "
        "HR policy in a 500-person company.",
        "People partner to advise managers on employee relations, talent acquisition and "
        "performance management.",
    ),
    (
        "civil engineer",
        "Civil engineer designing drainage and road schemes, AutoCAD Civil 3D, site "
        "supervision and contract administration.",
        "Highways engineer for infrastructure projects: design of roads and drainage, site "
        "inspections, NEC contracts.",
    ),
    (
        "customer support",
        "Customer service advisor handling inbound calls and live chat, resolving complaints "
        "and processing refunds.",
        "Customer support agent for our contact centre: answer customer queries by phone and "
        "chat and resolve issues first time.",
    ),
    (
        "graphic designer",
        "Graphic designer: brand identities, print layouts and social media assets with "
        "Adobe Illustrator, InDesign and Figma.",
        "Visual designer to create brand campaigns, marketing collateral and digital assets; "
        "strong Adobe Creative Suite skills.",
    ),
    (
        "mechanic",
        "Vehicle technician: servicing, diagnostics and repairs on cars and vans, MOT tester, "
        "brakes, clutches and engine faults.",
        "Motor mechanic for a busy garage: carry out services, diagnose faults and complete "
        "MOT tests.",
    ),
    (
        "project manager",
        "IT project manager delivering ERP rollouts, PRINCE2 and Agile, budget tracking, risk "
        "registers and stakeholder reporting.",
        "Project manager to lead software implementation projects end to end, managing "
        "scope, budget, risks and stakeholders.",
    ),
    (
        "dentist",
        "Dentist providing general dentistry: check-ups, fillings, root canal treatment and "
        "crowns, NHS and private patients.",
        "Associate dentist for a modern practice; full NHS and private list, GDC "
        "registration required.",
    ),
    (
        "ml engineer",
        "Machine learning engineer: deploying PyTorch models to production, feature stores, "
        "model monitoring and MLOps on GCP.",
        "ML engineer to productionise deep learning models, build training pipelines and "
        "monitor models in production.",
    ),
    (
        "care worker",
        "Care assistant supporting elderly residents with personal care, meals, medication "
        "prompts and activities in a care home.",
        "Support worker for our residential care home: personal care, companionship and "
        "helping residents with daily living.",
    ),
    (
        "architect",
        "Architect (RIBA) designing residential schemes, planning applications, Revit models "
        "and construction drawings.",
        "Project architect for housing developments: concept design through to technical "
        "drawings in Revit and planning submissions.",
    ),
]

# Broad fields (by index into OCCUPATIONS); everything else counts as its own field.
FIELDS: list[set[int]] = [
    {0, 4, 6, 8, 10, 15, 19, 27},  # software and data
    {1, 16, 26, 28},  # health and care
    {2, 12, 14, 17, 20, 22, 25},  # business and office
    {3, 7, 11, 13, 18, 21, 24, 29},  # trades, logistics, construction
]

# Near misses: same broad field, different job (not used for calibration, shown for context).
NEAR_MISSES: list[tuple[int, int]] = [(0, 15), (0, 4), (6, 27), (8, 19), (1, 16), (3, 11)]

WORDS = (
    "experienced engineer python django team delivery customer data reporting analysis "
    "project stakeholder budget design testing deployment cloud nurse patient care kitchen "
    "menu warehouse forklift sales pipeline contract audit ledger design brand campaign"
).split()


def _pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    related = [(cv, job) for _, cv, job in OCCUPATIONS]
    n = len(OCCUPATIONS)
    unrelated = [(OCCUPATIONS[i][1], OCCUPATIONS[_unrelated_job(i)][2]) for i in range(n)]
    return related, unrelated


def _field(i: int) -> int:
    return next((f for f, members in enumerate(FIELDS) if i in members), 100 + i)


def _unrelated_job(i: int) -> int:
    n = len(OCCUPATIONS)
    k = n // 2
    while _field((i + k) % n) == _field(i):
        k += 1
    return (i + k) % n


def _cosines(emb: object, pairs: list[tuple[str, str]]) -> np.ndarray:
    embed = emb.embed  # type: ignore[attr-defined]
    a = embed([p[0] for p in pairs])
    b = embed([p[1] for p in pairs])
    return np.sum(a * b, axis=1)


def _describe(label: str, xs: np.ndarray) -> None:
    q = np.percentile(xs, [5, 25, 50, 75, 95])
    print(
        f"  {label:<10} n={len(xs):>2}  min={xs.min():.3f}  p5={q[0]:.3f}  p25={q[1]:.3f}  "
        f"p50={q[2]:.3f}  p75={q[3]:.3f}  p95={q[4]:.3f}  max={xs.max():.3f}"
    )


def _texts(n: int, words: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(words - 8, words + 9))
        out.append(" ".join(rng.choice(WORDS, size=k)))
    return out


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _throughput(emb: MiniLMEmbedder, texts: list[str], repeats: int = 3) -> float:
    emb.embed(texts[:8])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        emb.embed(texts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def main() -> None:
    print(f"peak RSS before loading: {_rss_mb():.0f} MB")
    emb = MiniLMEmbedder()
    t0 = time.perf_counter()
    emb.load()
    print(f"load (hash check + session): {1000 * (time.perf_counter() - t0):.0f} ms")
    print(f"peak RSS after loading: {_rss_mb():.0f} MB")

    # --- sanity ---
    v = emb.embed(
        [
            "Senior Python developer with Django",
            "Backend engineer, Python/Django",
            "Registered nurse in an ICU",
        ]
    )
    print(
        f"sanity: cos(py-dev, backend-py)={v[0] @ v[1]:.3f}  cos(py-dev, nurse)={v[0] @ v[2]:.3f}"
    )

    # --- default configuration first (peak RSS is monotonic) ---
    texts = _texts(512, 30)
    print(
        "\nthroughput, 512 texts of ~30 words (default: dynamic padding, "
        f"batch {emb.batch_size}, {emb.max_batch_tokens} tokens/batch):"
    )
    print(f"  {_throughput(emb, texts):7.0f} texts/s")
    queries = _texts(200, 30, seed=2)
    lat = []
    for q in queries:
        t0 = time.perf_counter()
        emb.embed([q])
        lat.append(1000 * (time.perf_counter() - t0))
    lat.sort()
    print(
        f"single query (~30 words): p50={statistics.median(lat):.1f} ms  "
        f"p95={lat[int(0.95 * len(lat))]:.1f} ms"
    )
    long_texts = _texts(64, 180, seed=1)
    print(
        f"  64 texts of ~180 words (truncated at 256 tokens): "
        f"{_throughput(emb, long_texts, repeats=1):6.1f} texts/s"
    )
    print(f"peak RSS, default embedder after all of the above: {_rss_mb():.0f} MB")

    # --- comparisons (extra sessions; RSS below includes them) ---
    print("\nbatch size (dynamic padding, 512 x ~30 words):")
    for bs in (1, 8, 32, 64):
        e = MiniLMEmbedder(batch_size=bs, max_batch_tokens=1 << 20)
        print(f"  batch {bs:>2}: {_throughput(e, texts, repeats=1):7.0f} texts/s")
        del e
    e256 = MiniLMEmbedder(pad_to_max=True)
    short = texts[:64]
    dyn = _throughput(emb, short, repeats=1)
    fixed = _throughput(e256, short, repeats=1)
    print(
        f"padding, 64 x ~30 words: dynamic {dyn:.0f} texts/s vs padded to 256 {fixed:.1f} "
        f"texts/s ({dyn / fixed:.1f}x)"
    )
    lat256 = []
    for q in queries[:30]:
        t0 = time.perf_counter()
        e256.embed([q])
        lat256.append(1000 * (time.perf_counter() - t0))
    print(
        f"single query padded to 256: p50={statistics.median(lat256):.1f} ms "
        f"(dynamic: {statistics.median(lat):.1f} ms)"
    )
    print(f"peak RSS after comparisons: {_rss_mb():.0f} MB")

    # --- calibration ---
    related, unrelated = _pairs()
    rel = _cosines(emb, related)
    unr = _cosines(emb, unrelated)
    near = _cosines(emb, [(OCCUPATIONS[i][1], OCCUPATIONS[j][2]) for i, j in NEAR_MISSES])
    print("\ncosine distributions (CV-like vs job-like snippets):")
    _describe("related", rel)
    _describe("unrelated", unr)
    _describe("near-miss", near)
    floor = float(np.percentile(unr, 95))
    ceil = float(np.percentile(rel, 50))
    print(f"suggested SEMANTIC_FLOOR (p95 unrelated) = {floor:.3f}")
    print(f"suggested SEMANTIC_CEIL  (p50 related)   = {ceil:.3f}")
    print(f"module constants: SEMANTIC_FLOOR={SEMANTIC_FLOOR}  SEMANTIC_CEIL={SEMANTIC_CEIL}")
    separated = int(np.sum(rel[:, None] > unr[None, :]))
    print(
        f"related > unrelated in {separated}/{rel.size * unr.size} cross comparisons; "
        f"min related {rel.min():.3f} vs max unrelated {unr.max():.3f}"
    )
    for (i, j), c in zip(NEAR_MISSES, near, strict=True):
        print(f"  near miss {OCCUPATIONS[i][0]!r} CV vs {OCCUPATIONS[j][0]!r} job: {c:.3f}")
    for i in np.argsort(-unr)[:3]:
        j = _unrelated_job(i)
        print(
            f"  highest unrelated: {OCCUPATIONS[i][0]!r} CV vs {OCCUPATIONS[j][0]!r} job "
            f"{unr[i]:.3f}"
        )
    low = np.argsort(rel)[:3]
    for i in low:
        print(f"  weakest related: {OCCUPATIONS[i][0]!r} {rel[i]:.3f}")


if __name__ == "__main__":
    main()
