"""Deterministic generator of synthetic job postings and CVs.

Everything here is invented: company names, people, e-mail addresses (``@example.com``), phone
numbers (``555``) and wording. The generator is pure Python, uses only ``random.Random(seed)``
and never touches the network, so the same seed always yields the same data.

Public API:

- :func:`generate_jobs` — job postings in the importer's seed format (plus ``occupation`` and
  ``seniority`` labels for evaluation).
- :func:`generate_cvs` — CVs as ``{"id", "occupation", "seniority", "text"}``.
- :func:`relevance` — graded relevance label (0/1/2) of a job for a CV.
- ``python -m store.samples.generate --out store/samples`` writes the bundled sample.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- seniorities

SENIORITIES: tuple[str, ...] = ("intern", "junior", "mid", "senior", "lead", "principal", "manager")

#: Same ordering as ``tools.schemas.SENIORITY_RANK`` (manager sits beside lead).
SENIORITY_RANK: dict[str, int] = {
    "intern": 0, "junior": 1, "mid": 2, "senior": 3, "lead": 4, "manager": 4, "principal": 5,
}

#: (min, max) years of experience by seniority.
YEARS: dict[str, tuple[int, int]] = {
    "intern": (0, 0), "junior": (0, 2), "mid": (2, 5), "senior": (5, 9), "lead": (7, 12),
    "principal": (10, 18), "manager": (6, 15),
}

SALARY_FACTOR: dict[str, float] = {
    "intern": 0.42, "junior": 0.72, "mid": 1.0, "senior": 1.3, "lead": 1.48, "principal": 1.72,
    "manager": 1.55,
}

_DEFAULT_TITLE_PREFIX: dict[str, list[str]] = {
    "intern": ["{t} Intern", "Intern - {t}", "{t} Internship"],
    "junior": ["Junior {t}", "Jr. {t}", "Graduate {t}", "Entry-Level {t}", "Associate {t}"],
    "mid": ["{t}", "{t} II", "{t}"],
    "senior": ["Senior {t}", "Sr. {t}", "Senior {t}"],
    "lead": ["Lead {t}", "{t} Lead", "Team Lead, {t}"],
    "principal": ["Principal {t}", "Staff {t}", "Principal {t}"],
    "manager": ["{t} Manager", "Head of {t}", "Manager, {t}"],
}

# --------------------------------------------------------------------------- occupations
# Skills are written "Canonical|variant|variant": postings and CVs pick one surface form.

OCCUPATIONS: dict[str, dict[str, Any]] = {
    "backend_engineer": {
        "label": "Backend Engineer", "family": "tech", "base": 125_000,
        "titles": ["Backend Engineer", "Back-End Developer", "Backend Software Engineer",
                   "Software Engineer, Backend", "Server-Side Developer"],
        "manager_titles": ["Engineering Manager, Backend", "Backend Engineering Manager"],
        "core": ["Python", "Java", "Go|Golang", "SQL", "PostgreSQL|Postgres|Postgresql",
                 "REST APIs|RESTful APIs|REST", "Docker", "Git"],
        "nice": ["Kubernetes|k8s|K8s", "AWS|Amazon Web Services", "Redis", "Kafka|Apache Kafka",
                 "gRPC", "Microservices|microservices", "CI/CD", "Terraform", "GCP|Google Cloud",
                 "MongoDB|Mongo", "Django", "FastAPI", "Spring Boot"],
        "resp": ["design and build scalable REST and gRPC services",
                 "own the data model and write efficient SQL queries",
                 "improve the reliability and latency of our core APIs",
                 "review code and mentor other engineers",
                 "write unit and integration tests for new features",
                 "work with product managers to scope and ship features",
                 "participate in an on-call rotation for the services you build",
                 "migrate legacy services to a containerised platform",
                 "instrument services with metrics, logs and traces"],
        "degree": ["BS/MS in Computer Science or equivalent experience",
                   "a degree in Computer Science, Engineering or a related field",
                   "a Bachelor's degree in a technical field (or equivalent practical experience)"],
        "edu": [("bachelor", "Computer Science"), ("master", "Computer Science"),
                ("bachelor", "Software Engineering")],
        "certs": ["AWS Certified Developer - Associate", "Oracle Certified Professional, Java SE"],
        "industries": ["tech", "finance", "retail"],
    },
    "frontend_engineer": {
        "label": "Frontend Engineer", "family": "tech", "base": 118_000,
        "titles": ["Frontend Engineer", "Front-End Developer", "UI Engineer",
                   "Frontend Software Engineer", "Web Developer"],
        "manager_titles": ["Frontend Engineering Manager"],
        "core": ["JavaScript|JS|Javascript", "TypeScript|TS", "React|React.js|ReactJS",
                 "HTML|HTML5", "CSS|CSS3", "Git"],
        "nice": ["Next.js|NextJS", "Vue.js|Vue", "Redux", "Jest", "Webpack", "GraphQL",
                 "Tailwind CSS|Tailwind", "Storybook", "Cypress", "Figma", "Accessibility|a11y",
                 "Node.js|NodeJS|Node"],
        "resp": ["build accessible, responsive user interfaces",
                 "turn Figma designs into reusable components",
                 "improve Core Web Vitals and page load performance",
                 "maintain our design system and component library",
                 "write unit and end-to-end tests",
                 "collaborate with designers and backend engineers on new features",
                 "review pull requests and share frontend best practices",
                 "ship experiments behind feature flags"],
        "degree": ["a degree in Computer Science or equivalent experience",
                   "BS in Computer Science, HCI or a related field, or a strong portfolio"],
        "edu": [("bachelor", "Computer Science"), ("bachelor", "Interactive Media"),
                ("associate", "Web Development")],
        "certs": ["Meta Front-End Developer Certificate"],
        "industries": ["tech", "retail", "media"],
    },
    "fullstack_engineer": {
        "label": "Full-Stack Engineer", "family": "tech", "base": 122_000,
        "titles": ["Full-Stack Engineer", "Full Stack Developer", "Fullstack Software Engineer",
                   "Software Engineer (Full Stack)"],
        "manager_titles": ["Engineering Manager"],
        "core": ["JavaScript|JS", "TypeScript", "React|React.js", "Node.js|NodeJS|Node",
                 "SQL", "PostgreSQL|Postgres", "REST APIs|REST", "Git"],
        "nice": ["Python", "Docker", "AWS", "GraphQL", "Next.js", "MongoDB", "Redis", "CI/CD",
                 "Kubernetes|k8s", "Ruby on Rails|Rails", "Django"],
        "resp": ["build features end to end, from database schema to UI",
                 "design and maintain REST and GraphQL APIs",
                 "write clean, well-tested code across the stack",
                 "improve developer tooling and CI pipelines",
                 "work closely with product and design in short iterations",
                 "debug production issues and improve observability",
                 "contribute to architecture decisions"],
        "degree": ["a degree in Computer Science or equivalent experience",
                   "a BS in Computer Science or a related field, or a bootcamp plus experience"],
        "edu": [("bachelor", "Computer Science"), ("bachelor", "Information Systems")],
        "certs": ["AWS Certified Cloud Practitioner"],
        "industries": ["tech", "retail", "finance"],
    },
    "mobile_engineer": {
        "label": "Mobile Engineer", "family": "tech", "base": 124_000,
        "titles": ["Mobile Engineer", "iOS Developer", "Android Developer", "Mobile Developer",
                   "Mobile Software Engineer"],
        "manager_titles": ["Mobile Engineering Manager"],
        "core": ["Swift", "Kotlin", "iOS", "Android", "REST APIs|REST", "Git"],
        "nice": ["React Native", "Flutter", "SwiftUI", "Jetpack Compose", "Objective-C",
                 "Firebase", "GraphQL", "CI/CD", "Xcode", "Dart"],
        "resp": ["build and ship features for our iOS and Android apps",
                 "improve app start-up time and crash-free sessions",
                 "work with designers to create polished mobile experiences",
                 "write unit and UI tests",
                 "maintain our release pipeline to the App Store and Google Play",
                 "integrate with backend APIs and offline storage",
                 "mentor engineers on mobile architecture"],
        "degree": ["a degree in Computer Science or equivalent experience"],
        "edu": [("bachelor", "Computer Science"), ("bachelor", "Computer Engineering")],
        "certs": ["Associate Android Developer"],
        "industries": ["tech", "retail", "media"],
    },
    "data_scientist": {
        "label": "Data Scientist", "family": "data", "base": 128_000,
        "titles": ["Data Scientist", "Data Scientist, Analytics", "Applied Scientist",
                   "Data Scientist - Product"],
        "manager_titles": ["Data Science Manager", "Head of Data Science"],
        "core": ["Python", "SQL", "pandas|Pandas", "scikit-learn|sklearn|Scikit-learn",
                 "Statistics|statistical modelling", "Machine Learning|ML", "A/B testing"],
        "nice": ["R", "PyTorch", "TensorFlow", "Spark|PySpark|Apache Spark", "Tableau",
                 "NumPy|numpy", "XGBoost", "Jupyter", "dbt", "Snowflake", "Causal inference"],
        "resp": ["build predictive models that drive product decisions",
                 "design and analyse A/B tests",
                 "partner with product managers to define success metrics",
                 "communicate findings to non-technical stakeholders",
                 "clean, explore and model large datasets",
                 "productionise models together with ML engineers",
                 "build dashboards that track key business metrics"],
        "degree": ["an MS or PhD in Statistics, Computer Science, Mathematics or a related field",
                   "a degree in a quantitative field (Statistics, Economics, Physics...)"],
        "edu": [("master", "Statistics"), ("phd", "Physics"), ("master", "Data Science"),
                ("bachelor", "Mathematics")],
        "certs": ["Google Professional Data Engineer", "TensorFlow Developer Certificate"],
        "industries": ["tech", "finance", "retail", "health"],
    },
    "data_engineer": {
        "label": "Data Engineer", "family": "data", "base": 126_000,
        "titles": ["Data Engineer", "Analytics Engineer", "Big Data Engineer",
                   "Data Platform Engineer"],
        "manager_titles": ["Data Engineering Manager"],
        "core": ["Python", "SQL", "Spark|Apache Spark|PySpark", "Airflow|Apache Airflow",
                 "ETL|ELT", "Data Warehousing|data warehouse"],
        "nice": ["Kafka|Apache Kafka", "dbt", "Snowflake", "BigQuery", "AWS", "GCP",
                 "Docker", "Terraform", "Scala", "Databricks", "Redshift", "Kubernetes|k8s"],
        "resp": ["build and maintain batch and streaming data pipelines",
                 "model data in the warehouse for analytics use cases",
                 "monitor data quality and fix broken pipelines",
                 "optimise the cost and performance of our data platform",
                 "work with data scientists to productionise features",
                 "document datasets and ownership"],
        "degree": ["a degree in Computer Science, Engineering or a related field"],
        "edu": [("bachelor", "Computer Science"), ("master", "Information Systems")],
        "certs": ["Google Professional Data Engineer", "Databricks Certified Data Engineer",
                  "AWS Certified Data Engineer"],
        "industries": ["tech", "finance", "retail"],
    },
    "ml_engineer": {
        "label": "Machine Learning Engineer", "family": "data", "base": 140_000,
        "titles": ["Machine Learning Engineer", "ML Engineer", "MLOps Engineer",
                   "AI Engineer"],
        "manager_titles": ["Machine Learning Engineering Manager"],
        "core": ["Python", "PyTorch", "TensorFlow", "Machine Learning|ML",
                 "Docker", "MLOps", "SQL"],
        "nice": ["Kubernetes|k8s|K8s", "AWS|Amazon Web Services", "GCP", "MLflow", "Spark",
                 "scikit-learn|sklearn", "LLMs|large language models", "Kubeflow", "ONNX",
                 "Ray", "CI/CD"],
        "resp": ["train, evaluate and deploy machine learning models",
                 "build feature pipelines and model serving infrastructure",
                 "monitor model performance and drift in production",
                 "optimise inference latency and cost",
                 "collaborate with data scientists on experimentation",
                 "maintain our ML platform and tooling"],
        "degree": ["an MS or PhD in Computer Science, Machine Learning or a related field, or "
                   "equivalent industry experience"],
        "edu": [("master", "Computer Science"), ("phd", "Machine Learning"),
                ("bachelor", "Computer Engineering")],
        "certs": ["AWS Certified Machine Learning - Specialty",
                  "Google Professional Machine Learning Engineer"],
        "industries": ["tech", "finance", "health"],
    },
    "devops_engineer": {
        "label": "DevOps Engineer", "family": "tech", "base": 130_000,
        "titles": ["DevOps Engineer", "Site Reliability Engineer", "SRE", "Platform Engineer",
                   "Cloud Infrastructure Engineer"],
        "manager_titles": ["SRE Manager", "Head of Platform"],
        "core": ["Linux", "Kubernetes|k8s|K8s", "Docker", "Terraform", "AWS|Amazon Web Services",
                 "CI/CD|CI / CD", "Bash|shell scripting"],
        "nice": ["Prometheus", "Grafana", "Ansible", "Helm", "GCP|Google Cloud", "Azure",
                 "Python", "Go|Golang", "Jenkins", "GitHub Actions", "ArgoCD|Argo CD"],
        "resp": ["run and automate our cloud infrastructure",
                 "maintain Kubernetes clusters and CI/CD pipelines",
                 "define SLOs and improve monitoring and alerting",
                 "lead incident response and blameless post-mortems",
                 "reduce cloud costs without hurting reliability",
                 "write infrastructure as code",
                 "harden systems together with the security team"],
        "degree": ["a degree in Computer Science or equivalent experience",
                   "a technical degree or equivalent hands-on experience"],
        "edu": [("bachelor", "Computer Science"), ("bachelor", "Information Technology")],
        "certs": ["Certified Kubernetes Administrator (CKA)",
                  "AWS Certified Solutions Architect - Associate", "HashiCorp Terraform Associate"],
        "industries": ["tech", "finance", "media"],
    },
    "security_analyst": {
        "label": "Security Analyst", "family": "tech", "base": 110_000,
        "titles": ["Security Analyst", "Cyber Security Analyst", "SOC Analyst",
                   "Information Security Analyst", "Security Engineer"],
        "manager_titles": ["Security Operations Manager", "Head of Information Security"],
        "core": ["SIEM", "Incident Response", "Vulnerability Management", "Network Security",
                 "Splunk", "Linux"],
        "nice": ["Python", "AWS", "ISO 27001", "NIST", "Penetration Testing|pen testing",
                 "Wireshark", "EDR", "Threat Intelligence", "Azure", "Burp Suite"],
        "resp": ["monitor alerts and investigate security incidents",
                 "run vulnerability scans and track remediation",
                 "tune SIEM detections and reduce false positives",
                 "support ISO 27001 and SOC 2 audits",
                 "write and maintain incident response playbooks",
                 "train staff on security awareness"],
        "degree": ["a degree in Cyber Security, Computer Science or equivalent experience"],
        "edu": [("bachelor", "Cyber Security"), ("bachelor", "Computer Science")],
        "certs": ["CompTIA Security+", "CISSP", "GIAC Certified Incident Handler (GCIH)",
                  "Certified Ethical Hacker (CEH)"],
        "industries": ["tech", "finance", "health"],
    },
    "qa_engineer": {
        "label": "QA Engineer", "family": "tech", "base": 95_000,
        "titles": ["QA Engineer", "Test Automation Engineer", "Software Development Engineer in "
                   "Test", "Quality Assurance Analyst", "QA Analyst"],
        "manager_titles": ["QA Manager", "Head of Quality"],
        "core": ["Test Automation|automated testing", "Selenium", "Manual Testing",
                 "Test Planning|test plans", "JIRA|Jira", "API testing"],
        "nice": ["Cypress", "Playwright", "Python", "Java", "Postman", "CI/CD", "JMeter",
                 "SQL", "Appium", "Cucumber"],
        "resp": ["design test plans and test cases for new features",
                 "build and maintain automated regression suites",
                 "report, triage and track defects",
                 "run performance and load tests",
                 "work with developers to improve testability",
                 "own release sign-off"],
        "degree": ["a degree in Computer Science or equivalent experience"],
        "edu": [("bachelor", "Computer Science"), ("associate", "Information Technology")],
        "certs": ["ISTQB Foundation Level", "ISTQB Advanced Test Automation Engineer"],
        "industries": ["tech", "finance", "retail"],
    },
    "product_manager": {
        "label": "Product Manager", "family": "business", "base": 130_000,
        "titles": ["Product Manager", "Product Owner", "Technical Product Manager",
                   "Digital Product Manager"],
        "manager_titles": ["Group Product Manager", "Head of Product"],
        "title_map": {"principal": ["Principal Product Manager"],
                      "lead": ["Lead Product Manager", "Senior Product Owner"]},
        "core": ["Product Strategy|product strategy", "Roadmapping|roadmaps",
                 "User Research|user research", "Agile|Scrum", "Stakeholder Management",
                 "Data Analysis|data-driven decision making"],
        "nice": ["SQL", "JIRA|Jira", "A/B testing", "Figma", "Amplitude", "Confluence",
                 "OKRs", "Mixpanel", "B2B SaaS"],
        "resp": ["own the product roadmap for your area",
                 "talk to customers and turn insights into requirements",
                 "write clear user stories and acceptance criteria",
                 "prioritise the backlog with engineering and design",
                 "define and track success metrics",
                 "align stakeholders across sales, marketing and support",
                 "run discovery and launch new features"],
        "degree": ["a Bachelor's degree; an MBA or technical degree is a plus"],
        "edu": [("bachelor", "Business Administration"), ("master", "MBA"),
                ("bachelor", "Computer Science")],
        "certs": ["Certified Scrum Product Owner (CSPO)", "Pragmatic Institute PMC-III"],
        "industries": ["tech", "finance", "retail", "media"],
    },
    "ux_designer": {
        "label": "UX Designer", "family": "design", "base": 105_000,
        "titles": ["UX Designer", "Product Designer", "UX/UI Designer", "Interaction Designer",
                   "User Experience Designer"],
        "manager_titles": ["Design Manager", "Head of Design"],
        "core": ["Figma", "User Research|user research", "Wireframing|wireframes",
                 "Prototyping|prototypes", "Usability Testing|usability testing",
                 "Interaction Design"],
        "nice": ["Sketch", "Adobe XD", "Design Systems|design systems", "HTML", "CSS",
                 "Accessibility|WCAG", "Miro", "Information Architecture", "Journey mapping"],
        "resp": ["design end-to-end user journeys for web and mobile",
                 "run usability tests and synthesise findings",
                 "create wireframes, prototypes and high-fidelity designs",
                 "contribute to and evolve our design system",
                 "work closely with product managers and engineers",
                 "present design rationale to stakeholders"],
        "degree": ["a degree in HCI, Design or a related field, or an equivalent portfolio"],
        "edu": [("bachelor", "Human-Computer Interaction"), ("bachelor", "Graphic Design"),
                ("master", "Interaction Design")],
        "certs": ["Google UX Design Certificate", "NN/g UX Certification"],
        "industries": ["tech", "retail", "media"],
    },
    "graphic_designer": {
        "label": "Graphic Designer", "family": "design", "base": 65_000,
        "titles": ["Graphic Designer", "Visual Designer", "Brand Designer",
                   "Digital Designer"],
        "manager_titles": ["Creative Director", "Design Lead"],
        "title_map": {"principal": ["Senior Art Director"]},
        "core": ["Adobe Photoshop|Photoshop", "Adobe Illustrator|Illustrator",
                 "Adobe InDesign|InDesign", "Typography|typography", "Branding|brand identity",
                 "Layout design"],
        "nice": ["Figma", "After Effects", "Motion graphics", "Print production", "Canva",
                 "Photography", "Premiere Pro", "Social media content"],
        "resp": ["create visual assets for campaigns, web and print",
                 "maintain brand guidelines across channels",
                 "design social media graphics and ad creatives",
                 "prepare files for print production",
                 "collaborate with marketing and copywriters",
                 "present concepts and iterate on feedback"],
        "degree": ["a degree in Graphic Design or a related field, or an equivalent portfolio"],
        "edu": [("bachelor", "Graphic Design"), ("associate", "Visual Communication"),
                ("bachelor", "Fine Arts")],
        "certs": ["Adobe Certified Professional"],
        "industries": ["media", "retail", "tech"],
    },
    "marketing_manager": {
        "label": "Marketing Manager", "family": "business", "base": 98_000,
        "titles": ["Marketing Manager", "Digital Marketing Manager", "Growth Marketing Manager",
                   "Marketing Specialist", "Performance Marketing Manager"],
        "manager_titles": ["Head of Marketing", "Marketing Director"],
        "title_map": {"junior": ["Marketing Coordinator", "Marketing Assistant",
                                 "Junior Marketing Executive"],
                      "intern": ["Marketing Intern"],
                      "mid": ["Marketing Manager", "Digital Marketing Manager",
                              "Marketing Specialist"],
                      "senior": ["Senior Marketing Manager", "Senior Growth Marketer"],
                      "lead": ["Marketing Lead", "Lead Growth Marketer"],
                      "principal": ["Principal Marketing Strategist"]},
        "core": ["SEO", "Google Analytics|GA4", "Content Marketing|content marketing",
                 "Email Marketing|email campaigns", "Paid Social|paid social",
                 "Campaign Management"],
        "nice": ["Google Ads|PPC", "HubSpot", "Salesforce", "SEM", "Marketing Automation",
                 "Excel|MS Excel", "Copywriting", "Looker Studio", "Mailchimp", "Brand Strategy"],
        "resp": ["plan and run multi-channel marketing campaigns",
                 "own the marketing budget and report on ROI",
                 "grow organic traffic through SEO and content",
                 "manage agencies and freelancers",
                 "build email nurture programmes",
                 "work with sales on lead generation targets",
                 "analyse campaign performance and optimise spend"],
        "degree": ["a Bachelor's degree in Marketing, Business or Communications"],
        "edu": [("bachelor", "Marketing"), ("bachelor", "Communications"),
                ("master", "Marketing")],
        "certs": ["Google Ads Certification", "HubSpot Inbound Marketing Certification",
                  "CIM Diploma in Professional Marketing"],
        "industries": ["tech", "retail", "media", "hospitality"],
    },
    "content_writer": {
        "label": "Content Writer", "family": "business", "base": 62_000,
        "titles": ["Content Writer", "Copywriter", "Content Marketing Writer",
                   "Technical Writer", "Content Editor"],
        "manager_titles": ["Content Manager", "Head of Content"],
        "core": ["Copywriting|copywriting", "Editing|editing and proofreading",
                 "SEO", "Content Strategy|content strategy", "WordPress", "Research"],
        "nice": ["Google Analytics", "HubSpot", "Social Media|social media",
                 "AP Style", "Markdown", "CMS", "Canva", "Email Marketing"],
        "resp": ["write blog posts, landing pages and long-form guides",
                 "edit and proofread content from other writers",
                 "research topics and interview subject-matter experts",
                 "optimise content for search",
                 "keep a consistent brand voice across channels",
                 "manage the editorial calendar"],
        "degree": ["a degree in English, Journalism, Communications or similar"],
        "edu": [("bachelor", "English Literature"), ("bachelor", "Journalism"),
                ("master", "Creative Writing")],
        "certs": ["HubSpot Content Marketing Certification"],
        "industries": ["media", "tech", "retail"],
    },
    "sales_rep": {
        "label": "Sales Representative", "family": "sales", "base": 70_000,
        "titles": ["Sales Representative", "Account Executive", "Business Development "
                   "Representative", "Sales Development Representative", "Inside Sales Rep"],
        "manager_titles": ["Sales Manager", "Head of Sales"],
        "title_map": {"junior": ["Sales Development Representative", "Junior Account Executive",
                                 "Business Development Representative"],
                      "senior": ["Senior Account Executive", "Senior Sales Representative"],
                      "lead": ["Sales Team Lead"], "principal": ["Strategic Account Executive"]},
        "core": ["B2B Sales|B2B sales", "Salesforce|SFDC", "Cold Calling|cold outreach",
                 "Negotiation|negotiation", "Pipeline Management|pipeline management",
                 "CRM"],
        "nice": ["HubSpot", "LinkedIn Sales Navigator", "SaaS", "MEDDIC", "Excel",
                 "Outreach", "Solution Selling", "Forecasting"],
        "resp": ["prospect and qualify new business opportunities",
                 "run discovery calls and product demos",
                 "manage a pipeline of deals in the CRM",
                 "negotiate contracts and close deals",
                 "hit and exceed quarterly quota",
                 "work with marketing on outbound campaigns"],
        "degree": ["a Bachelor's degree is preferred but not required"],
        "edu": [("bachelor", "Business"), ("bachelor", "Communications"),
                ("high_school", "High School Diploma")],
        "certs": ["Salesforce Certified Administrator", "Sandler Sales Training"],
        "industries": ["tech", "retail", "finance", "manufacturing"],
    },
    "account_manager": {
        "label": "Account Manager", "family": "sales", "base": 78_000,
        "titles": ["Account Manager", "Customer Success Manager", "Key Account Manager",
                   "Client Relationship Manager"],
        "manager_titles": ["Head of Account Management", "Customer Success Director"],
        "title_map": {"junior": ["Junior Account Manager", "Account Coordinator"],
                      "senior": ["Senior Account Manager", "Senior Customer Success Manager"],
                      "lead": ["Account Management Team Lead"],
                      "principal": ["Strategic Account Director"]},
        "core": ["Account Management|account management", "Salesforce|SFDC", "Upselling",
                 "Customer Retention|retention", "Relationship Building", "CRM"],
        "nice": ["HubSpot", "Gainsight", "Excel|MS Excel", "Negotiation", "SaaS",
                 "QBRs|quarterly business reviews", "Zendesk", "Forecasting"],
        "resp": ["own a book of key customer accounts",
                 "run quarterly business reviews",
                 "identify upsell and cross-sell opportunities",
                 "reduce churn through proactive engagement",
                 "be the voice of the customer internally",
                 "coordinate renewals with finance and legal"],
        "degree": ["a Bachelor's degree in Business or a related field"],
        "edu": [("bachelor", "Business Administration"), ("bachelor", "Marketing")],
        "certs": ["Certified Customer Success Manager (CCSM)"],
        "industries": ["tech", "finance", "manufacturing", "retail"],
    },
    "customer_support": {
        "label": "Customer Support Specialist", "family": "service", "base": 48_000,
        "titles": ["Customer Support Specialist", "Customer Service Representative",
                   "Support Agent", "Technical Support Specialist", "Customer Care Advisor"],
        "manager_titles": ["Customer Support Manager", "Head of Support"],
        "title_map": {"lead": ["Support Team Lead", "Customer Service Team Leader"],
                      "principal": ["Principal Support Engineer"]},
        "core": ["Customer Service|customer service", "Zendesk", "Ticketing systems",
                 "Troubleshooting|troubleshooting", "Communication skills",
                 "Live chat"],
        "nice": ["Salesforce Service Cloud", "Intercom", "Freshdesk", "SQL", "Excel",
                 "Knowledge base writing", "Jira", "Spanish"],
        "resp": ["answer customer questions by email, chat and phone",
                 "troubleshoot technical issues and escalate bugs",
                 "keep our help centre articles up to date",
                 "hit response-time and satisfaction targets",
                 "log feedback for the product team",
                 "handle refunds and billing questions"],
        "degree": ["a high school diploma; a degree is a plus"],
        "edu": [("high_school", "High School Diploma"), ("associate", "Business"),
                ("bachelor", "Psychology")],
        "certs": ["HDI Customer Service Representative", "Zendesk Support Administrator"],
        "industries": ["tech", "retail", "hospitality", "finance"],
    },
    "hr_generalist": {
        "label": "HR Generalist", "family": "people", "base": 70_000,
        "titles": ["HR Generalist", "Human Resources Generalist", "People Partner",
                   "HR Business Partner", "HR Advisor"],
        "manager_titles": ["HR Manager", "Head of People"],
        "title_map": {"junior": ["HR Assistant", "HR Coordinator", "People Operations "
                                 "Coordinator"],
                      "principal": ["Senior HR Business Partner"]},
        "core": ["Employee Relations|employee relations", "HRIS", "Onboarding|onboarding",
                 "Employment Law|employment law", "Performance Management",
                 "Payroll|payroll"],
        "nice": ["Workday", "BambooHR", "Excel|MS Excel", "Benefits Administration",
                 "CIPD", "Compensation", "Talent Management", "SAP SuccessFactors"],
        "resp": ["advise managers on employee relations cases",
                 "run onboarding and offboarding",
                 "maintain employee records in the HRIS",
                 "support performance review cycles",
                 "keep policies compliant with employment law",
                 "coordinate payroll inputs and benefits"],
        "degree": ["a degree in Human Resources, Business or Psychology"],
        "edu": [("bachelor", "Human Resource Management"), ("bachelor", "Psychology"),
                ("master", "Human Resources")],
        "certs": ["SHRM-CP", "CIPD Level 5", "PHR"],
        "industries": ["tech", "retail", "health", "manufacturing"],
    },
    "recruiter": {
        "label": "Recruiter", "family": "people", "base": 72_000,
        "titles": ["Recruiter", "Technical Recruiter", "Talent Acquisition Partner",
                   "Talent Acquisition Specialist", "Recruitment Consultant"],
        "manager_titles": ["Talent Acquisition Manager", "Head of Talent"],
        "title_map": {"junior": ["Recruitment Coordinator", "Junior Recruiter",
                                 "Sourcer"]},
        "core": ["Sourcing|sourcing", "Full-cycle recruiting|full cycle recruitment",
                 "Applicant Tracking Systems|ATS", "LinkedIn Recruiter", "Interviewing",
                 "Stakeholder Management"],
        "nice": ["Greenhouse", "Lever", "Workday", "Employer Branding", "Boolean search",
                 "Excel", "Diversity recruiting", "Workable"],
        "resp": ["own full-cycle recruiting for technical and business roles",
                 "source passive candidates on LinkedIn and beyond",
                 "partner with hiring managers on role scoping",
                 "run structured interview processes",
                 "manage offers and candidate experience",
                 "report on funnel metrics and time-to-hire"],
        "degree": ["a Bachelor's degree or equivalent experience"],
        "edu": [("bachelor", "Psychology"), ("bachelor", "Business"),
                ("bachelor", "Sociology")],
        "certs": ["AIRS Certified Internet Recruiter", "LinkedIn Certified Professional "
                  "Recruiter"],
        "industries": ["tech", "finance", "health", "retail"],
    },
    "accountant": {
        "label": "Accountant", "family": "finance", "base": 75_000,
        "titles": ["Accountant", "Staff Accountant", "Management Accountant",
                   "Financial Accountant", "General Ledger Accountant"],
        "manager_titles": ["Finance Manager", "Accounting Manager", "Controller"],
        "title_map": {"junior": ["Junior Accountant", "Accounts Assistant", "Accounts Payable "
                                 "Clerk"],
                      "principal": ["Group Financial Controller"]},
        "core": ["GAAP|US GAAP", "Month-end close|month end close", "Reconciliations|account "
                 "reconciliations", "Excel|MS Excel|Microsoft Excel", "General Ledger",
                 "Accounts Payable|AP"],
        "nice": ["IFRS", "SAP", "NetSuite", "QuickBooks", "Xero", "VAT", "Audit|audit "
                 "preparation", "Sage", "Power BI"],
        "resp": ["prepare monthly journals and reconciliations",
                 "own the month-end close for several entities",
                 "support the annual external audit",
                 "manage accounts payable and receivable",
                 "prepare VAT and sales tax returns",
                 "improve finance processes and controls"],
        "degree": ["a degree in Accounting or Finance", "a Bachelor's in Accounting; CPA, ACA "
                   "or ACCA (qualified or part-qualified)"],
        "edu": [("bachelor", "Accounting"), ("bachelor", "Finance"),
                ("master", "Accounting")],
        "certs": ["CPA", "ACCA", "CIMA", "ACA"],
        "industries": ["finance", "retail", "manufacturing", "tech"],
    },
    "financial_analyst": {
        "label": "Financial Analyst", "family": "finance", "base": 88_000,
        "titles": ["Financial Analyst", "FP&A Analyst", "Finance Analyst", "Investment Analyst",
                   "Business Finance Analyst"],
        "manager_titles": ["FP&A Manager", "Head of FP&A"],
        "core": ["Financial Modelling|financial modeling", "Excel|MS Excel|Microsoft Excel",
                 "Forecasting|forecasting", "Budgeting|budgeting", "Variance Analysis",
                 "Financial Reporting"],
        "nice": ["SQL", "Power BI", "Tableau", "Python", "SAP", "Anaplan", "VBA", "DCF",
                 "NetSuite", "Hyperion"],
        "resp": ["build and maintain financial models",
                 "run the monthly forecast and budget process",
                 "analyse variances against plan",
                 "prepare board and management reporting",
                 "support pricing and investment decisions",
                 "partner with department heads on spend"],
        "degree": ["a degree in Finance, Economics, Accounting or a quantitative field"],
        "edu": [("bachelor", "Finance"), ("bachelor", "Economics"), ("master", "Finance")],
        "certs": ["CFA Level I", "CFA Level II", "FMVA"],
        "industries": ["finance", "tech", "retail", "manufacturing"],
    },
    "registered_nurse": {
        "label": "Registered Nurse", "family": "health", "base": 82_000, "hourly": 0.5,
        "titles": ["Registered Nurse", "RN", "Staff Nurse", "Registered Nurse - Med/Surg",
                   "ICU Registered Nurse", "Emergency Department Nurse"],
        "manager_titles": ["Nurse Manager", "Ward Manager"],
        "title_map": {"intern": ["Student Nurse"], "junior": ["Newly Qualified Nurse",
                                                              "Graduate Registered Nurse"],
                      "mid": ["Registered Nurse", "Staff Nurse", "RN - Med/Surg"],
                      "senior": ["Senior Staff Nurse", "Charge Nurse"],
                      "lead": ["Charge Nurse", "Clinical Nurse Lead"],
                      "principal": ["Clinical Nurse Specialist", "Nurse Practitioner"]},
        "core": ["Patient Care|patient care", "Medication Administration", "BLS",
                 "Patient Assessment", "Electronic Health Records|EHR", "Care Planning"],
        "nice": ["ACLS", "Epic", "Cerner", "IV Therapy", "Wound Care", "Triage", "PALS",
                 "Infection Control", "Telemetry"],
        "resp": ["assess, plan and deliver patient care",
                 "administer medications and IV therapy safely",
                 "document care in the electronic health record",
                 "educate patients and families",
                 "work with physicians and the multidisciplinary team",
                 "respond to emergencies and deteriorating patients",
                 "supervise students and healthcare assistants"],
        "degree": ["a BSN or nursing diploma and an active RN license",
                   "current NMC registration (Adult Nursing)"],
        "edu": [("bachelor", "Nursing (BSN)"), ("associate", "Nursing (ADN)")],
        "certs": ["RN License", "BLS", "ACLS", "PALS"],
        "industries": ["health"],
        "seniorities": ["intern", "junior", "mid", "senior", "lead", "principal", "manager"],
    },
    "pharmacist": {
        "label": "Pharmacist", "family": "health", "base": 128_000, "hourly": 0.3,
        "titles": ["Pharmacist", "Clinical Pharmacist", "Retail Pharmacist",
                   "Community Pharmacist", "Staff Pharmacist"],
        "manager_titles": ["Pharmacy Manager", "Director of Pharmacy"],
        "title_map": {"intern": ["Pharmacy Intern"], "junior": ["Pre-registration Pharmacist",
                                                                "Staff Pharmacist"],
                      "lead": ["Lead Pharmacist"], "principal": ["Principal Pharmacist"]},
        "core": ["Dispensing|dispensing", "Medication Review|medication reviews",
                 "Pharmacology", "Patient Counselling|patient counseling",
                 "Drug Interactions", "Controlled Drugs"],
        "nice": ["Clinical Pharmacy", "Immunizations|vaccinations", "Epic", "Compounding",
                 "Pharmacy Management Systems", "Anticoagulation", "Inventory Management"],
        "resp": ["dispense prescriptions accurately and safely",
                 "counsel patients on their medicines",
                 "carry out clinical medication reviews",
                 "manage controlled drugs and stock",
                 "supervise pharmacy technicians",
                 "advise prescribers on drug interactions"],
        "degree": ["a PharmD and an active pharmacist license",
                   "an MPharm and GPhC registration"],
        "edu": [("phd", "Doctor of Pharmacy (PharmD)"), ("master", "Pharmacy (MPharm)")],
        "certs": ["Pharmacist License", "Immunization Certification", "BCPS"],
        "industries": ["health", "retail"],
    },
    "teacher": {
        "label": "Teacher", "family": "education", "base": 58_000,
        "titles": ["Teacher", "Secondary School Teacher", "Math Teacher", "Science Teacher",
                   "Primary School Teacher", "English Teacher"],
        "manager_titles": ["Head of Department", "Assistant Principal"],
        "title_map": {"intern": ["Student Teacher", "Teaching Intern"],
                      "junior": ["Newly Qualified Teacher", "Early Career Teacher",
                                 "Teaching Assistant"],
                      "senior": ["Senior Teacher", "Experienced Teacher"],
                      "lead": ["Lead Teacher", "Subject Lead"],
                      "principal": ["Master Teacher", "Curriculum Lead"]},
        "core": ["Lesson Planning|lesson planning", "Classroom Management",
                 "Curriculum Development|curriculum design", "Differentiated Instruction",
                 "Student Assessment|assessment", "Safeguarding"],
        "nice": ["Google Classroom", "SEN|special educational needs", "EdTech", "Microsoft Teams",
                 "Parent Communication", "STEM", "Behaviour Management", "IB"],
        "resp": ["plan and deliver engaging lessons",
                 "assess student progress and give feedback",
                 "differentiate instruction for mixed-ability classes",
                 "communicate with parents and carers",
                 "contribute to curriculum development",
                 "take part in extracurricular activities"],
        "degree": ["a Bachelor's degree and a teaching license or QTS",
                   "a PGCE or state teaching certification"],
        "edu": [("bachelor", "Education"), ("master", "Education"),
                ("bachelor", "Mathematics")],
        "certs": ["QTS", "PGCE", "State Teaching License", "TEFL"],
        "industries": ["education"],
    },
    "project_manager": {
        "label": "Project Manager", "family": "business", "base": 100_000,
        "titles": ["Project Manager", "IT Project Manager", "Delivery Manager",
                   "Technical Project Manager", "Programme Manager"],
        "manager_titles": ["PMO Manager", "Head of Delivery"],
        "title_map": {"junior": ["Project Coordinator", "Junior Project Manager",
                                 "Project Administrator"],
                      "senior": ["Senior Project Manager"], "lead": ["Lead Project Manager"],
                      "principal": ["Principal Programme Manager"]},
        "core": ["Project Management|project management", "Agile|Scrum",
                 "Risk Management|risk management", "Stakeholder Management",
                 "Budget Management|budgeting", "MS Project|Microsoft Project"],
        "nice": ["PMP", "PRINCE2", "JIRA|Jira", "Confluence", "Smartsheet", "Kanban",
                 "Change Management", "Excel", "Asana"],
        "resp": ["plan and deliver projects on time and on budget",
                 "manage risks, issues and dependencies",
                 "run steering meetings and status reporting",
                 "coordinate cross-functional teams and vendors",
                 "manage scope and change requests",
                 "improve delivery processes across the PMO"],
        "degree": ["a Bachelor's degree; PMP or PRINCE2 certification preferred"],
        "edu": [("bachelor", "Business Management"), ("bachelor", "Engineering"),
                ("master", "Project Management")],
        "certs": ["PMP", "PRINCE2 Practitioner", "Certified ScrumMaster (CSM)"],
        "industries": ["tech", "construction", "finance", "manufacturing"],
    },
    "logistics_coordinator": {
        "label": "Logistics Coordinator", "family": "ops", "base": 62_000,
        "titles": ["Logistics Coordinator", "Operations Coordinator", "Supply Chain Analyst",
                   "Warehouse Operations Supervisor", "Transport Planner"],
        "manager_titles": ["Operations Manager", "Logistics Manager", "Warehouse Manager"],
        "title_map": {"senior": ["Senior Logistics Coordinator", "Senior Supply Chain Analyst"],
                      "lead": ["Operations Team Lead", "Shift Lead"],
                      "principal": ["Supply Chain Lead"]},
        "core": ["Supply Chain|supply chain", "Inventory Management|inventory control",
                 "Logistics|logistics", "Excel|MS Excel", "Shipping and Receiving",
                 "Vendor Management"],
        "nice": ["SAP", "WMS|warehouse management systems", "Lean|Lean Six Sigma", "ERP",
                 "Forklift license", "Power BI", "Oracle", "Demand Planning", "Incoterms"],
        "resp": ["coordinate inbound and outbound shipments",
                 "keep stock levels accurate and investigate discrepancies",
                 "liaise with carriers, suppliers and customers",
                 "track KPIs such as on-time delivery and pick accuracy",
                 "improve warehouse processes and safety",
                 "plan staffing for shifts"],
        "degree": ["a degree in Supply Chain, Logistics or Business, or equivalent experience"],
        "edu": [("bachelor", "Supply Chain Management"), ("associate", "Logistics"),
                ("bachelor", "Business")],
        "certs": ["APICS CSCP", "Lean Six Sigma Green Belt", "CILT Certificate"],
        "industries": ["logistics", "retail", "manufacturing"],
    },
    "electrician": {
        "label": "Electrician", "family": "trades", "base": 62_000, "hourly": 0.6,
        "titles": ["Electrician", "Journeyman Electrician", "Maintenance Electrician",
                   "Commercial Electrician", "Electrical Technician"],
        "manager_titles": ["Electrical Supervisor", "Electrical Contracts Manager"],
        "title_map": {"intern": ["Electrical Apprentice"], "junior": ["Apprentice Electrician",
                                                                      "Electrician's Mate"],
                      "senior": ["Senior Electrician", "Master Electrician"],
                      "lead": ["Lead Electrician", "Electrical Foreman"],
                      "principal": ["Master Electrician"]},
        "core": ["Electrical Installation|electrical installations", "Wiring|wiring",
                 "Blueprint Reading|reading blueprints", "NEC|National Electrical Code",
                 "Troubleshooting", "Health and Safety|OSHA"],
        "nice": ["PLC", "Conduit Bending", "Fire Alarm Systems", "18th Edition",
                 "Solar PV", "EV charger installation", "Motor Controls", "Testing and "
                 "Inspection"],
        "resp": ["install and maintain electrical systems in commercial buildings",
                 "read and work from drawings and schematics",
                 "diagnose and repair electrical faults",
                 "carry out testing and inspection",
                 "follow site health and safety rules",
                 "supervise apprentices on site"],
        "degree": ["a completed electrical apprenticeship and a valid license",
                   "NVQ Level 3 in Electrotechnical Installation and 18th Edition"],
        "edu": [("high_school", "High School Diploma"), ("associate", "Electrical Technology")],
        "certs": ["Journeyman Electrician License", "OSHA 30", "18th Edition (BS 7671)",
                  "ECS Gold Card"],
        "industries": ["construction", "manufacturing"],
    },
    "mechanical_engineer": {
        "label": "Mechanical Engineer", "family": "engineering", "base": 92_000,
        "titles": ["Mechanical Engineer", "Design Engineer", "Mechanical Design Engineer",
                   "Product Development Engineer"],
        "manager_titles": ["Engineering Manager, Mechanical", "Head of Mechanical Engineering"],
        "core": ["SolidWorks", "CAD", "GD&T", "FEA|finite element analysis",
                 "Mechanical Design|mechanical design", "Prototyping"],
        "nice": ["AutoCAD", "ANSYS", "MATLAB", "CATIA", "Creo", "DFM", "Six Sigma",
                 "3D printing", "Python", "Thermodynamics"],
        "resp": ["design mechanical components and assemblies",
                 "run FEA and tolerance analysis",
                 "produce detailed drawings with GD&T",
                 "build and test prototypes",
                 "work with suppliers on manufacturability",
                 "support production and root-cause analysis"],
        "degree": ["a BS in Mechanical Engineering", "a degree in Mechanical Engineering; "
                   "Chartered or PE status is a plus"],
        "edu": [("bachelor", "Mechanical Engineering"), ("master", "Mechanical Engineering")],
        "certs": ["Certified SolidWorks Professional (CSWP)", "PE License", "CEng"],
        "industries": ["manufacturing", "construction", "tech"],
    },
    "civil_engineer": {
        "label": "Civil Engineer", "family": "engineering", "base": 90_000,
        "titles": ["Civil Engineer", "Structural Engineer", "Site Engineer",
                   "Highways Engineer", "Civil Design Engineer"],
        "manager_titles": ["Civil Engineering Manager", "Project Director"],
        "core": ["AutoCAD|Autocad", "Civil 3D|AutoCAD Civil 3D", "Structural Analysis",
                 "Site Supervision|site supervision", "Construction Management",
                 "Drainage Design"],
        "nice": ["Revit", "MicroStation", "BIM", "Eurocodes", "HEC-RAS", "Project "
                 "Management", "Geotechnical", "STAAD.Pro", "Primavera P6"],
        "resp": ["design roads, drainage and structures",
                 "prepare drawings, calculations and specifications",
                 "supervise contractors on site",
                 "review designs for code compliance",
                 "manage project budgets and programmes",
                 "liaise with clients and local authorities"],
        "degree": ["a BS/BEng in Civil Engineering; EIT/PE or working towards Chartership"],
        "edu": [("bachelor", "Civil Engineering"), ("master", "Structural Engineering")],
        "certs": ["PE License", "EIT", "CEng (ICE)", "CSCS Card"],
        "industries": ["construction"],
    },
    "lawyer": {
        "label": "Lawyer", "family": "legal", "base": 150_000,
        "titles": ["Associate Attorney", "Corporate Lawyer", "Solicitor", "In-house Counsel",
                   "Commercial Lawyer"],
        "manager_titles": ["General Counsel", "Head of Legal"],
        "title_map": {"intern": ["Summer Associate", "Legal Intern"],
                      "junior": ["Junior Associate", "Trainee Solicitor", "NQ Solicitor"],
                      "mid": ["Associate Attorney", "Solicitor", "Commercial Lawyer"],
                      "senior": ["Senior Associate", "Senior Counsel"],
                      "lead": ["Lead Counsel", "Legal Lead"],
                      "principal": ["Partner", "Principal Counsel"]},
        "core": ["Contract Drafting|contract drafting", "Legal Research|legal research",
                 "Commercial Law", "Negotiation", "Due Diligence|due diligence",
                 "Regulatory Compliance"],
        "nice": ["GDPR", "M&A", "Litigation", "Westlaw", "LexisNexis", "Employment Law",
                 "Intellectual Property", "Corporate Governance"],
        "resp": ["draft and negotiate commercial contracts",
                 "advise the business on legal risk",
                 "carry out legal research and due diligence",
                 "manage external counsel",
                 "support M&A transactions",
                 "keep policies compliant with regulation"],
        "degree": ["a JD and admission to the state bar", "a qualified solicitor (England & "
                   "Wales) with a law degree or conversion"],
        "edu": [("phd", "Juris Doctor (JD)"), ("bachelor", "Law (LLB)"), ("master", "LLM")],
        "certs": ["State Bar Admission", "SRA Qualified Solicitor"],
        "industries": ["legal", "finance", "tech"],
    },
    "paralegal": {
        "label": "Paralegal", "family": "legal", "base": 58_000,
        "titles": ["Paralegal", "Legal Assistant", "Litigation Paralegal",
                   "Corporate Paralegal", "Legal Secretary"],
        "manager_titles": ["Paralegal Manager", "Legal Operations Manager"],
        "title_map": {"senior": ["Senior Paralegal"], "lead": ["Lead Paralegal"],
                      "principal": ["Senior Legal Executive"]},
        "core": ["Legal Research|legal research", "Document Review|document review",
                 "Case Management", "E-Discovery|eDiscovery", "Legal Drafting",
                 "Microsoft Office|MS Office"],
        "nice": ["Westlaw", "LexisNexis", "Clio", "Relativity", "Court Filing|e-filing",
                 "Contract Management", "Notary Public", "Litigation Support"],
        "resp": ["prepare legal documents and correspondence",
                 "manage case files and deadlines",
                 "conduct legal research for attorneys",
                 "organise discovery and document productions",
                 "file documents with the courts",
                 "liaise with clients and opposing counsel"],
        "degree": ["a paralegal certificate or a Bachelor's degree"],
        "edu": [("associate", "Paralegal Studies"), ("bachelor", "Legal Studies"),
                ("bachelor", "Political Science")],
        "certs": ["NALA Certified Paralegal (CP)", "CILEx Level 3"],
        "industries": ["legal", "finance"],
    },
    "chef": {
        "label": "Chef", "family": "hospitality", "base": 52_000, "hourly": 0.4,
        "titles": ["Chef", "Line Cook", "Chef de Partie", "Sous Chef", "Cook"],
        "manager_titles": ["Kitchen Manager", "Executive Chef"],
        "title_map": {"intern": ["Kitchen Intern", "Culinary Intern"],
                      "junior": ["Commis Chef", "Line Cook", "Prep Cook"],
                      "mid": ["Chef de Partie", "Cook", "Line Cook"],
                      "senior": ["Sous Chef", "Senior Chef de Partie"],
                      "lead": ["Head Chef", "Chef de Cuisine"],
                      "principal": ["Executive Chef"]},
        "core": ["Food Preparation|food prep", "Food Safety|food hygiene", "Menu Planning",
                 "Knife Skills", "Kitchen Management", "HACCP"],
        "nice": ["Pastry", "Inventory Management", "Cost Control|food cost control",
                 "Butchery", "Catering", "Allergen management", "Team Leadership",
                 "ServSafe"],
        "resp": ["prepare dishes to a consistent high standard",
                 "run your section during busy services",
                 "maintain food safety and HACCP records",
                 "help design seasonal menus",
                 "order stock and control food costs",
                 "train and supervise junior kitchen staff"],
        "degree": ["a culinary diploma or equivalent kitchen experience",
                   "Level 2 Food Hygiene certificate"],
        "edu": [("associate", "Culinary Arts"), ("high_school", "High School Diploma")],
        "certs": ["ServSafe Food Handler", "Level 2 Food Hygiene", "Level 3 Food Safety"],
        "industries": ["hospitality"],
    },
}

#: Closely related occupations (symmetric closure applied below).
_RELATED_PAIRS: list[tuple[str, str]] = [
    ("backend_engineer", "fullstack_engineer"), ("frontend_engineer", "fullstack_engineer"),
    ("frontend_engineer", "mobile_engineer"), ("backend_engineer", "devops_engineer"),
    ("backend_engineer", "data_engineer"), ("data_engineer", "data_scientist"),
    ("data_scientist", "ml_engineer"), ("ml_engineer", "data_engineer"),
    ("devops_engineer", "security_analyst"), ("qa_engineer", "backend_engineer"),
    ("qa_engineer", "frontend_engineer"), ("product_manager", "project_manager"),
    ("ux_designer", "graphic_designer"), ("ux_designer", "product_manager"),
    ("marketing_manager", "content_writer"), ("sales_rep", "account_manager"),
    ("account_manager", "customer_support"), ("hr_generalist", "recruiter"),
    ("accountant", "financial_analyst"), ("registered_nurse", "pharmacist"),
    ("lawyer", "paralegal"), ("mechanical_engineer", "civil_engineer"),
    ("logistics_coordinator", "project_manager"),
]
RELATED_OCCUPATIONS: dict[str, frozenset[str]] = {
    occ: frozenset(
        [b for a, b in _RELATED_PAIRS if a == occ] + [a for a, b in _RELATED_PAIRS if b == occ]
    )
    for occ in OCCUPATIONS
}


def posting_text(job: dict[str, Any]) -> str:
    """The posting as a job board page shows it: title, company, place, pay, then the text."""
    where = " · ".join(x for x in (job.get("company"), job.get("location"),
                                   job.get("remote")) if x)
    lines = [job.get("title") or "", where]
    if job.get("salary"):
        lines.append(f"Salary: {job['salary']}")
    return "\n".join(x for x in lines if x) + "\n\n" + job.get("description", "")


def relevance(cv: dict[str, Any], job: dict[str, Any]) -> int:
    """Graded relevance of ``job`` for ``cv`` (for ranking evaluation, e.g. nDCG).

    2 = same occupation and seniority within one step; 1 = same occupation at another seniority,
    or a closely related occupation (:data:`RELATED_OCCUPATIONS`); 0 otherwise.
    """
    c_occ, j_occ = cv["occupation"], job["occupation"]
    if c_occ == j_occ:
        gap = abs(SENIORITY_RANK[cv["seniority"]] - SENIORITY_RANK[job["seniority"]])
        return 2 if gap <= 1 else 1
    return 1 if j_occ in RELATED_OCCUPATIONS.get(c_occ, frozenset()) else 0

# --------------------------------------------------------------------------- places & money

#: country code -> (currency, salary factor vs US, cities)
COUNTRIES: dict[str, tuple[str, float, list[str]]] = {
    "US": ("USD", 1.0, ["San Francisco, CA", "New York, NY", "Austin, TX", "Seattle, WA",
                        "Chicago, IL", "Boston, MA", "Denver, CO", "Atlanta, GA", "Raleigh, NC",
                        "Portland, OR", "Minneapolis, MN", "Phoenix, AZ", "Pittsburgh, PA"]),
    "UK": ("GBP", 0.58, ["London, UK", "Manchester, UK", "Edinburgh, UK", "Bristol, UK",
                         "Leeds, UK", "Cambridge, UK", "Birmingham, UK", "Glasgow, UK"]),
    "DE": ("EUR", 0.68, ["Berlin, Germany", "Munich, Germany", "Hamburg, Germany",
                         "Frankfurt, Germany", "Cologne, Germany"]),
    "FR": ("EUR", 0.58, ["Paris, France", "Lyon, France", "Toulouse, France",
                         "Nantes, France"]),
    "NL": ("EUR", 0.66, ["Amsterdam, Netherlands", "Rotterdam, Netherlands",
                         "Utrecht, Netherlands", "Eindhoven, Netherlands"]),
    "CA": ("CAD", 1.02, ["Toronto, ON, Canada", "Vancouver, BC, Canada",
                         "Montreal, QC, Canada", "Calgary, AB, Canada", "Ottawa, ON, Canada"]),
    "IE": ("EUR", 0.72, ["Dublin, Ireland", "Cork, Ireland", "Galway, Ireland"]),
    "ES": ("EUR", 0.45, ["Madrid, Spain", "Barcelona, Spain", "Valencia, Spain",
                         "Málaga, Spain"]),
}
_COUNTRY_WEIGHTS: list[tuple[str, int]] = [
    ("US", 36), ("UK", 18), ("DE", 10), ("FR", 7), ("NL", 7), ("CA", 10), ("IE", 6), ("ES", 6),
]
_REMOTE_LOCATIONS: dict[str, str] = {
    "US": "Remote (US)", "UK": "Remote - UK", "DE": "Remote (Germany)", "FR": "Remote, France",
    "NL": "Remote (EU)", "CA": "Remote - Canada", "IE": "Remote (Europe)", "ES": "Remote - EMEA",
}
_REMOTE_SHARE: dict[str, float] = {
    "tech": 0.35, "data": 0.35, "design": 0.3, "business": 0.25, "sales": 0.25, "service": 0.3,
    "people": 0.2, "finance": 0.15, "health": 0.0, "education": 0.0, "ops": 0.03,
    "trades": 0.0, "engineering": 0.05, "legal": 0.1, "hospitality": 0.0,
}
_SYMBOL = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$"}

_COMPANY_STEMS = [
    "Brightfold", "Quarrybrook", "Ambervale", "Tidewell", "Kestrelmoor", "Lumenpath", "Corvane",
    "Halcyra", "Ironleaf", "Mossgate", "Pinecrest", "Veridane", "Saltmarsh", "Oakhollow",
    "Glimmerton", "Fernwick", "Coldharbour", "Starling Ridge", "Bluecairn", "Redwater",
    "Thistledown", "Harrowgate", "Silverbirch", "Nimbleton", "Orchardine", "Westerly",
    "Copperline", "Larkspire", "Driftwood", "Marrowfield", "Emberly", "Cobaltine", "Granitefall",
    "Highmoor", "Wrenfield", "Zephyrine", "Aldermoor", "Quillon", "Trellison", "Valewind",
]
_INDUSTRY_SUFFIX: dict[str, list[str]] = {
    "tech": ["Labs", "Systems", "Software", "Analytics", "Cloud", "AI", "Technologies", "io"],
    "finance": ["Capital", "Bank", "Financial", "Insurance", "Payments", "Wealth"],
    "retail": ["Retail", "Goods", "Market", "Outfitters", "Brands", "Home"],
    "media": ["Media", "Studios", "Publishing", "Creative", "Broadcasting"],
    "health": ["Health", "Medical Center", "Hospital", "Pharmacy", "Clinic", "Care Group"],
    "education": ["Academy", "High School", "College", "Learning Trust", "Primary School"],
    "legal": ["LLP", "Law Group", "& Partners", "Legal"],
    "hospitality": ["Kitchen", "Bistro", "Hotel & Spa", "Dining Group", "Brasserie"],
    "construction": ["Construction", "Builders", "Infrastructure", "Engineering", "Civils"],
    "manufacturing": ["Manufacturing", "Industries", "Robotics", "Components", "Motors"],
    "logistics": ["Logistics", "Freight", "Distribution", "Supply Co.", "Transport"],
}
_INDUSTRY_BLURB: dict[str, list[str]] = {
    "tech": ["builds software that helps {big} businesses run their operations",
             "is a fast-growing SaaS company used by more than {big} teams",
             "is a product-led technology company backed by leading investors",
             "makes developer tools loved by {big} engineers worldwide"],
    "finance": ["is a digital bank serving {big} customers",
                "is an insurance provider modernising how claims are handled",
                "is an independent investment firm managing client assets across Europe and "
                "North America", "builds payment infrastructure for {big} merchants"],
    "retail": ["is an omnichannel retailer with {small} stores and a growing online business",
               "sells sustainable home goods direct to consumers",
               "is one of the fastest-growing e-commerce brands in its category"],
    "media": ["is an independent publisher reaching {big} readers every month",
              "is a creative studio producing content for global brands",
              "runs podcasts, newsletters and video channels for a loyal audience"],
    "health": ["is a {small}-bed hospital serving the local community",
               "operates a network of clinics and community pharmacies",
               "provides acute and community healthcare services",
               "is a not-for-profit health system committed to patient-centred care"],
    "education": ["is a state-funded school of {small} pupils", "is an independent school with a "
                  "strong academic and pastoral tradition",
                  "is a multi-academy trust running schools across the region"],
    "legal": ["is a full-service law firm advising corporate clients",
              "is a boutique firm specialising in commercial and employment law",
              "is the in-house legal team of a growing international business"],
    "hospitality": ["is a busy neighbourhood restaurant serving seasonal food",
                    "is a boutique hotel with a 90-cover restaurant",
                    "runs a group of {few} restaurants known for fresh, local produce"],
    "construction": ["delivers infrastructure and commercial building projects",
                     "is a regional contractor working on residential and public projects",
                     "is a multidisciplinary engineering consultancy"],
    "manufacturing": ["designs and manufactures industrial equipment",
                      "builds components for the automotive and aerospace industries",
                      "manufactures consumer products in {few} factories"],
    "logistics": ["moves goods for {small} retailers across the country",
                  "operates distribution centres and a national delivery fleet",
                  "is a third-party logistics provider for e-commerce brands"],
}
_INDUSTRY_OF_FAMILY_DEFAULT = "tech"

_BENEFITS_BY_COUNTRY: dict[str, list[str]] = {
    "US": ["Medical, dental and vision insurance", "401(k) with a {p}% company match",
           "Unlimited PTO (with a minimum of 15 days)", "Commuter benefits", "Paid parental leave"],
    "CA": ["Extended health and dental coverage", "RRSP matching", "Three weeks of vacation",
           "Paid parental top-up"],
    "UK": ["25 days holiday plus bank holidays", "Pension scheme with {p}% employer "
           "contribution", "Private medical insurance", "Cycle to work scheme",
           "Enhanced parental leave"],
    "IE": ["23 days annual leave", "Pension contribution", "Health insurance", "Bike to work"],
    "DE": ["30 days of paid vacation", "Company pension plan", "Deutschlandticket",
           "Relocation support", "Language classes"],
    "FR": ["RTT days", "Mutuelle (health insurance)", "Meal vouchers", "Public transport "
           "reimbursed at 50%"],
    "NL": ["Holiday allowance (8%)", "25 vacation days", "NS Business Card", "Pension plan"],
    "ES": ["Flexible compensation plan", "Private health insurance", "Intensive summer hours",
           "23 vacation days"],
}
_BENEFITS_GENERAL = [
    "A learning budget for courses, books and conferences", "Flexible working hours",
    "Home office allowance", "Employee stock options", "Wellbeing budget",
    "Regular team offsites", "Modern equipment of your choice", "Volunteering days",
    "Mental health support", "Free lunch on office days", "Gym membership discount",
]
_BENEFITS_FAMILY: dict[str, list[str]] = {
    "health": ["Shift differentials for nights and weekends", "Tuition reimbursement",
               "Free parking on site", "Sign-on bonus"],
    "hospitality": ["Staff meals on every shift", "Share of tips", "Discounts across the group",
                    "Four-day working week"],
    "trades": ["Company van and tools provided", "Overtime paid at time and a half",
               "Paid training and certifications", "PPE provided"],
    "education": ["Small class sizes", "Professional development days", "Pension scheme"],
    "ops": ["Overtime opportunities", "Shift allowance", "Free on-site parking"],
}

_EMPLOYERS_CONTRACT = {"trades": 0.25, "health": 0.15, "tech": 0.12, "data": 0.1}


def _pick_country(rng: random.Random) -> str:
    codes = [c for c, _ in _COUNTRY_WEIGHTS]
    weights = [w for _, w in _COUNTRY_WEIGHTS]
    return rng.choices(codes, weights=weights)[0]


def _surface(rng: random.Random, skill: str) -> str:
    """Pick a surface form: canonical most of the time, a variant otherwise."""
    forms = skill.split("|")
    if len(forms) == 1 or rng.random() < 0.55:
        return forms[0]
    return rng.choice(forms[1:])


def _canonical(skill: str) -> str:
    return skill.split("|", 1)[0]


def _company(rng: random.Random, industry: str) -> str:
    if industry == "legal" and rng.random() < 0.6:
        a, b = rng.sample(_SURNAMES, 2)
        return f"{a} & {b} LLP"
    stem = rng.choice(_COMPANY_STEMS)
    return f"{stem} {rng.choice(_INDUSTRY_SUFFIX[industry])}"


def _number_word(n: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve"]
    return words[n] if 0 <= n < len(words) else str(n)


def _salary_range(
    rng: random.Random, occ: dict[str, Any], seniority: str, country: str
) -> tuple[int, int, str]:
    currency, factor, _ = COUNTRIES[country]
    mid = occ["base"] * SALARY_FACTOR[seniority] * factor * rng.uniform(0.88, 1.14)
    spread = rng.uniform(0.08, 0.2)
    lo = int(round(mid * (1 - spread) / 1000.0)) * 1000
    hi = int(round(mid * (1 + spread) / 1000.0)) * 1000
    return lo, max(hi, lo + 2000), currency


def _format_salary(rng: random.Random, lo: int, hi: int, currency: str, hourly: bool) -> str | None:
    s = _SYMBOL[currency]
    if rng.random() < 0.12:
        return None
    if rng.random() < 0.05:
        return rng.choice(["Competitive", "DOE", "Competitive salary + bonus", "Negotiable"])
    if hourly:
        hlo, hhi = max(12, round(lo / 2000)), max(14, round(hi / 2000))
        hhi = max(hhi, hlo + 2)
        return rng.choice([
            f"{hlo}-{hhi}/hr", f"{s}{hlo}.00 - {s}{hhi}.00 per hour", f"{s}{hlo}/hour",
            f"{s}{hlo}–{s}{hhi} an hour", f"{currency} {hlo}-{hhi} hourly",
        ])
    k_lo, k_hi = lo // 1000, hi // 1000
    options = [
        f"{s}{k_lo}K - {s}{k_hi}K", f"{s}{lo:,} - {s}{hi:,} per year", f"{s}{k_lo}k–{k_hi}k",
        f"up to {k_hi}k", f"From {s}{lo:,}", f"{currency} {lo:,} - {hi:,}", f"{lo}-{hi} {currency}",
        f"{s}{k_lo}k-{s}{k_hi}k + equity", f"{s}{(lo + hi) // 2:,} per annum",
        f"{s}{k_lo},000 – {s}{k_hi},000 a year plus bonus",
    ]
    if currency == "GBP":
        options += [f"£{lo:,} per annum", f"£{lo:,} - £{hi:,} p.a.",
                    f"£{k_lo}k-£{k_hi}k + benefits"]
    if currency == "EUR":
        eu_lo, eu_hi = f"{lo:,}".replace(",", "."), f"{hi:,}".replace(",", ".")
        options += [f"€{k_lo}k–{k_hi}k", f"{eu_lo} € - {eu_hi} € brutto/Jahr",
                    f"{eu_lo} - {eu_hi} EUR gross per year", f"€{k_lo}-{k_hi}K"]
    if currency == "CAD":
        options += [f"CAD {lo:,} - {hi:,}", f"${k_lo}K–${k_hi}K CAD"]
    return rng.choice(options)

# --------------------------------------------------------------------------- job postings

_TEAMS: dict[str, list[str]] = {
    "tech": ["Platform", "Payments", "Core Services", "Growth", "Infrastructure", "Checkout",
             "Developer Experience", "Search", "Identity", "Mobile"],
    "data": ["Data Platform", "Analytics", "Machine Learning", "Insights", "Personalisation",
             "Risk Modelling"],
    "design": ["Design", "Brand", "Product Design", "Creative"],
    "business": ["Product", "Marketing", "Growth", "PMO", "Content"],
    "sales": ["Sales", "Commercial", "Customer Success", "Enterprise"],
    "service": ["Customer Experience", "Support", "Care"],
    "people": ["People", "HR", "Talent"],
    "finance": ["Finance", "FP&A", "Accounting", "Treasury"],
    "health": ["Medical/Surgical", "Emergency", "ICU", "Outpatient", "Pharmacy", "Oncology"],
    "education": ["Mathematics", "Science", "English", "Primary", "Humanities"],
    "ops": ["Operations", "Warehouse", "Supply Chain", "Fulfilment"],
    "trades": ["Maintenance", "Installations", "Facilities", "Service"],
    "engineering": ["Engineering", "R&D", "Structures", "Design"],
    "legal": ["Legal", "Corporate", "Litigation", "Commercial"],
    "hospitality": ["Kitchen", "Banqueting", "Restaurant"],
}

_H_RESP = ["Responsibilities", "What you'll do", "Your role", "Key duties", "The job",
           "In this role you will", "What you will be doing", "Day to day", "Key responsibilities"]
_H_REQ = ["Requirements", "Must have", "What you bring", "Qualifications", "About you",
          "Essential skills", "You have", "Who you are", "Minimum qualifications"]
_H_NICE = ["Nice to have", "Preferred", "Bonus points", "Desirable", "Preferred qualifications",
           "Even better if you have", "Pluses"]
_H_BEN = ["Benefits", "What we offer", "Perks", "Why join us", "Compensation & benefits",
          "What's in it for you"]
_H_ABOUT = ["About us", "Who we are", "About the company", "The company"]

_REQ_ONE = [
    "Strong experience with {a}", "Solid knowledge of {a}", "You are comfortable working with "
    "{a}", "Good understanding of {a}", "Practical experience using {a}", "Demonstrable {a} "
    "skills", "Experience with {a} in a professional setting", "Expertise in {a}",
    "Confident using {a} day to day", "Proven track record with {a}",
]
_NICE_SKILL = [
    "Experience with {a}", "Exposure to {a}", "Knowledge of {a}", "Any experience with {a} "
    "or {b}", "Familiarity with {a}", "You've used {a} before", "{a} experience",
]
_SOFT = [
    "Excellent written and verbal communication skills", "A collaborative, low-ego approach",
    "Strong attention to detail", "Ability to prioritise in a fast-paced environment",
    "A proactive, ownership mindset", "Fluent English; a second language is a plus",
    "Good organisational and time-management skills", "Comfortable working with ambiguity",
]
_CLOSING = [
    "{company} is an equal opportunity employer. We welcome applications from all backgrounds.",
    "We are committed to building a diverse team. If you don't meet every requirement, we'd "
    "still love to hear from you.",
    "To apply, send your CV and a short note about why this role interests you.",
    "Our process: a 30-minute intro call, a skills conversation, and a final meeting with the "
    "team. We aim to decide within two weeks.",
    "Reference: {ref}. Applications are reviewed on a rolling basis.",
    "Reasonable adjustments are available throughout the hiring process - just let us know.",
    "Visa sponsorship is not available for this position.",
    "We can sponsor visas for the right candidate.",
]


_EXTRA_PARAS = [
    "Our {team} team is a mix of people from different backgrounds who care about doing good "
    "work, giving each other honest feedback and learning together.",
    "You'll report to the head of {team} and work closely with colleagues across the business. "
    "We value clear writing, sensible trade-offs and kindness.",
    "Everyone at {company} gets a structured onboarding plan for the first 90 days, a buddy and "
    "regular check-ins with their manager.",
    "Why {company}? We are growing steadily and invest in our people. Many of our leads were "
    "promoted internally, and we publish our pay bands so progression is transparent.",
    "A typical week: planning on Monday, focused work most days, a team demo on Thursday and a "
    "short retrospective every other Friday.",
    "Our {city} office is close to public transport, with quiet rooms, bike storage and a "
    "kitchen stocked with decent coffee.",
    "We care about sustainability: we measure our footprint, offset what we cannot cut, and "
    "give every employee paid volunteering days.",
    "In your first three months you will get to know the team, take ownership of a first "
    "project and agree your development goals with your manager.",
    "The interview process has three steps: an introductory call with the hiring manager, a "
    "practical conversation with future colleagues, and a final values interview.",
    "We support flexible hours and part-time arrangements wherever the role allows it. Tell us "
    "what works for you.",
    "Hiring for this position is ongoing; the posting may close early if we receive a high "
    "volume of applications.",
]


def _experience_phrase(rng: random.Random, seniority: str, occ: dict[str, Any]) -> str:
    lo, hi = YEARS[seniority]
    label = _lower_label(occ["label"])
    if seniority == "intern":
        return rng.choice([
            "Currently enrolled in a relevant degree programme (graduating 2027 or 2028)",
            "No prior professional experience required - students and career starters welcome",
            "You are a student looking for a 3-6 month placement",
        ])
    if lo == 0:
        return rng.choice([
            "0-2 years of experience (internships count)", "1+ year of relevant experience",
            "Up to two years of experience in a similar role", "Some experience as a "
            f"{label}, for example through an internship or apprenticeship",
        ])
    mid_hi = min(hi, lo + rng.randint(2, 4))
    return rng.choice([
        f"{lo}+ years of experience as a {label} or in a similar role",
        f"{lo}-{mid_hi} yrs experience in a comparable position",
        f"A minimum of {_number_word(lo)} years' professional experience",
        f"At least {lo} years of hands-on experience",
        f"{_number_word(lo).capitalize()} or more years in a {label} role",
        f"{lo}+ years' experience, ideally {mid_hi} or more",
        f"{lo} to {mid_hi} years of relevant work experience",
    ])


def _fill(rng: random.Random, template: str, pool: Sequence[str]) -> str:
    picks = rng.sample(list(pool), min(3, len(pool)))
    while len(picks) < 3:
        picks.append(picks[0])
    return template.format(a=picks[0], b=picks[1], c=picks[2])


def _bullets(rng: random.Random, items: Sequence[str], style: str) -> str:
    if style == "1.":
        return "\n".join(f"{i}. {it}" for i, it in enumerate(items, 1))
    return "\n".join(f"{style} {it}" for it in items)


def _heading(text: str, style: int) -> str:
    if style == 0:
        return text
    if style == 1:
        return text.upper()
    if style == 2:
        return f"{text}:"
    if style == 3:
        return f"## {text}"
    return f"**{text}**"


def _title_for(rng: random.Random, occ: dict[str, Any], seniority: str) -> str:
    mapped = occ.get("title_map", {}).get(seniority)
    if mapped and rng.random() < 0.8:
        return str(rng.choice(mapped))
    if seniority == "manager":
        return str(rng.choice(occ["manager_titles"]))
    base = rng.choice(occ["titles"])
    return rng.choice(_DEFAULT_TITLE_PREFIX[seniority]).format(t=base)


_SENTENCE_STARTS = {
    "strong", "solid", "you", "good", "practical", "demonstrable", "experience", "expertise",
    "confident", "proven", "proficiency", "hands-on", "working", "a", "an", "at", "currently",
    "no", "some", "up", "excellent", "ability", "fluent", "comfortable", "right", "exposure",
    "knowledge", "any", "familiarity", "medical", "unlimited", "commuter", "paid", "extended",
    "three", "private", "cycle", "enhanced", "pension", "health", "bike", "company",
    "relocation", "language", "mutuelle", "meal", "public", "holiday", "flexible", "intensive",
    "home", "employee", "wellbeing", "regular", "modern", "volunteering", "mental", "free",
    "gym", "shift", "tuition", "sign-on", "staff", "share", "discounts", "four-day", "overtime",
    "small", "professional", "learning", "design", "build", "own", "improve", "review", "write",
    "work", "participate", "migrate", "instrument", "turn", "maintain", "collaborate", "ship",
    "debug", "contribute", "integrate", "mentor", "partner", "communicate", "clean",
    "productionise", "monitor", "optimise", "document", "train", "run", "define", "lead",
    "reduce", "harden", "tune", "support", "report", "talk", "prioritise", "align", "create",
    "present", "prepare", "plan", "manage", "grow", "analyse", "edit", "research", "keep",
    "prospect", "negotiate", "hit", "identify", "be", "coordinate", "answer", "troubleshoot",
    "log", "handle", "advise", "source", "carry", "dispense", "counsel", "supervise", "assess",
    "administer", "educate", "respond", "deliver", "differentiate", "take", "liaise", "track",
    "install", "read", "diagnose", "follow", "produce", "draft", "organise", "file", "help",
    "use", "model", "test", "degree", "bachelor's", "ms", "bs/ms", "you've", "current",
}


def _lower_label(label: str) -> str:
    """'UX Designer' -> 'UX designer' (keeps acronyms and camel-case words)."""
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in label.split())


def _decap(text: str) -> str:
    """Lower-case a sentence start, but not a proper noun or acronym ('SQL', 'Python')."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()) and (
            first.lower() in _SENTENCE_STARTS):
        return text[:1].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _job_description(
    rng: random.Random, *, occ: dict[str, Any], seniority: str, title: str, company: str,
    industry: str, location: str, country: str, remote: str, core: list[str], nice: list[str],
    requirements: list[str], salary: str | None, ref: str,
) -> str:
    fam = occ["family"]
    team = rng.choice(_TEAMS[fam])
    blurb = rng.choice(_INDUSTRY_BLURB[industry]).format(
        big=rng.choice(["2,000", "15,000", "40,000", "250,000", "a million"]),
        small=rng.choice(["120", "350", "600", "900", "1,200"]),
        few=rng.choice(["three", "five", "eight", "12"]))
    city = location.split(",")[0]
    mode_line = {
        "remote": rng.choice(["This is a fully remote position.", "You can work from anywhere "
                              f"in {'the ' + country if country in ('US', 'UK', 'NL') else country}"
                              " - we are remote-first.", "Remote, with occasional team meetups."]),
        "hybrid": rng.choice([f"Hybrid: {rng.randint(2, 3)} days a week in our {city} office.",
                              f"This is a hybrid role based in {city}.",
                              "We work hybrid - a few days in the office, the rest from home."]),
        "onsite": rng.choice([f"This role is based on site in {city}.", f"Location: {city} "
                              "(on-site).", ""]),
    }[remote]
    intro = rng.choice([
        f"{company} {blurb}. We're looking for a {title} to join our {team} team. {mode_line}",
        f"Are you an experienced {_lower_label(occ['label'])} looking for your next challenge? "
        f"{company} {blurb}, and our {team} team is growing. {mode_line}",
        f"As a {title} at {company}, you will make a real difference to our {team} team. "
        f"{company} {blurb}. {mode_line}",
        f"Join {company} as a {title}! {company} {blurb}. {mode_line}",
        f"We are hiring a {title} in {city}. {company} {blurb}. {mode_line}",
    ]).strip()
    if seniority in ("lead", "manager", "principal"):
        intro += rng.choice([" You will lead a small team and set direction for your area.",
                             " This is a leadership role with direct reports.",
                             " You will shape strategy and grow the people around you."])
    if seniority == "intern":
        intro += " This is a paid internship with a dedicated mentor."

    resp_pool = list(occ["resp"])
    rng.shuffle(resp_pool)
    resp = [_cap(r) for r in resp_pool[: rng.randint(4, min(7, len(resp_pool)))]]
    if rng.random() < 0.5:
        resp.append(rng.choice([
            f"Use {rng.choice(core)} and {rng.choice(nice)} every day",
            "Share knowledge and help improve how the team works",
            "Take part in planning and retrospectives", "Keep documentation up to date",
        ]))
    nice_lines = []
    for _ in range(rng.randint(2, 4)):
        nice_lines.append(_fill(rng, rng.choice(_NICE_SKILL), nice))
    nice_lines = list(dict.fromkeys(nice_lines))
    benefits = rng.sample(_BENEFITS_BY_COUNTRY[country], rng.randint(2, 3))
    benefits += rng.sample(_BENEFITS_GENERAL, rng.randint(2, 4))
    benefits += rng.sample(_BENEFITS_FAMILY.get(fam, []), min(2, len(_BENEFITS_FAMILY.get(fam,
                                                                                  []))))
    benefits = [b.format(p=rng.choice([3, 4, 5, 6])) for b in benefits]
    rng.shuffle(benefits)
    closing = [c.format(company=company, ref=ref) for c in rng.sample(_CLOSING, 2)]

    if rng.random() < 0.15:  # no headings: flowing prose
        paras = [
            intro,
            f"In this role you will {', '.join(_decap(r) for r in resp[:-1])} and "
            f"{_decap(resp[-1])}.",
            "We're looking for someone with " + "; ".join(
                _decap(r) for r in requirements) + ".",
            "It would be great if you also have " + ", ".join(
                _decap(n) for n in nice_lines) + ".",
            "We offer " + ", ".join(_decap(b) for b in benefits) + ".",
        ]
        if salary:
            paras.append(f"Salary: {salary}.")
        paras += closing
        text = "\n\n".join(paras)
    else:
        hstyle = rng.randint(0, 4)
        bstyle = rng.choice(["-", "•", "*", "-", "•", "1."])
        parts: list[str] = []
        if rng.random() < 0.3:
            parts.append(f"{_heading(rng.choice(_H_ABOUT), hstyle)}\n{company} {blurb}.")
            parts.append(f"{_heading('The role', hstyle)}\n{intro}")
        else:
            parts.append(intro)
        parts.append(f"{_heading(rng.choice(_H_RESP), hstyle)}\n{_bullets(rng, resp, bstyle)}")
        parts.append(
            f"{_heading(rng.choice(_H_REQ), hstyle)}\n{_bullets(rng, requirements, bstyle)}")
        if rng.random() < 0.85:
            parts.append(
                f"{_heading(rng.choice(_H_NICE), hstyle)}\n{_bullets(rng, nice_lines, bstyle)}")
        if salary and rng.random() < 0.6:
            parts.append(f"{_heading('Salary', hstyle)}\n{salary}")
        if rng.random() < 0.9:
            ben = _bullets(rng, benefits, bstyle)
            parts.append(f"{_heading(rng.choice(_H_BEN), hstyle)}\n{ben}")
        parts.append("\n".join(closing))
        text = "\n\n".join(parts)
    target = rng.randint(1500, 2300)
    extras = [p.format(team=team, company=company, city=city) for p in _EXTRA_PARAS]
    rng.shuffle(extras)
    while len(text) < target and extras:
        text += "\n\n" + extras.pop()
    return text[:4000]


def generate_jobs(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Generate ``n`` synthetic job postings in the importer's seed format.

    Occupations are cycled (shuffled per cycle) so every occupation appears once ``n`` is at
    least the number of occupations; each dict also carries ``occupation`` and ``seniority``
    labels for evaluation.
    """
    rng = random.Random(f"jobs:{seed}")
    occ_keys = list(OCCUPATIONS)
    order: list[str] = []
    jobs: list[dict[str, Any]] = []
    start = date(2026, 10, 1)
    for i in range(n):
        if not order:
            order = occ_keys[:]
            rng.shuffle(order)
        occ_key = order.pop()
        occ = OCCUPATIONS[occ_key]
        seniority = rng.choices(SENIORITIES, weights=[5, 16, 26, 25, 11, 6, 11])[0]
        country = _pick_country(rng)
        industry = rng.choice(occ["industries"])
        company = _company(rng, industry)
        title = _title_for(rng, occ, seniority)
        remote_share = _REMOTE_SHARE[occ["family"]]
        roll = rng.random()
        remote = "remote" if roll < remote_share else (
            "hybrid" if roll < remote_share + (0.35 if remote_share > 0.05 else 0.05)
            else "onsite")
        city = rng.choice(COUNTRIES[country][2])
        location = _REMOTE_LOCATIONS[country] if remote == "remote" else city
        hourly = rng.random() < occ.get("hourly", 0.0) or (
            seniority == "intern" and rng.random() < 0.3)
        lo, hi, currency = _salary_range(rng, occ, seniority, country)
        salary = _format_salary(rng, lo, hi, currency, hourly)
        if seniority == "intern":
            employment = "internship"
        else:
            employment = rng.choices(
                ["full_time", "contract", "part_time", "temporary", "freelance"],
                weights=[80, 100 * _EMPLOYERS_CONTRACT.get(occ["family"], 0.05), 6, 3, 2])[0]
        core_n = rng.randint(min(4, len(occ["core"])), len(occ["core"]))
        core = [_surface(rng, s) for s in rng.sample(occ["core"], core_n)]
        nice = [_surface(rng, s) for s in rng.sample(occ["nice"], rng.randint(3, 5))]
        requirements = [_experience_phrase(rng, seniority, occ)]
        pool = core[:]
        rng.shuffle(pool)
        while pool:
            take = rng.randint(1, 3)
            chunk, pool = pool[:take], pool[take:]
            if len(chunk) == 1:
                requirements.append(rng.choice(_REQ_ONE).format(a=chunk[0]))
            elif len(chunk) == 2:
                requirements.append(rng.choice([
                    "Proficiency in {a} and {b}", "Hands-on experience with {a} and {b}",
                    "Solid {a} and {b} skills"]).format(a=chunk[0], b=chunk[1]))
            else:
                requirements.append(
                    f"Working knowledge of {chunk[0]}, {chunk[1]} and {chunk[2]}")
        if rng.random() < 0.75:
            requirements.append(_cap(rng.choice(occ["degree"])))
        if occ["certs"] and rng.random() < 0.3:
            requirements.append(f"{rng.choice(occ['certs'])} (or willingness to obtain it)")
        requirements += rng.sample(_SOFT, rng.randint(1, 2))
        if rng.random() < 0.25:
            requirements.append(f"Right to work in {country if country != 'UK' else 'the UK'}")
        ext_id = f"sample-{seed}-{i:05d}"
        slug = re.sub(r"[^a-z0-9]+", "-", f"{company} {title}".lower()).strip("-")
        description = _job_description(
            rng, occ=occ, seniority=seniority, title=title, company=company, industry=industry,
            location=location, country=country, remote=remote, core=core, nice=nice,
            requirements=requirements, salary=salary, ref=f"JR-{seed:02d}{i:05d}",
        )
        jobs.append({
            "external_id": ext_id,
            "source": "sample",
            "url": f"https://jobs.example.com/{slug}-{i:05d}",
            "title": title,
            "company": company,
            "location": location,
            "remote": remote,
            "employment_type": employment,
            "salary": salary,
            "description": description,
            "requirements": requirements,
            "skills": list(dict.fromkeys(core + nice)),
            "posted_date": (start + timedelta(days=rng.randint(0, 50))).isoformat(),
            "occupation": occ_key,
            "seniority": seniority,
        })
    return jobs

# --------------------------------------------------------------------------- CVs

_FIRST_NAMES = [
    "Avery", "Jordan", "Priya", "Mateo", "Ingrid", "Tobias", "Leila", "Callum", "Noor", "Elena",
    "Kwame", "Sofia", "Ravi", "Marta", "Oskar", "Amara", "Felix", "Hana", "Diego", "Freya",
    "Yusuf", "Clara", "Declan", "Mei", "Lucas", "Zara", "Anders", "Imani", "Theo", "Rosa",
    "Aditi", "Nils", "Chloe", "Bilal", "Greta", "Samir", "Isla", "Joaquin", "Maeve", "Kenji",
]
_SURNAMES = [
    "Quillfeather", "Marrowby", "Vantrell", "Ashgrove", "Bellweather", "Corrigal", "Dunmore",
    "Elderwick", "Fairhollow", "Gallowmere", "Hartwell", "Inchcombe", "Jessamine", "Kettleby",
    "Lowenthal", "Merriweather", "Nettlefold", "Oakenshaw", "Pembridge", "Quenby", "Rookwood",
    "Stoneleigh", "Thornbury", "Underhill", "Varnley", "Whitcombe", "Yarrowby", "Zellweger",
    "Brackenridge", "Castellane", "Delacroix-Venn", "Everleigh", "Farrowdale", "Grimsworth",
]
_SCHOOLS: dict[str, list[str]] = {
    "US": ["Marlowe State University", "University of Eastbrook", "Northgate Institute of "
           "Technology", "Cedar Valley Community College", "Westhaven University"],
    "UK": ["University of Kingsmere", "Ashford Metropolitan University", "Royal College of "
           "Fenmoor", "Harbourside College"],
    "DE": ["Technische Hochschule Rheinfeld", "Universität Altenburg-Süd",
           "Hochschule Weserland"],
    "FR": ["Université de Valmont", "École Supérieure de Lanvaux", "Institut Polytechnique "
           "de Corbière"],
    "NL": ["Universiteit van Zeeveld", "Hogeschool Amstelrand"],
    "CA": ["University of Lakeshore", "Northridge Polytechnic", "Université du Haut-Fleuve"],
    "IE": ["Liffey Technological University", "University College Ballymore"],
    "ES": ["Universidad de Castelmar", "Escuela Politécnica de Levante"],
}
_DEGREE_NAMES = {
    "bachelor": ["BSc", "BA", "Bachelor of Science", "B.S.", "Bachelor's degree", "BEng"],
    "master": ["MSc", "MA", "Master of Science", "M.S.", "Master's degree"],
    "phd": ["PhD", "Ph.D.", "Doctorate"],
    "associate": ["Associate Degree", "A.A.S.", "Diploma", "HND"],
    "high_school": ["High School Diploma", "A-Levels", "GED"],
}
_SPOKEN = ["English", "Spanish", "French", "German", "Dutch", "Portuguese", "Italian", "Polish",
           "Mandarin", "Hindi", "Arabic", "Irish", "Catalan", "Japanese", "Swahili", "Turkish"]
_COUNTRY_LANG = {"US": "English", "UK": "English", "DE": "German", "FR": "French",
                 "NL": "Dutch", "CA": "English", "IE": "English", "ES": "Spanish"}
_LEVELS = ["native", "fluent", "professional working proficiency", "conversational", "basic",
           "C1", "B2", "B1"]

_IRREGULAR = {
    "build": "built", "write": "wrote", "lead": "led", "run": "ran", "own": "owned",
    "make": "made", "keep": "kept", "take": "took", "be": "was", "hit": "hit", "set": "set",
    "grow": "grew", "teach": "taught", "draft": "drafted", "plan": "planned", "ship": "shipped",
    "prepare": "prepared", "train": "trained", "use": "used", "talk": "talked", "turn": "turned",
    "share": "shared", "answer": "answered", "handle": "handled", "log": "logged",
    "file": "filed", "read": "read", "do": "did", "review": "reviewed", "deliver": "delivered",
    "give": "gave", "say": "said", "help": "helped", "debug": "debugged",
    "qualify": "qualified", "proofread": "proofread", "model": "modelled", "control": "controlled",
    "counsel": "counselled", "troubleshoot": "troubleshot",
}
_VERBS = {
    "design", "build", "own", "improve", "review", "write", "work", "participate", "migrate",
    "instrument", "turn", "maintain", "collaborate", "ship", "debug", "contribute", "integrate",
    "mentor", "partner", "communicate", "clean", "productionise", "model", "monitor", "optimise",
    "document", "train", "run", "define", "lead", "reduce", "harden", "tune", "support",
    "report", "talk", "prioritise", "align", "create", "present", "prepare", "plan", "manage",
    "grow", "analyse", "edit", "research", "keep", "prospect", "negotiate", "hit", "identify",
    "be", "coordinate", "answer", "troubleshoot", "log", "handle", "advise", "source", "carry",
    "dispense", "counsel", "supervise", "assess", "administer", "educate", "respond", "deliver",
    "differentiate", "take", "liaise", "track", "install", "read", "diagnose", "follow",
    "produce", "draft", "organise", "file", "help", "evolve", "conduct", "order", "use",
    "share", "explore", "invest", "test", "deploy", "evaluate", "proofread",
    "synthesise", "escalate", "automate", "investigate", "interview", "exceed", "control", "fix",
    "launch", "close", "repair", "qualify", "triage", "iterate", "give",
}


def _past(word: str) -> str:
    low = word.lower()
    if low in _IRREGULAR:
        out = _IRREGULAR[low]
    elif low.endswith("e"):
        out = low + "d"
    elif low.endswith("y") and low[-2:-1] not in "aeiou":
        out = low[:-1] + "ied"
    else:
        out = low + "ed"
    return out


_SECOND_VERBS = {
    "give", "improve", "iterate", "investigate", "escalate", "automate", "reduce", "share",
    "interview", "proofread", "exceed", "control", "fix", "report", "launch", "turn", "track",
    "close", "synthesise", "evolve", "repair", "deploy", "qualify", "optimise", "analyse",
    "mentor", "supervise", "triage",
}


def _inflect(phrase: str, fn: Any) -> str:
    """Inflect the leading verb (and verbs co-ordinated with it) of a base-form phrase."""
    words = phrase.split(" ")
    first = words[0].rstrip(",")
    if first.lower() not in _VERBS:
        return phrase
    words[0] = fn(first) + words[0][len(first):]
    converted = {0}
    for i in range(1, len(words)):
        bare = words[i].rstrip(",")
        prev = words[i - 1]
        chained = (prev == "and" and i - 2 in converted) or (
            prev.endswith(",") and i - 1 in converted)
        if (chained and bare.lower() in _VERBS) or (prev == "and" and bare in _SECOND_VERBS):
            words[i] = fn(bare) + words[i][len(bare):]
            converted.add(i)
    return " ".join(words)


def _to_past(phrase: str) -> str:
    return _cap(_inflect(phrase, _past))


_METRICS: dict[str, list[str]] = {
    "tech": ["reducing p95 latency by {p}%", "cutting cloud costs by {p}%",
             "reducing build times by {p}%", "lowering the error rate by {p}%",
             "improving test coverage to {q}%", "serving {k}k requests per second"],
    "data": ["improving model accuracy by {p}%", "cutting pipeline runtime by {p}%",
             "increasing conversion by {p}%", "saving {k} analyst hours per month"],
    "design": ["increasing task completion by {p}%", "reducing support tickets by {p}%",
               "lifting engagement by {p}%"],
    "business": ["growing qualified leads by {p}%", "delivering {k} projects on time",
                 "increasing organic traffic by {p}%", "improving NPS by {p} points"],
    "sales": ["achieving {o}% of quota", "growing the account base by {p}%",
              "reducing churn by {p}%", "closing ${k}00k in new ARR"],
    "service": ["keeping CSAT above {q}%", "reducing first-response time by {p}%",
                "handling {k}0+ tickets per day"],
    "people": ["cutting time-to-hire by {p}%", "hiring {k}0+ people in a year",
               "reducing attrition by {p}%"],
    "finance": ["shortening the month-end close by {k} days", "identifying ${k}00k in savings",
                "improving forecast accuracy by {p}%"],
    "health": ["reducing medication errors by {p}%", "cutting patient wait times by {p}%",
               "caring for up to {k} patients per shift"],
    "education": ["raising exam pass rates by {p}%", "improving attendance by {p}%",
                  "teaching classes of {k}0 students"],
    "ops": ["improving on-time delivery to {q}%", "reducing stock discrepancies by {p}%",
            "cutting freight costs by {p}%"],
    "trades": ["completing {k}0+ installations", "with zero lost-time incidents",
               "reducing call-outs by {p}%"],
    "engineering": ["reducing part cost by {p}%", "cutting prototype lead time by {p}%",
                    "delivering a ${k}M project on budget"],
    "legal": ["closing {k}0+ contracts per quarter", "reducing contract turnaround by {p}%"],
    "hospitality": ["reducing food waste by {p}%", "serving {k}00 covers a night",
                    "cutting food costs by {p}%"],
}
_VAGUE = [
    "Responsible for various tasks", "Worked closely with the team on day-to-day activities",
    "Assisted with ad-hoc requests", "Handled general duties as required",
    "Participated in team meetings", "Supported colleagues with various projects",
    "Other duties as assigned",
]
_SUMMARY = [
    "{label} with {y} of experience in {ind}. Skilled in {a}, {b} and {c}.",
    "Results-driven {label_l} with {y} of experience. I enjoy {r} and have a strong background "
    "in {a} and {b}.",
    "{adj} {label_l} ({y}) who has worked across {ind}. Core strengths: {a}, {b}, {c}.",
    "Experienced {label_l} looking for a new challenge. Comfortable with {a} and {b}; "
    "passionate about {r}.",
    "I am a {label_l} with {y} of hands-on experience. Recent work focused on {r}.",
]
_CHANGER_FAMILIES = {"tech", "data", "design", "business", "sales", "service", "people",
                     "finance", "ops"}
_ADJ = ["Detail-oriented", "Motivated", "Pragmatic", "Curious", "Reliable", "Versatile",
        "Hard-working", "Customer-focused"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_NOW = date(2026, 11, 1)


def _fmt_date(d: date | None, style: int) -> str:
    if d is None:
        return ["Present", "present", "Present", "now", "Current"][style]
    return [
        f"{_MONTHS[d.month - 1][:3]} {d.year}", f"{d.year}", f"{d.month:02d}/{d.year}",
        f"{_MONTHS[d.month - 1]} {d.year}", f"{d.year}-{d.month:02d}",
    ][style]


def _fmt_range(start: date, end: date | None, style: int) -> str:
    sep = [" - ", " – ", " to ", " – ", " - "][style]
    return f"{_fmt_date(start, style)}{sep}{_fmt_date(end, style)}"


def _years_text(months: int) -> str:
    y = months // 12
    if y < 1:
        return "less than a year"
    return f"{y} year{'s' if y != 1 else ''}" if y > 1 else "one year"


def _lower_seniority(seniority: str, steps: int) -> str:
    ladder = ["intern", "junior", "mid", "senior", "lead", "principal"]
    if seniority == "manager":
        start = 4
    else:
        start = ladder.index(seniority)
    idx = max(0, start - steps)
    return ladder[idx] if idx > 0 else "junior"


def _cv_profile(rng: random.Random, idx: int, occ_key: str, seniority: str, seed: int
                ) -> dict[str, Any]:
    occ = OCCUPATIONS[occ_key]
    fam = occ["family"]
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_SURNAMES)
    country = _pick_country(rng)
    city = rng.choice(COUNTRIES[country][2])
    ylo, yhi = YEARS[seniority]
    total_months = rng.randint(ylo * 12, yhi * 12 + 6) if yhi else rng.randint(3, 9)
    if seniority == "junior":
        total_months = max(6, total_months)
    changer_from: str | None = None
    if seniority != "intern" and fam in _CHANGER_FAMILIES and rng.random() < 0.18:
        others = [k for k in OCCUPATIONS if k != occ_key
                  and k not in RELATED_OCCUPATIONS[occ_key]]
        changer_from = rng.choice(others)

    # skills: most core, some nice, a few adjacent, plus previous career
    core = [s for s in occ["core"] if rng.random() < 0.85] or list(occ["core"][:3])
    nice = rng.sample(occ["nice"], rng.randint(2, min(6, len(occ["nice"]))))
    adjacent: list[str] = []
    for rel in sorted(RELATED_OCCUPATIONS[occ_key]):
        if rng.random() < 0.5:
            adjacent += rng.sample(OCCUPATIONS[rel]["core"] + OCCUPATIONS[rel]["nice"], 1)
    prev_skills: list[str] = []
    if changer_from:
        prev = OCCUPATIONS[changer_from]
        prev_skills = rng.sample(prev["core"], min(len(prev["core"]), rng.randint(3, 5)))
    all_skills = list(dict.fromkeys(_surface(rng, s) for s in core + nice + adjacent
                                    + prev_skills))
    skill_pick = [_surface(rng, s) for s in core + nice]

    # experience timeline, newest first
    jobs: list[dict[str, Any]] = []
    end: date | None = None
    remaining = total_months
    cursor = _NOW
    step = 0
    while remaining > 0 and len(jobs) < 6:
        dur = min(remaining, rng.randint(10, 48)) if remaining > 14 else remaining
        months = cursor.year * 12 + cursor.month - 1 - dur
        start_d = date(months // 12, months % 12 + 1, 1)
        is_prev_career = changer_from is not None and step > 0 and remaining <= total_months * 0.5
        j_occ_key = changer_from if is_prev_career and changer_from else occ_key
        j_occ = OCCUPATIONS[j_occ_key]
        j_sen = seniority if step == 0 else _lower_seniority(seniority, step)
        if is_prev_career:
            j_sen = "mid" if dur > 24 else "junior"
        if seniority == "intern":
            j_sen = "intern"
        jobs.append({
            "occ": j_occ_key, "title": _title_for(rng, j_occ, j_sen),
            "company": _company(rng, rng.choice(j_occ["industries"])),
            "city": rng.choice(COUNTRIES[country][2]) if rng.random() < 0.8 else city,
            "start": start_d, "end": end, "fam": j_occ["family"],
        })
        remaining -= dur
        gap = rng.choice([0, 0, 0, 1, 2, 4])
        months -= gap
        cursor = date(months // 12, months % 12 + 1, 1)
        end = cursor
        step += 1
    if seniority not in ("intern", "junior") and rng.random() < 0.15 and jobs:
        anchor = rng.choice(jobs)
        ov_start = anchor["start"] + timedelta(days=rng.randint(60, 200))
        ov_end = None if anchor["end"] is None and rng.random() < 0.5 else (
            ov_start + timedelta(days=rng.randint(120, 400)))
        if ov_end and ov_end > _NOW:
            ov_end = None
        jobs.append({
            "occ": occ_key, "title": f"Freelance {occ['label']}" if rng.random() < 0.6
            else f"Part-time {occ['label']}", "company": rng.choice(["Self-employed",
                                                                      "Freelance", _company(
                                                                          rng, rng.choice(
                                                                              occ["industries"]))]),
            "city": city, "start": ov_start, "end": ov_end, "fam": fam, "overlap": True,
        })
        jobs.sort(key=lambda j: j["start"], reverse=True)

    for j in jobs:
        j_occ = OCCUPATIONS[j["occ"]]
        resp = rng.sample(j_occ["resp"], min(len(j_occ["resp"]), rng.randint(2, 5)))
        bullets = []
        pool = skill_pick if j["occ"] == occ_key else [_surface(rng, s) for s in j_occ["core"]]
        for r in resp:
            b = _to_past(r)
            roll = rng.random()
            if roll < 0.35:
                metric = rng.choice(_METRICS[j["fam"]]).format(
                    p=rng.choice([8, 12, 15, 20, 25, 30, 35, 40, 60]),
                    q=rng.choice([92, 95, 97, 98]), o=rng.choice([105, 112, 120, 134]),
                    k=rng.randint(2, 9))
                b = f"{b}, {metric}"
            elif roll < 0.65 and pool:
                b = f"{b} {rng.choice(['using', 'with', 'leveraging', 'using'])} {rng.choice(pool)}"
                if rng.random() < 0.4:
                    b += f" and {rng.choice(pool)}"
            bullets.append(b)
        if rng.random() < 0.25:
            bullets.append(rng.choice(_VAGUE))
        j["bullets"] = bullets

    # education
    level, field = rng.choice(occ["edu"])
    if changer_from and rng.random() < 0.7:
        level, field = rng.choice(OCCUPATIONS[changer_from]["edu"])
    first_start = min(j["start"] for j in jobs) if jobs else _NOW
    grad_year = first_start.year - rng.choice([0, 0, 1, 2])
    if seniority == "intern":
        grad_year = rng.choice([2027, 2028])
    school = rng.choice(_SCHOOLS[country])
    education = [{"level": level, "degree": rng.choice(_DEGREE_NAMES[level]), "field": field,
                  "school": school, "year": grad_year, "expected": seniority == "intern"}]
    if level in ("bachelor", "associate") and rng.random() < 0.2 and seniority not in (
            "intern", "junior"):
        lvl2, field2 = next(((lv, f) for lv, f in occ["edu"] if lv == "master"),
                            ("master", field))
        education.insert(0, {"level": lvl2, "degree": rng.choice(_DEGREE_NAMES[lvl2]),
                             "field": field2, "school": rng.choice(_SCHOOLS[country]),
                             "year": min(2026, grad_year + rng.randint(2, 6)),
                             "expected": False})
    if changer_from:
        education.insert(0, {"level": "associate", "degree": rng.choice(
            ["Bootcamp certificate", "Professional certificate", "Diploma"]),
            "field": occ["label"], "school": rng.choice(
                ["Online course (self-paced)", "Evening course", "Intensive programme"]),
            "year": max(j["start"].year for j in jobs), "expected": False})
    certs = rng.sample(occ["certs"], rng.randint(0, min(2, len(occ["certs"]))))
    if fam in ("health", "legal", "trades") and occ["certs"] and not certs:
        certs = [occ["certs"][0]]
    native = _COUNTRY_LANG[country] if rng.random() < 0.75 else rng.choice(_SPOKEN)
    langs = [(native, "native")]
    for lang in rng.sample(_SPOKEN, rng.randint(0, 2)):
        if lang != native:
            langs.append((lang, rng.choice(_LEVELS[1:])))
    if native != "English" and all(lg != "English" for lg, _ in langs):
        langs.append(("English", rng.choice(["fluent", "C1", "professional working proficiency"])))

    title_now = jobs[0]["title"] if jobs else _title_for(rng, occ, seniority)
    summary = rng.choice(_SUMMARY).format(
        label=occ["label"], label_l=_lower_label(occ["label"]), y=_years_text(total_months),
        ind=rng.choice(["fast-paced environments", f"the {rng.choice(occ['industries'])} sector",
                        "both startups and large organisations" if fam in (
                            "tech", "data", "design", "business", "sales") else
                        "several different settings", "several organisations"]),
        a=all_skills[0], b=all_skills[min(1, len(all_skills) - 1)],
        c=all_skills[min(2, len(all_skills) - 1)], r=_gerund(rng.choice(occ["resp"])),
        adj=rng.choice(_ADJ))
    if changer_from:
        before = _lower_label(OCCUPATIONS[changer_from]["label"])
        summary += (f" Previously worked as a {before}; now moving into "
                    f"{_lower_label(occ['label'])} work.")
    if seniority == "intern":
        summary = (f"{field} student at {school} (graduating {grad_year}) looking for a "
                   f"{_lower_label(occ['label'])} internship. Familiar with {all_skills[0]} and "
                   f"{all_skills[min(1, len(all_skills) - 1)]}.")
    extras: list[str] = []
    if rng.random() < 0.3:
        lo, hi, cur = _salary_range(rng, occ, seniority, country)
        extras.append(rng.choice(["Salary expectation", "Expected salary", "Desired salary"])
                      + ": " + rng.choice([f"{_SYMBOL[cur]}{(lo + hi) // 2:,}",
                                           f"{_SYMBOL[cur]}{lo // 1000}k-{hi // 1000}k",
                                           f"{cur} {hi:,} per year"]))
    if rng.random() < 0.3:
        extras.append(rng.choice(["Remote preference: remote only", "Open to hybrid or remote",
                                  "Prefers on-site work", "Willing to relocate",
                                  "Work mode: hybrid preferred", "Available for remote work"]))
    if rng.random() < 0.25:
        extras.append(f"Desired role: {_title_for(rng, occ, seniority)}")
    email_user = f"{first}.{last}".lower().replace("-", "")
    return {
        "id": f"cv-{seed}-{idx:04d}", "occupation": occ_key, "seniority": seniority,
        "name": f"{first} {last}", "email": f"{email_user}@example.com",
        "phone": rng.choice([f"+1 (555) 555-{rng.randint(100, 199):04d}",
                             f"555-01{rng.randint(0, 99):02d}",
                             f"+44 555 0{rng.randint(100, 999)} {rng.randint(100, 999)}",
                             f"(555) 01{rng.randint(0, 99):02d}-{rng.randint(1000, 9999)}"]),
        "location": city, "headline": title_now, "summary": summary, "jobs": jobs,
        "education": education, "certs": certs, "skills": all_skills, "langs": langs,
        "extras": extras, "core_skills": [_canonical(s) for s in core],
    }


def _ing(word: str) -> str:
    w = word.lower()
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith("e") and w not in ("be", "see"):
        return w[:-1] + "ing"
    if w in ("run", "plan", "ship", "log", "hit", "set", "debug", "control"):
        return w + w[-1] + "ing"
    return w + "ing"


def _gerund(phrase: str) -> str:
    return _inflect(phrase, _ing)


_H_CV = {
    "summary": ["Summary", "Profile", "Professional Summary", "About Me", "Personal Statement",
                "Career Objective"],
    "experience": ["Work Experience", "Professional Experience", "Employment History",
                   "Experience", "Career History", "Relevant Experience"],
    "skills": ["Skills", "Technical Skills", "Core Competencies", "Key Skills",
               "Areas of Expertise", "Tools & Technologies"],
    "education": ["Education", "Education & Training", "Academic Background"],
    "certs": ["Certifications", "Certificates", "Licenses & Certifications",
              "Professional Development"],
    "langs": ["Languages", "Spoken Languages"],
    "extras": ["Additional Information", "Other", "Preferences"],
}


def _cv_heading(text: str, style: int) -> str:
    if style == 0:
        return text
    if style == 1:
        return text.upper()
    if style == 2:
        return f"{text}:"
    if style == 3:
        return f"{text.upper()}\n{'-' * len(text)}"
    return ""


def _render_cv(rng: random.Random, p: dict[str, Any]) -> str:
    hstyle = rng.choices([0, 1, 2, 3, 4], weights=[30, 30, 12, 14, 14])[0]
    bullet = rng.choice(["•", "-", "*", "•", "-"])
    dstyle = rng.randint(0, 4)
    estyle = rng.randint(0, 3)
    sstyle = rng.randint(0, 3)
    name = p["name"].upper() if rng.random() < 0.4 else p["name"]
    contact = rng.choice([
        f"{p['email']} | {p['phone']} | {p['location']}",
        f"Email: {p['email']}\nPhone: {p['phone']}\nLocation: {p['location']}",
        f"{p['location']} · {p['phone']} · {p['email']}",
        f"{p['email']}\n{p['phone']}\n{p['location']}",
    ])
    header = f"{name}\n{p['headline']}\n{contact}" if rng.random() < 0.7 else f"{name}\n{contact}"
    sections: dict[str, str] = {}
    sections["summary"] = p["summary"]

    entries = []
    for j in p["jobs"]:
        dates = _fmt_range(j["start"], j["end"], dstyle)
        bl = "\n".join(f"{bullet} {b}" for b in j["bullets"])
        head = [
            f"{j['title']} | {j['company']} | {j['city']}\n{dates}",
            f"{j['company']}, {j['city']} — {j['title']} ({dates})",
            f"{dates}\n{j['title']}, {j['company']}",
            f"{j['title']}\n{j['company']} · {j['city']} · {dates}",
        ][estyle]
        entries.append(f"{head}\n{bl}")
    sections["experience"] = "\n\n".join(entries)

    skills = list(p["skills"])
    if sstyle == 0:
        sections["skills"] = ", ".join(skills)
    elif sstyle == 1:
        sections["skills"] = "\n".join(f"{bullet} {s}" for s in skills)
    elif sstyle == 2:
        sections["skills"] = " | ".join(skills)
    else:
        half = max(1, len(skills) // 2)
        sections["skills"] = (f"Main: {', '.join(skills[:half])}\n"
                              f"Also: {', '.join(skills[half:]) or 'n/a'}")

    edu_lines = []
    for e in p["education"]:
        yr = f"expected {e['year']}" if e["expected"] else str(e["year"])
        edu_lines.append(rng.choice([
            f"{e['degree']} in {e['field']}, {e['school']} ({yr})",
            f"{e['degree']}, {e['field']}\n{e['school']}, {yr}",
            f"{yr} - {e['degree']} {e['field']} - {e['school']}",
        ]))
    sections["education"] = "\n".join(edu_lines)
    cert_from = min([j["start"].year for j in p["jobs"]] or [2025])
    if p["certs"]:
        sections["certs"] = "\n".join(
            f"{bullet} {c}" + (f" ({rng.randint(min(cert_from, 2026), 2026)})"
                               if rng.random() < 0.4 else "")
            for c in p["certs"])
    sections["langs"] = ", ".join(f"{lg} ({lv})" for lg, lv in p["langs"])
    if p["extras"]:
        sections["extras"] = "\n".join(p["extras"])

    order = ["summary", "experience", "skills", "education", "certs", "langs", "extras"]
    if rng.random() < 0.4:
        order = ["summary", "skills", "experience", "education", "certs", "langs", "extras"]
    if rng.random() < 0.2:
        order = ["summary", "education", "skills", "experience", "certs", "langs", "extras"]
    blocks = [header]
    for key in order:
        if key not in sections:
            continue
        h = _cv_heading(rng.choice(_H_CV[key]), hstyle)
        if key == "summary" and hstyle != 4 and rng.random() < 0.2:
            h = ""  # summary directly under the header
        if hstyle == 4 and key == "langs":
            blocks.append(f"Languages: {sections[key]}")
            continue
        blocks.append(f"{h}\n{sections[key]}" if h else sections[key])
    return "\n\n".join(blocks) + "\n"


def _cv_plan(n: int, seed: int) -> list[tuple[random.Random, dict[str, Any], str]]:
    rng = random.Random(f"cvs:{seed}")
    occ_keys = list(OCCUPATIONS)
    order: list[str] = []
    out = []
    for i in range(n):
        if not order:
            order = occ_keys[:]
            rng.shuffle(order)
        occ_key = order.pop()
        seniority = rng.choices(SENIORITIES, weights=[6, 18, 26, 24, 10, 6, 10])[0]
        profile = _cv_profile(rng, i, occ_key, seniority, seed)
        out.append((rng, profile, _render_cv(rng, profile)))
    return out


def generate_cvs(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Generate ``n`` synthetic CVs: ``{"id", "occupation", "seniority", "text"}``."""
    return [{"id": p["id"], "occupation": p["occupation"], "seniority": p["seniority"],
             "text": text} for _, p, text in _cv_plan(n, seed)]


# --------------------------------------------------------------------------- bundled files

_FIXED_TIME = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)
_LATIN1_MAP = {"–": "-", "—": "-", "•": "-", "·": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
               "€": "EUR ", "…": "...", "\u00a0": " "}


def to_latin1(text: str) -> str:
    """Transliterate ``text`` so it can be written with a PDF core font (latin-1)."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        elif ch in _LATIN1_MAP:
            out.append(_LATIN1_MAP[ch])
        else:
            import unicodedata

            out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore")
                       .decode("latin-1") or "?")
    return "".join(out)


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite a zip (docx) with fixed timestamps and order so output is byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return buf.getvalue()


def _docx_bytes(p: dict[str, Any], *, skills_table: bool) -> bytes:
    from docx import Document  # local import: only the CLI/tests need python-docx

    doc = Document()
    props = doc.core_properties
    props.author = "jobfit sample generator"
    props.title = f"CV - {p['name']}"
    props.created = _FIXED_TIME.replace(tzinfo=None)
    props.modified = _FIXED_TIME.replace(tzinfo=None)
    props.last_modified_by = "jobfit"
    props.revision = 1
    doc.add_heading(p["name"], level=0)
    doc.add_paragraph(f"{p['headline']}\n{p['email']} | {p['phone']} | {p['location']}")
    doc.add_heading("Professional Summary" if skills_table else "Profile", level=1)
    doc.add_paragraph(p["summary"])
    doc.add_heading("Skills" if skills_table else "Core Competencies", level=1)
    if skills_table:
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = "Skill"
        table.rows[0].cells[1].text = "Level"
        levels = ["Expert", "Advanced", "Advanced", "Intermediate", "Basic"]
        for i, skill in enumerate(p["skills"]):
            row = table.add_row()
            row.cells[0].text = skill
            row.cells[1].text = levels[min(i * len(levels) // max(1, len(p["skills"])), 4)]
    else:
        doc.add_paragraph(", ".join(p["skills"]))
    doc.add_heading("Work Experience" if skills_table else "Employment History", level=1)
    for j in p["jobs"]:
        para = doc.add_paragraph()
        para.add_run(f"{j['title']}, {j['company']}").bold = True
        para.add_run(f"\n{j['city']} | {_fmt_range(j['start'], j['end'], 0)}")
        for b in j["bullets"]:
            doc.add_paragraph(b, style="List Bullet")
    doc.add_heading("Education", level=1)
    for e in p["education"]:
        doc.add_paragraph(f"{e['degree']} in {e['field']}, {e['school']} ({e['year']})")
    if p["certs"]:
        doc.add_heading("Certifications", level=1)
        for c in p["certs"]:
            doc.add_paragraph(c, style="List Bullet")
    doc.add_heading("Languages", level=1)
    doc.add_paragraph(", ".join(f"{lg} ({lv})" for lg, lv in p["langs"]))
    if p["extras"]:
        doc.add_paragraph("\n".join(p["extras"]))
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _pdf_bytes(text: str, title: str) -> bytes:
    from fpdf import FPDF  # local import: only the CLI/tests need fpdf2

    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED_TIME)
    pdf.set_title(to_latin1(title))
    pdf.set_author("jobfit sample generator")
    pdf.set_creator("jobfit")
    pdf.set_producer("fpdf2")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    lines = to_latin1(text).split("\n")
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, lines[0], new_x="LMARGIN", new_y="NEXT")
    for line in lines[1:]:
        is_heading = bool(line) and line.isupper() and len(line) < 40
        pdf.set_font("Helvetica", "B" if is_heading else "", 12 if is_heading else 10)
        pdf.multi_cell(0, 5.5 if line else 3, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


#: (occupation, seniority, file name) for the five bundled CVs.
_BUNDLED_CVS: list[tuple[str, str, str]] = [
    ("backend_engineer", "senior", "backend_engineer_senior.txt"),
    ("registered_nurse", "mid", "registered_nurse.txt"),
    ("data_scientist", "junior", "data_scientist_junior.docx"),
    ("marketing_manager", "manager", "marketing_manager.docx"),
    ("accountant", "mid", "accountant.pdf"),
]


def _bundled_cvs(seed: int) -> list[tuple[str, dict[str, Any], str]]:
    out = []
    for i, (occ_key, seniority, fname) in enumerate(_BUNDLED_CVS):
        rng = random.Random(f"bundled:{seed}:{i}")
        profile = _cv_profile(rng, 900 + i, occ_key, seniority, seed)
        text = _render_cv(rng, profile)
        if fname.endswith(".pdf"):  # PDF: keep headings detectable (ALL CAPS) and no changer
            text = "\n".join(ln.upper() if ln.rstrip(":") in sum(_H_CV.values(), []) else ln
                             for ln in text.split("\n"))
        out.append((fname, profile, text))
    return out


def write_bundle(out_dir: Path, seed: int = 0, n_jobs: int = 320) -> dict[str, int]:
    """Write the bundled sample (jobs.json, jobs.jsonl, cvs.jsonl, cvs/*) and return sizes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cv_dir = out_dir / "cvs"
    cv_dir.mkdir(exist_ok=True)
    jobs = generate_jobs(n_jobs, seed=seed)
    files: dict[str, bytes] = {}
    files["jobs.json"] = ("[\n" + ",\n".join(
        json.dumps(j, ensure_ascii=False, sort_keys=False) for j in jobs) + "\n]\n").encode()
    batch_jobs = jobs[:40]
    files["jobs.jsonl"] = "".join(json.dumps({"id": j["external_id"], "text": (
        f"{j['title']}\n{j['company']} - {j['location']}\n\n{j['description']}")},
        ensure_ascii=False) + "\n" for j in batch_jobs).encode()
    bundled = _bundled_cvs(seed)
    cvs = generate_cvs(25, seed=seed)
    cv_lines = [{"id": Path(f).stem, "text": t} for f, _, t in bundled]
    cv_lines += [{"id": c["id"], "text": c["text"]} for c in cvs]
    files["cvs.jsonl"] = "".join(
        json.dumps(c, ensure_ascii=False) + "\n" for c in cv_lines).encode()
    for fname, profile, text in bundled:
        if fname.endswith(".txt"):
            files[f"cvs/{fname}"] = text.encode()
        elif fname.endswith(".docx"):
            files[f"cvs/{fname}"] = _docx_bytes(profile, skills_table="data_scientist" in fname)
        else:
            files[f"cvs/{fname}"] = _pdf_bytes(text, f"CV - {profile['name']}")
    labels = {"cvs": [{"id": Path(f).stem, "occupation": p["occupation"],
                       "seniority": p["seniority"]} for f, p, _ in bundled]
              + [{"id": c["id"], "occupation": c["occupation"], "seniority": c["seniority"]}
                 for c in cvs]}
    files["labels.json"] = (json.dumps(labels, indent=1) + "\n").encode()
    sizes = {}
    for rel, data in files.items():
        (out_dir / rel).write_bytes(data)
        sizes[rel] = len(data)
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the bundled synthetic sample data.")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=320)
    args = parser.parse_args(argv)
    sizes = write_bundle(args.out, seed=args.seed, n_jobs=args.jobs)
    for rel, size in sorted(sizes.items()):
        print(f"{size:>9,d}  {args.out / rel}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
