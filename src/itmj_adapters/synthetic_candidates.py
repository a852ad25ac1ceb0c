"""Synthetic candidate profiles for demos and benchmarks: IT and engineering people, mostly in
the Gulf, in the JSONL shape ``itmj candidates import`` reads.

Deterministic: the same ``seed`` gives the same records, including the activity dates, which
are spread over the two years before an epoch: ``now`` when given (the demo dates its
candidates from its clock, so that some are always recently active), else one that the seed
also picks. Emails use the
reserved ``example.com`` domain, so no generated address belongs to anyone.
"""

import random
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import attrs

_BASE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_HISTORY = timedelta(days=730)


@attrs.frozen
class _Role:
    title: str
    family: str


@attrs.frozen
class _City:
    name: str
    country_id: int
    weight: float


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split("|"))


_ROLES = tuple(
    _Role(title, family)
    for family, titles in (
        ("process", "Process Engineer|Process Safety Engineer|Piping Engineer|"
         "Instrumentation Engineer"),
        ("mep", "HVAC Engineer|MEP Engineer|Mechanical Engineer|Commissioning Engineer"),
        ("electrical", "High Voltage Engineer|Low Voltage Engineer|Electrical Engineer|"
         "Substation Engineer|Solar PV Engineer"),
        ("civil", "Civil Engineer|Structural Engineer|Planning Engineer|QA/QC Engineer"),
        ("devops", "DevOps Engineer|Site Reliability Engineer|Cloud Engineer|Cloud Architect"),
        ("software", "Software Engineer|Backend Developer|Frontend Developer|"
         "Full Stack Developer|Mobile Developer|QA Engineer"),
        ("data", "Data Engineer|Data Scientist|Machine Learning Engineer|BI Developer"),
        ("network", "Network Engineer|Security Engineer|Systems Administrator|"
         "Database Administrator|IT Support Engineer"),
        ("management", "IT Manager|IT Project Manager|Scrum Master|Business Analyst|"
         "SAP Consultant"),
    )
    for title in _split(titles)
)

_SKILLS = {
    "process": _split(
        "Aspen HYSYS|P&ID|HAZOP|Process Safety|Process Design|PFD|Refining|Petrochemicals|"
        "Oil and Gas|Six Sigma|HVAC|AutoCAD|Heat Exchangers|Pumps|Instrumentation|DCS|"
        "SmartPlant|API Standards"
    ),
    "mep": _split(
        "HVAC|AutoCAD|Revit|MEP|Chillers|BMS|Fire Fighting|Plumbing|Energy Modelling|HAP|"
        "Ductwork|Testing and Commissioning|Low Voltage|Value Engineering|Navisworks"
    ),
    "electrical": _split(
        "High Voltage|Low Voltage|Medium Voltage|Substations|ETAP|SCADA|Switchgear|"
        "Protection Relays|Cable Sizing|Transformers|Power Systems|DIgSILENT|AutoCAD|PLC|"
        "Solar PV|Earthing|Testing and Commissioning"
    ),
    "civil": _split(
        "AutoCAD|Civil 3D|ETABS|SAP2000|STAAD Pro|Primavera P6|Revit|BIM|Site Supervision|"
        "Quantity Surveying|MS Project|Infrastructure|Tekla"
    ),
    "devops": _split(
        "Kubernetes|Docker|AWS|GCP|Azure|Terraform|Ansible|Jenkins|GitHub Actions|CI/CD|"
        "Prometheus|Grafana|Linux|Helm|Argo CD|Python|Bash|Go|OpenShift|Istio"
    ),
    "software": _split(
        "Python|Java|Go|TypeScript|JavaScript|Node.js|React|Angular|Vue.js|C#|.NET|"
        "Spring Boot|Django|FastAPI|PostgreSQL|MySQL|MongoDB|Redis|Kafka|REST APIs|GraphQL|"
        "Microservices|Docker|AWS|Kotlin|Swift|Flutter|Selenium|C++"
    ),
    "data": _split(
        "Python|SQL|Spark|Airflow|dbt|Snowflake|BigQuery|Pandas|scikit-learn|TensorFlow|"
        "PyTorch|Machine Learning|Tableau|Power BI|GCP|AWS|Kafka|Databricks|NLP|Statistics"
    ),
    "network": _split(
        "Cisco|CCNA|CCNP|Juniper|Fortinet|Palo Alto|Firewalls|SIEM|Splunk|ISO 27001|"
        "Penetration Testing|VMware|Active Directory|Windows Server|Linux|Oracle Database|"
        "SQL Server|Azure|AWS|ITIL"
    ),
    "management": _split(
        "Agile|Scrum|Jira|PMP|PRINCE2|Stakeholder Management|Budgeting|ITIL|SAP|Oracle ERP|"
        "SAP S/4HANA|Vendor Management|Risk Management|Power BI|Confluence"
    ),
}

_INDUSTRIES = {
    "process": _split("oil and gas|petrochemicals|refining|water treatment|fertilisers"),
    "mep": _split("construction|data centres|hospitality|healthcare|high-rise buildings"),
    "electrical": _split("utilities|renewable energy|data centres|construction|oil and gas"),
    "civil": _split("infrastructure|construction|real estate|transport|utilities"),
    "devops": _split("fintech|e-commerce|telecommunications|SaaS|government"),
    "software": _split("fintech|e-commerce|logistics|healthcare|SaaS|media"),
    "data": _split("retail banking|telecommunications|e-commerce|insurance|government"),
    "network": _split("telecommunications|banking|government|education|hospitality"),
    "management": _split("banking|telecommunications|government|retail|consulting"),
}

_WORK = {
    "process": _split(
        "process design for gas processing plants|debottlenecking studies|"
        "HAZOP and SIL reviews|FEED and detailed engineering"
    ),
    "mep": _split(
        "HVAC design and commissioning for hotels and hospitals|chilled water systems|"
        "MEP coordination on high-rise towers|energy audits and retrofits"
    ),
    "electrical": _split(
        "high voltage substations up to 132 kV|low voltage distribution design|"
        "protection coordination studies|solar PV plants and grid connections"
    ),
    "civil": _split(
        "roads, bridges and utilities|structural design of residential towers|"
        "planning and scheduling of mega projects|site supervision and QA/QC"
    ),
    "devops": _split(
        "Kubernetes platforms on AWS and GCP|CI/CD pipelines and infrastructure as code|"
        "observability with Prometheus and Grafana|migrations from on-premise to cloud"
    ),
    "software": _split(
        "REST APIs and microservices|customer-facing web applications|payment integrations|"
        "mobile apps with millions of users"
    ),
    "data": _split(
        "data pipelines and warehouses|machine learning models in production|"
        "dashboards for senior management|forecasting and churn models"
    ),
    "network": _split(
        "enterprise networks and firewalls|security operations and incident response|"
        "Windows and Linux server estates|database administration and backups"
    ),
    "management": _split(
        "ERP implementations|agile delivery of digital products|IT service management|"
        "vendor and budget management"
    ),
}

# (title prefix, share of candidates, fewest and most years of experience)
_SENIORITY = (
    ("Junior", 0.15, 0, 2),
    ("", 0.40, 2, 7),
    ("Senior", 0.30, 6, 15),
    ("Lead", 0.10, 8, 18),
    ("Principal", 0.05, 12, 25),
)

# City, ISO 3166-1 numeric code of its country, and how common it is in the data.
_CITIES = tuple(
    _City(name, country_id, weight)
    for name, country_id, weight in (
        ("Dubai", 784, 18), ("Abu Dhabi", 784, 7), ("Sharjah", 784, 3), ("Riyadh", 682, 8),
        ("Jeddah", 682, 4), ("Dammam", 682, 2), ("Doha", 634, 5), ("Kuwait City", 414, 3),
        ("Manama", 48, 2), ("Muscat", 512, 2), ("Cairo", 818, 4), ("Amman", 400, 2),
        ("Beirut", 422, 1), ("London", 826, 5), ("Manchester", 826, 1), ("Berlin", 276, 1.5),
        ("Munich", 276, 1), ("Paris", 250, 1), ("Amsterdam", 528, 1), ("Dublin", 372, 1),
        ("Warsaw", 616, 1), ("Bangalore", 356, 5), ("Mumbai", 356, 3), ("Pune", 356, 2),
        ("Hyderabad", 356, 2), ("Chennai", 356, 2), ("Karachi", 586, 2), ("Lahore", 586, 2),
        ("Manila", 608, 3), ("Colombo", 144, 1), ("Dhaka", 50, 1), ("Singapore", 702, 1.5),
        ("Kuala Lumpur", 458, 1), ("Toronto", 124, 1), ("New York", 840, 1),
        ("Sydney", 36, 0.5), ("Johannesburg", 710, 1), ("Lagos", 566, 1), ("Nairobi", 404, 1),
        ("Istanbul", 792, 1), ("Zürich", 756, 0.5),
    )
)
_GULF = (784, 682, 634, 414, 48, 512)
_CALLING_CODES = {
    784: "971", 682: "966", 634: "974", 414: "965", 48: "973", 512: "968", 818: "20",
    400: "962", 422: "961", 826: "44", 276: "49", 250: "33", 528: "31", 372: "353", 616: "48",
    356: "91", 586: "92", 608: "63", 144: "94", 50: "880", 702: "65", 458: "60", 124: "1",
    840: "1", 36: "61", 710: "27", 566: "234", 404: "254", 792: "90", 756: "41",
}

_FIRST_NAMES = _split(
    "Ahmed|Mohammed|Omar|Fatima|Aisha|Khalid|Youssef|Layla|Hassan|Mariam|Rahul|Priya|Arjun|"
    "Ananya|Vikram|Sneha|Imran|Sana|Bilal|Ayesha|Jose|Maria|Mark|Angelica|Paolo|James|Emma|"
    "Oliver|Sophie|Daniel|Anna|Lukas|Chloé|Mateo|Sofia|Chinedu|Amara|Kwame|Zanele|Mehmet|Elif|"
    "Wei|Mei|Hiroshi|Nadia|Rami|Dina|Karim|Noura"
)
_LAST_NAMES = _split(
    "Al Mansouri|Al Hashimi|Haddad|Khan|Hussain|Sharma|Patel|Iyer|Nair|Reddy|Qureshi|"
    "Siddiqui|Santos|Reyes|Cruz|Smith|Jones|Taylor|Müller|Schmidt|Dubois|García|Rossi|Okafor|"
    "Mensah|Dlamini|Y\u0131lmaz|Chen|Tanaka|Nasser|Farouk|Saleh|O'Brien|Kowalski|Fernandes"
)
_DEGREES = _split("BSc|BEng|MSc|MEng|Bachelor's degree|Master's degree")
_DISCIPLINES = {
    "process": "Chemical Engineering",
    "mep": "Mechanical Engineering",
    "electrical": "Electrical Engineering",
    "civil": "Civil Engineering",
    "devops": "Computer Science",
    "software": "Computer Science",
    "data": "Statistics",
    "network": "Information Technology",
    "management": "Business Administration",
}
_CERTIFICATIONS = {
    "process": _split("NEBOSH|PMP|CSWIP"),
    "mep": _split("LEED AP|ASHRAE|PMP"),
    "electrical": _split("IEEE member|NFPA 70E|PMP"),
    "civil": _split("PMP|Chartered Engineer"),
    "devops": _split("CKA|AWS Solutions Architect|Google Cloud Professional"),
    "software": _split("AWS Developer|Oracle Java"),
    "data": _split("Google Data Engineer|Databricks"),
    "network": _split("CCNP|CISSP|CEH"),
    "management": _split("PMP|PRINCE2|ITIL v4"),
}
_REGIONS = _split(
    "the GCC|the Middle East|Europe|South Asia|Africa|the UAE|Saudi Arabia|the United Kingdom|"
    "Asia Pacific|North America"
)
_NOTICE = _split("one month|two months|immediate|three months")


def generate(count: int, seed: int, now: datetime | None = None) -> Iterator[dict]:
    """``count`` candidate records, the same ones for the same ``seed``; their activity is
    dated back from ``now`` when given."""
    if count < 0:
        raise ValueError("count is not negative")
    rng = random.Random(seed)
    epoch = _BASE_EPOCH - timedelta(days=rng.randrange(365))
    if now is not None:
        epoch = now
    city_weights = [city.weight for city in _CITIES]
    seniority_weights = [weight for _, weight, _, _ in _SENIORITY]
    for number in range(1, count + 1):
        role = rng.choice(_ROLES)
        seniority, _, least, most = rng.choices(_SENIORITY, seniority_weights)[0]
        city = rng.choices(_CITIES, city_weights)[0]
        years = rng.randint(least, most)
        skills = _skills(rng, role.family)
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        yield {
            "externalId": f"syn-{seed}-{number:07d}",
            "fullName": f"{first} {last}",
            "email": f"{_ascii(first)}.{_ascii(last)}.{number}@example.com",
            "phone": _phone(rng, city.country_id),
            "headline": f"{seniority} {role.title}".strip(),
            "summary": _summary(rng, role, seniority, years, skills, city),
            "skills": skills,
            "city": city.name,
            "countryId": city.country_id,
            "preferredCountryIds": _preferred(rng, city.country_id),
            "lastActiveAt": _last_active(rng, epoch),
        }


def _skills(rng: random.Random, family: str) -> list[str]:
    own = _SKILLS[family]
    chosen = rng.sample(own, rng.randint(4, min(9, len(own))))
    if rng.random() < 0.3:
        other = _SKILLS[rng.choice(tuple(_SKILLS))]
        chosen.extend(skill for skill in rng.sample(other, 2) if skill not in chosen)
    return chosen


def _summary(
    rng: random.Random, role: _Role, seniority: str, years: int, skills: Sequence[str], city: _City
) -> str:
    family = role.family
    experience = {0: "less than a year", 1: "one year"}.get(years, f"{years} years")
    sentences = [
        f"{seniority or 'Experienced'} {role.title} with {experience} of experience in "
        f"{rng.choice(_INDUSTRIES[family])}.",
        f"Worked on {rng.choice(_WORK[family])} across {rng.choice(_REGIONS)}.",
        f"Hands-on with {', '.join(skills[:-1][:4])} and {skills[-1]}.",
    ]
    if seniority in ("Senior", "Lead", "Principal") and rng.random() < 0.6:
        sentences.append(
            f"Leads a team of {rng.randint(3, 25)} engineers and mentors junior staff."
        )
    elif seniority == "Junior":
        sentences.append("Eager to learn from senior engineers on large projects.")
    if rng.random() < 0.5:
        sentences.append(
            f"Holds a {rng.choice(_DEGREES)} in {_DISCIPLINES[family]}; "
            f"{rng.choice(_CERTIFICATIONS[family])} certified."
        )
    if rng.random() < 0.4:
        sentences.append(f"Based in {city.name}, available at {rng.choice(_NOTICE)} notice.")
    return " ".join(sentences)


def _phone(rng: random.Random, country_id: int) -> str:
    return f"+{_CALLING_CODES[country_id]} {rng.randint(50, 99)} {rng.randint(1000000, 9999999)}"


def _preferred(rng: random.Random, home: int) -> list[int]:
    wanted = set()
    if rng.random() < 0.6:
        wanted.add(home)
    wanted.update(rng.sample(_GULF, rng.randint(0, 3)))
    return sorted(wanted)


def _last_active(rng: random.Random, epoch: datetime) -> str:
    recent = rng.random() < 0.3
    age = timedelta(
        seconds=rng.uniform(0, (timedelta(days=30) if recent else _HISTORY).total_seconds())
    )
    return (epoch - age).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum())
