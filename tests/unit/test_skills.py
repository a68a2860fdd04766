"""Skill taxonomy and extraction."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.skills import extract_skills, load_taxonomy

CURATED = Path(__file__).resolve().parents[2] / "tools" / "data" / "curated_skills.txt"


def names(text: str, **kw: bool) -> list[str]:
    return [m.name for m in extract_skills(text, **kw)]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("k8s", "Kubernetes"), ("JS", "JavaScript"), ("TS", "TypeScript"),
        ("postgres", "PostgreSQL"), ("ReactJS", "React"), ("React.js", "React"),
        ("Node", "Node.js"), ("GCP", "Google Cloud"), ("Amazon Web Services", "AWS"),
        ("sklearn", "scikit-learn"), ("ML", "Machine learning"), ("NLP", "NLP"),
        ("Microsoft Excel", "Excel"), ("golang", "Go"), ("CICD", "CI/CD"),
    ],
)
def test_aliases_resolve(alias: str, canonical: str) -> None:
    entry = load_taxonomy().lookup(alias)
    assert entry is not None and entry.name == canonical
    assert names(f"Skills: {alias}, Python") [0] == canonical


def test_go_word_boundaries() -> None:
    assert names("We build services in Go and Python.") == ["Go", "Python"]
    assert "Go" not in names("I worked at Google on the go-to team. Let's go!")
    assert "Go" not in names("Go to the office every day.")


def test_java_not_in_javascript() -> None:
    assert names("JavaScript and Java") == ["JavaScript", "Java"]


def test_r_and_c_need_context() -> None:
    assert names("Skills: R, Python, SQL") == ["R", "Python", "SQL"]
    assert names("Experience in C/C++ required") == ["C", "C++"]
    assert names("Our R&D team is in the C-suite, grade C.") == []
    assert "R" not in names("Mr. R Smith wrote a letter.")


def test_punctuation_skills() -> None:
    text = "C++, C#, .NET, Node.js, CI/CD and ASP.NET"
    assert names(text) == ["C++", "C#", ".NET", "Node.js", "CI/CD", "ASP.NET"]


def test_offsets_exact() -> None:
    text = "Senior dev: Kubernetes (k8s), PostgreSQL;\nReact.js + Django REST Framework."
    found = extract_skills(text)
    assert found
    for m in found:
        assert text[m.start : m.end] == m.surface
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_longest_match_wins() -> None:
    assert names("Spring Boot and Ruby on Rails") == ["Spring Boot", "Ruby on Rails"]


def test_fuzzy_near_misses() -> None:
    found = extract_skills("Deployed on Kubernets with Postgress")
    assert [(m.name, m.fuzzy) for m in found] == [("Kubernetes", True), ("PostgreSQL", True)]
    assert names("Deployed on Kubernets", fuzzy=False) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "I went to the store and bought some groceries with my friend yesterday.",
        "The committee reviewed the proposal carefully before making a decision.",
        "Please remember to bring your documents, passport and a pen tomorrow.",
        "She backed the car out slowly, then reacted quickly to the barking dog.",
    ],
)
def test_no_fuzzy_junk_on_plain_english(sentence: str) -> None:
    assert [m for m in extract_skills(sentence) if m.fuzzy] == []
    assert extract_skills(sentence) == []


def test_relation_credit() -> None:
    tax = load_taxonomy()
    assert tax.relation_credit("python", "python") == 1.0
    assert tax.relation_credit("django", "python") == 0.5
    assert tax.relation_credit("python", "django") == 0.25
    assert tax.relation_credit("django", "flask") == 0.2
    assert tax.relation_credit("nextjs", "javascript") == 0.5  # descendant
    assert tax.relation_credit("python", "excel") == 0.0


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("django", "python"), ("react", "javascript"), ("nextjs", "react"),
        ("pandas", "python"), ("spring", "java"), ("postgresql", "sql"), ("eks", "kubernetes"),
    ],
)
def test_parents(child: str, parent: str) -> None:
    entry = load_taxonomy().get(child)
    assert entry is not None and entry.parent == parent


def test_categories_valid() -> None:
    cats = {"language", "framework", "database", "cloud", "tool", "method", "soft", "domain"}
    tax = load_taxonomy()
    assert all(e.category in cats for e in tax)
    assert {e.category for e in tax} == cats
    assert tax.get("communication").category == "soft"  # type: ignore[union-attr]


def test_at_least_300_curated_aliases() -> None:
    count = 0
    for line in CURATED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            count += len([a for a in line.split("|")[4].split(";") if a.strip()])
    assert count >= 300


def test_deterministic() -> None:
    text = "Python, Go, AWS, Kubernets, stakeholder management, Scrum and TDD."
    assert extract_skills(text) == extract_skills(text)
    assert names(text) == [
        "Python", "Go", "AWS", "Kubernetes", "Stakeholder management", "Scrum", "TDD",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_never_crashes_offsets_valid(text: str) -> None:
    found = extract_skills(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Go", "R", "C", "C++", ",", " ", "/", "-", "Python", "go",
                                 ".", "NET", "&", "\n", "k8s", "Kubernets", ":"]), max_size=30))
def test_never_crashes_on_skill_soup(parts: list[str]) -> None:
    text = "".join(parts)
    for m in extract_skills(text):
        assert text[m.start : m.end] == m.surface


# --------------------------------------------------------------------------- review fixes


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # formerly aliases of another skill; now their own canonical skills
        ("forecasting", "Forecasting"), ("logistics", "Logistics"), ("GAAP", "GAAP"),
        ("IFRS", "IFRS"), ("copywriting", "Copywriting"),
        ("analytical skills", "Analytical skills"),
        ("procurement", "Procurement"), ("FP&A", "Financial planning and analysis"),
        ("Xero", "Xero"), ("QuickBooks", "QuickBooks"), ("SAML", "SAML"), ("SSO", "Single sign-on"),
        ("LightGBM", "LightGBM"), ("spreadsheets", "Spreadsheets"), ("NetSuite", "NetSuite"),
        ("ACCA", "ACCA"), ("M&A", "Mergers and acquisitions"), ("employment law", "Employment law"),
        ("message queues", "Message queues"), ("ActiveMQ", "ActiveMQ"), ("Cucumber", "Cucumber"),
        ("pharmacy", "Pharmacy"), ("patient care", "Patient care"), ("SolidWorks", "SolidWorks"),
        ("organizational skills", "Organisational skills"),
        ("Google Tag Manager", "Google Tag Manager"),
        ("version control", "Version control"), ("customer success", "Customer success"),
        ("generative AI", "Generative AI"), ("distributed systems", "Distributed systems"),
    ],
)
def test_formerly_conflated_aliases_are_own_skills(text: str, canonical: str) -> None:
    assert names(f"Skills: {text}, Python") == [canonical, "Python"]


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("gaap", "financial-reporting"), ("ifrs", "financial-reporting"),
        ("copywriting", "content-marketing"), ("logistics", "supply-chain"),
        ("procurement", "supply-chain"), ("xero", "accounting"), ("saml", "sso"),
        ("netsuite", "erp"), ("solidworks", "cad"), ("epic", "ehr"), ("cerner", "ehr"),
        ("acls", "bls"), ("bls", "first-aid"), ("git", "version-control"),
        ("rabbitmq", "message-queues"), ("llm", "generative-ai"), ("haccp", "food-safety"),
    ],
)
def test_split_concepts_keep_parent_relation(child: str, parent: str) -> None:
    entry = load_taxonomy().get(child)
    assert entry is not None and entry.parent == parent


def test_gaap_and_ifrs_are_siblings_not_synonyms() -> None:
    tax = load_taxonomy()
    assert tax.relation_credit("gaap", "ifrs") == 0.2
    assert tax.relation_credit("forecasting", "budgeting") == 0.0


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("the rest of the team works from home", "REST APIs"),
        ("You will shape strategy with the founders", "Strategic thinking"),
        ("Hewlett Packard printers", "HP-UX"),
        ("an independent publisher with 200 staff", "Microsoft Publisher"),
        ("Please write docs for new features", "Google Workspace"),
        ("Zoom calls and Chrome extensions", "Zoom"),
        ("Oracle Certified Professional, Java SE", "Oracle Database"),
        ("an assembly line in our factory", "Assembly"),
    ],
)
def test_common_words_are_not_skills(text: str, absent: str) -> None:
    assert absent not in names(text)


def test_no_duplicate_alias_keys_across_curated_entries() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_taxonomy", CURATED.parent /
                                                  "build_taxonomy.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.parse_curated(CURATED)  # raises SystemExit on an alias owned by two entries


COVERAGE = {
    "healthcare": [
        ("Epic EHR", "Epic"), ("Cerner", "Cerner"), ("IV therapy", "IV therapy"),
        ("wound care", "Wound care"), ("patient assessment", "Patient assessment"),
        ("medication administration", "Medication administration"),
        ("ICU", "Critical care"), ("critical care", "Critical care"), ("BLS", "BLS"),
        ("ACLS", "ACLS"), ("PALS", "PALS"), ("triage", "Triage"), ("phlebotomy", "Phlebotomy"),
        ("infection control", "Infection control"), ("HIPAA", "HIPAA"),
        ("care planning", "Care planning"),
    ],
    "finance": [
        ("reconciliation", "Reconciliation"), ("accounts payable", "Accounts payable"),
        ("accounts receivable", "Accounts receivable"), ("month-end close", "Month-end close"),
        ("financial modelling", "Financial modeling"), ("NetSuite", "NetSuite"),
        ("QuickBooks", "QuickBooks"), ("SAP FI", "SAP FI"), ("Xero", "Xero"),
        ("audit", "Auditing"), ("tax", "Taxation"),
    ],
    "marketing": [
        ("SEO", "SEO"), ("SEM", "SEM"), ("Google Ads", "Google Ads"), ("HubSpot", "HubSpot"),
        ("email marketing", "Email marketing"), ("A/B testing", "A/B testing"),
        ("copywriting", "Copywriting"), ("social media marketing", "Social media marketing"),
        ("Google Analytics", "Google Analytics"),
    ],
    "sales": [
        ("CRM", "CRM"), ("Salesforce", "Salesforce"), ("lead generation", "Lead generation"),
        ("cold calling", "Cold calling"), ("negotiation", "Negotiation"),
        ("account management", "Account management"),
        ("pipeline management", "Pipeline management"),
    ],
    "hr": [
        ("recruiting", "Recruitment"), ("onboarding", "Onboarding"), ("payroll", "Payroll"),
        ("Workday", "Workday"), ("employee relations", "Employee relations"), ("HRIS", "HRIS"),
    ],
    "teaching": [
        ("lesson planning", "Lesson planning"), ("classroom management", "Classroom management"),
        ("curriculum development", "Curriculum development"),
        ("differentiated instruction", "Differentiated instruction"),
    ],
    "trades": [
        ("AutoCAD", "AutoCAD"), ("SolidWorks", "SolidWorks"), ("PLC", "PLC"),
        ("electrical wiring", "Electrical wiring"), ("NEC code", "NEC"), ("HVAC", "HVAC"),
        ("CAD", "CAD"), ("FEA", "FEA"), ("MATLAB", "MATLAB"), ("Revit", "Revit"),
    ],
    "logistics": [
        ("inventory management", "Inventory management"), ("WMS", "WMS"),
        ("SAP MM", "SAP MM"), ("procurement", "Procurement"),
    ],
    "legal": [
        ("legal research", "Legal research"), ("contract drafting", "Contract drafting"),
        ("litigation", "Litigation"), ("e-discovery", "E-discovery"),
    ],
    "hospitality": [
        ("food safety", "Food safety"), ("HACCP", "HACCP"), ("menu planning", "Menu planning"),
    ],
    "tech": [
        ("Celery", "Celery"), ("business intelligence", "Business intelligence"),
        ("BI", "Business intelligence"),
    ],
}


@pytest.mark.parametrize(
    ("surface", "canonical"), [pair for pairs in COVERAGE.values() for pair in pairs]
)
def test_occupation_coverage(surface: str, canonical: str) -> None:
    found = extract_skills(f"Skills: {surface}; teamwork")
    assert [(m.name, m.surface) for m in found][0] == (canonical, surface)


# Pool variants too generic to be a skill on their own; the canonical form is recognised.
POOL_EXCEPTIONS = {"assessment", "retention"}


def _sample_pool_skills() -> list[tuple[str, str]]:
    from store.samples.generate import OCCUPATIONS

    out: list[tuple[str, str]] = []
    for occ in OCCUPATIONS.values():
        for skill in [*occ.get("core", []), *occ.get("nice", [])]:
            forms = skill.split("|")
            out.extend((forms[0], f) for f in forms if f not in POOL_EXCEPTIONS)
    return list(dict.fromkeys(out))


def test_every_sample_generator_skill_is_recognised() -> None:
    """Each surface form of the generator's skill pools maps to its canonical skill.

    A variant may map to a parent or child of the canonical one ("Agile|Scrum": Scrum is a child
    of Agile; "Health and Safety|OSHA"), never to an unrelated skill.
    """
    tax = load_taxonomy()
    bad = []
    for canonical, surface in _sample_pool_skills():
        want = tax.lookup(canonical)
        found = extract_skills(f"Skills: {surface}")
        got = found[0].skill_id if len(found) == 1 and found[0].surface == surface else None
        ok = want is not None and got is not None and (
            got == want.id or got in tax.ancestors(want.id) or want.id in tax.ancestors(got)
        )
        if not ok:
            bad.append((canonical, surface, got))
    assert bad == []


def test_sample_generator_canonical_forms_map_exactly() -> None:
    tax = load_taxonomy()
    for canonical, surface in _sample_pool_skills():
        if canonical == surface:
            entry = tax.lookup(canonical)
            assert entry is not None, canonical
            assert [m.skill_id for m in extract_skills(f"Skills: {surface}")] == [entry.id]


COMMON_WORDS = """
caching hashing logging routing parsing hosting scaling shipping billing pricing staging
tracing mocking batching indexing queries clusters servers clients webhooks pipelines latency
outages patches releases rollouts compiler debugging profiling refactoring migrations modules
plugins widgets layouts browsers laptops printers routers storage staffing hiring training
patients clinics kitchens cleaning invoices payments ledgers budgets markets wholesale
warehouses freight drawings writing editors speakers streaming sessions cookies searches
filters mapping merging branches commits labels ratings reviews creation computing
""".split()


@pytest.mark.parametrize("word", COMMON_WORDS)
def test_common_words_never_fuzzy_match(word: str) -> None:
    for text in (f"We rely on {word} every day.", f"Skills: {word.capitalize()}"):
        assert [m for m in extract_skills(text) if m.fuzzy] == []


def test_caching_is_not_mentoring() -> None:
    assert names("Experience with caching and message queues") == ["Message queues"]
    assert names("caching, sharding") == []


def test_fuzzy_still_finds_product_typos() -> None:
    found = extract_skills("Kubernets, Postgress, Terraform and Elasticsaerch")
    assert [(m.name, m.fuzzy) for m in found] == [
        ("Kubernetes", True), ("PostgreSQL", True), ("Terraform", False), ("Elasticsearch", True),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Airflow experience", ["Airflow"]),
        ("- Snowflake and dbt", ["Snowflake", "dbt"]),
        ("• Rust or Go", ["Rust", "Go"]),
        ("* Go (3+ years)", ["Go"]),
        ("1. Spring\n2. Kafka", ["Spring", "Kafka"]),
        ("Requirements:\nRust or Go\nAirflow experience\n", ["Rust", "Go", "Airflow"]),
        ("Nice to have\nSwift\n", ["Swift"]),
    ],
)
def test_ambiguous_names_at_list_item_start(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Go to the office every day.", "- Go to the office twice a week",
        "Spring is here.", "• Spring is here and so is the team offsite",
        "Swift onboarding for new hires.", "• Swift onboarding for new hires",
        "About the role\nGo to the office", "- Rust never sleeps, nor do we",
    ],
)
def test_prose_at_item_start_still_rejected(text: str) -> None:
    assert not {"Go", "Spring", "Swift", "Rust"} & set(names(text))


# --------------------------------------------------------------------------- employers, teams


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Company: Oracle", "Oracle Database"),
        ("Employer: Snowflake", "Snowflake"),
        ("Snowflake Inc. is hiring a data engineer", "Snowflake"),
        ("Databricks, Inc. builds a lakehouse", "Databricks"),
        ("SAP SE is looking for a consultant", "SAP"),
        ("Salesforce is hiring in Dublin", "Salesforce"),
        ("I worked at Salesforce for three years", "Salesforce"),
        ("Join Datadog in Paris", "Datadog"),
        ("Tableau Software was founded in 2003", "Tableau"),
    ],
)
def test_employer_names_are_not_skills(text: str, absent: str) -> None:
    assert absent not in names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience with Oracle and MySQL", ["Oracle Database", "MySQL"]),
        ("Skills: Snowflake, dbt", ["Snowflake", "dbt"]),
        ("Good at Salesforce and HubSpot", ["Salesforce", "HubSpot"]),
        ("Experience with Salesforce CRM is a plus", ["Salesforce"]),
        ("Docker is a must", ["Docker"]),
        ("Oracle Database and Amazon Web Services", ["Oracle Database", "AWS"]),
        ("We use Python as our main language", ["Python"]),
    ],
)
def test_skill_contexts_of_company_products_still_match(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Private healthcare and a pension", "Healthcare"),
        ("Healthcare and Insurance Plans", "Healthcare"),
        ("If you need adjustments to our recruitment process, tell us", "Recruitment"),
        ("a global leader in financial services", "Finance"),
        ("You will work closely with our HR team", "HR"),
        ("the financial services industry", "Finance"),
    ],
)
def test_areas_named_as_benefit_team_or_industry_are_not_skills(text: str, absent: str) -> None:
    assert absent not in names(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Senior Frontend Developer", "Frontend development"),
        ("Full Stack Developer (m/f/d)", "Full-stack development"),
        ("Quality Assurance Developer", "Quality assurance"),
        ("As a Site Reliability Engineer you will", "SRE"),
        ("support the UX designers", "UX design"),
        ("one of the fastest-growing Fintech startups", "Finance"),
        ("Experience working on a cloud-based application", "Cloud computing"),
    ],
)
def test_areas_named_in_a_role_or_description_are_not_skills(text: str, absent: str) -> None:
    assert absent not in names(text)
    assert absent in names(text, role_names=True)  # found, then dropped for its use


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senior Frontend Developer", ["Frontend development"]),
        ("QA Engineer", ["Quality assurance"]),
    ],
)
def test_role_names_keeps_areas_named_in_titles(text: str, expected: list[str]) -> None:
    # a CV's "Senior Frontend Developer" is evidence of frontend work (parse_cv asks for it)
    assert [m.name for m in extract_skills(text, role_names=True)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senior Java Developer", ["Java"]),  # technologies in titles stay evidence
        ("Experience with Agile and DevOps", ["Agile", "DevOps"]),
        ("Industry: Financial Services Company size: 10k+ people", ["Finance"]),
    ],
)
def test_technologies_in_titles_and_areas_in_skill_context_stay(
    text: str, expected: list[str]
) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 years of experience in healthcare", ["Healthcare"]),
        ("Skills: recruitment, onboarding, payroll", ["Recruitment", "Onboarding", "Payroll"]),
        ("Senior Java Developer", ["Java"]),
        ("Experience with cloud and Kubernetes", ["Cloud computing", "Kubernetes"]),
        ("Fluent in english and german", ["English", "German"]),
        ("Write tests with Jest and React Testing Library", ["Jest", "React Testing Library"]),
    ],
)
def test_area_skills_in_skill_context(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fluent in German and English (verbal and written)", ["German", "English"]),
        ("You speak and write English fluently.", ["English"]),
        ("Danish is a plus", ["Danish"]),
        ("Good written and spoken English", ["English"]),
        ("Excellent communication skills in English.", ["Communication", "English"]),
        ("Please apply in English.", []),
        ("The application must be submitted in English and include a CV.", []),
        ("the Danish Ministry of Science", []),
        ("our share of the German market", []),
    ],
)
def test_spoken_languages_as_skill_adjective_or_application_language(
    text: str, expected: list[str]
) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("We keep things open, agile and communicative.", "Agile"),
        ("Our customers come from the chemical industry and logistics.", "Logistics"),
        ("Currently we run our frontend with pure React.", "Frontend"),
        ("To find out more about working with us, search for us on social media.",
         "Social media marketing"),
    ],
)
def test_areas_in_the_employers_voice_are_not_skills(text: str, absent: str) -> None:
    assert absent not in names(text)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        # a candidate cue in the sentence: the area is asked of the candidate
        ("We expect solid experience of agile delivery.", "Agile"),
        ("Our finance team is looking for an accountant to support accounts payable.",
         "Accounts payable"),
        # a list item is a task or requirement, not a description of the company
        ("Duties:\n- Improve the observability of our event pipeline", "Monitoring"),
        # technologies stay whoever names them: "we build with React" says what the job uses
        ("Currently we run our frontend with pure React.", "React"),
    ],
)
def test_areas_asked_of_the_candidate_stay(text: str, present: str) -> None:
    assert present in names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Knowledge of TCP, UDP and IPv6; SSL certificates", ["Network protocols", "TLS/SSL"]),
        ("Experience with Windows and Linux servers", ["Windows", "Linux"]),
        ("Background in immunology or molecular biology", ["immunology", "Molecular biology"]),
        ("Skills: cell culture, qPCR, flow cytometry", ["Laboratory techniques"]),
        # generic words only in a skill context
        ("cloud security and messaging", ["Cloud computing", "Cybersecurity", "Message queues"]),
    ],
)
def test_standard_infrastructure_and_science_vocabulary(text: str, expected: list[str]) -> None:
    assert list(dict.fromkeys(names(text))) == expected


def test_generic_words_need_a_skill_context() -> None:
    assert names("Security guards patrol the building at night.") == []
    assert names("The windows face the garden.") == []


def test_an_organisations_unit_is_not_a_skill() -> None:
    assert "Physics" not in names("A PhD position is open at the Department of Physics.")
    assert "economics" not in names("She teaches at the Faculty of Economics.")
    assert "Physics" in names("You have a background in physics or chemistry.")
