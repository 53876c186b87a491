"""The six CV contents of the layout matrix (tests/layouts): one person per field, all fictional.

E-mails use the reserved example.* domains, US phones the fictional 555-01xx range. Dates are (year, month);
None as an end means the position is current. `positions` are jobs and internships (they count towards
years); `activities` are dated but are not jobs (they must not count).
"""

from __future__ import annotations

from typing import Any

Date = tuple[int, int]

CONTENTS: dict[str, dict[str, Any]] = {
    "software": {
        "name": "Ethan Calloway",
        "headline": "Backend Software Engineer",
        "email": "ethan.calloway@example.com",
        "phone": "+1 (555) 010-4821",
        "location": "Denver, CO",
        "summary": (
            "Backend engineer with seven years of experience building reliable APIs and data pipelines in "
            "Python and Go, running them on Kubernetes in AWS."
        ),
        "positions": [
            {
                "title": "Senior Software Engineer",
                "company": "Northwind Logistics",
                "city": "Denver, CO",
                "start": (2021, 3),
                "end": None,
                "bullets": [
                    "Designed REST APIs in Python and FastAPI serving 40 million requests a day.",
                    "Moved batch jobs to Kubernetes with Helm charts and Terraform, cutting cost by 30%.",
                    "Mentored four engineers and led code reviews for the payments team.",
                ],
            },
            {
                "title": "Software Engineer",
                "company": "Bluefin Analytics",
                "city": "Boulder, CO",
                "start": (2018, 6),
                "end": (2021, 2),
                "bullets": [
                    "Built event pipelines with Kafka and PostgreSQL for real-time dashboards.",
                    "Wrote Go services with gRPC and added CI/CD with GitHub Actions and Docker.",
                ],
            },
            {
                "title": "Software Engineering Intern",
                "company": "Cobalt Systems",
                "city": "Boulder, CO",
                "start": (2017, 6),
                "end": (2017, 9),
                "bullets": ["Added unit tests with pytest and fixed bugs in a Django admin tool."],
            },
        ],
        "education": [
            {"degree": "B.S. in Computer Science", "school": "University of Colorado Boulder", "year": 2018},
        ],
        "skills": {
            "Languages": ["Python", "Go", "SQL", "JavaScript"],
            "Platforms": ["Kubernetes", "Docker", "AWS", "Terraform", "Helm"],
            "Data": ["PostgreSQL", "Kafka", "Redis"],
            "Practices": ["REST APIs", "gRPC", "CI/CD", "Microservices"],
        },
        "activities": [],
    },
    "data": {
        "name": "Priyanka Deshmukh",
        "headline": "Data Scientist",
        "email": "priyanka.deshmukh@example.org",
        "phone": "+91 98450 12345",
        "location": "Pune, India",
        "summary": (
            "Data scientist with five years of experience in forecasting, experimentation and machine "
            "learning models that ship to production."
        ),
        "positions": [
            {
                "title": "Data Scientist",
                "company": "Saffron Retail Analytics",
                "city": "Pune, India",
                "start": (2022, 1),
                "end": None,
                "bullets": [
                    "Built demand forecasting models with XGBoost and scikit-learn for 900 stores.",
                    "Ran A/B testing for pricing and reported results in Tableau dashboards.",
                ],
            },
            {
                "title": "Data Analyst",
                "company": "Kestrel Insurance",
                "city": "Mumbai, India",
                "start": (2019, 7),
                "end": (2021, 12),
                "bullets": [
                    "Wrote SQL and Python (pandas, NumPy) reports on claims for the actuarial team.",
                    "Automated monthly reporting in Apache Airflow, saving two days a month.",
                ],
            },
        ],
        "education": [
            {"degree": "M.Sc. in Statistics", "school": "Savitribai Phule Pune University", "year": 2019},
            {"degree": "B.Sc. in Mathematics", "school": "Fergusson College", "year": 2017},
        ],
        "skills": {
            "Programming": ["Python", "SQL", "R"],
            "Machine learning": ["scikit-learn", "XGBoost", "TensorFlow", "pandas", "NumPy"],
            "Analytics": ["A/B testing", "Tableau", "Statistics", "Apache Airflow"],
        },
        "activities": [],
    },
    "nursing": {
        "name": "Grace Okonkwo",
        "headline": "Registered Nurse",
        "email": "grace.okonkwo@example.net",
        "phone": "(555) 010-7734",
        "location": "Columbus, OH",
        "summary": (
            "Registered nurse with six years of acute care experience in medical-surgical and intensive care "
            "units, calm under pressure and focused on patient education."
        ),
        "positions": [
            {
                "title": "ICU Registered Nurse",
                "company": "Riverside Methodist Hospital",
                "city": "Columbus, OH",
                "start": (2022, 5),
                "end": None,
                "bullets": [
                    "Care for up to two critically ill patients per shift, including ventilator management.",
                    "Precept new graduate nurses and lead sepsis bundle audits on the unit.",
                ],
            },
            {
                "title": "Staff Nurse",
                "company": "Mercy Health St. Vincent",
                "city": "Toledo, OH",
                "start": (2019, 8),
                "end": (2022, 4),
                "bullets": [
                    "Provided patient care on a 32-bed medical-surgical floor using Epic charting.",
                    "Administered medication and IV therapy and taught discharge plans to families.",
                ],
            },
        ],
        "education": [
            {"degree": "Bachelor of Science in Nursing", "school": "The Ohio State University", "year": 2019},
        ],
        "skills": {
            "Clinical": ["Patient care", "Medication administration", "IV therapy", "Critical care"],
            "Systems": ["Epic", "Electronic health records"],
            "Certifications": ["BLS", "ACLS"],
        },
        "activities": [],
    },
    "finance": {
        "name": "Oliver Whitcombe",
        "headline": "Financial Analyst",
        "email": "oliver.whitcombe@example.co.uk",
        "phone": "+44 20 7946 0321",
        "location": "London, UK",
        "summary": (
            "Financial analyst with four years of experience in budgeting, forecasting and financial "
            "modelling for a listed retailer and an advisory firm."
        ),
        "positions": [
            {
                "title": "Senior Financial Analyst",
                "company": "Harrowgate Retail plc",
                "city": "London, UK",
                "start": (2023, 2),
                "end": None,
                "bullets": [
                    "Own the monthly forecasting and budgeting cycle for a 400 million pound cost base.",
                    "Built financial models in Microsoft Excel and Power BI for store investment cases.",
                ],
            },
            {
                "title": "Financial Analyst",
                "company": "Ashdown Advisory",
                "city": "Manchester, UK",
                "start": (2020, 9),
                "end": (2023, 1),
                "bullets": [
                    "Prepared valuation and variance analysis for clients using Excel and SQL.",
                    "Supported due diligence on six acquisitions.",
                ],
            },
        ],
        "education": [
            {"degree": "BSc in Economics", "school": "University of Manchester", "year": 2020},
        ],
        "skills": {
            "Finance": ["Financial modeling", "Forecasting", "Budgeting", "Variance analysis", "Valuation"],
            "Tools": ["Microsoft Excel", "Power BI", "SQL", "SAP"],
        },
        "activities": [],
    },
    "design": {
        "name": "Lucía Ferreira",
        "headline": "Product Designer",
        "email": "lucia.ferreira@example.com",
        "phone": "+34 612 345 678",
        "location": "Barcelona, Spain",
        "summary": (
            "Product designer with five years of experience in user research, interaction design and design "
            "systems for mobile and web products."
        ),
        "positions": [
            {
                "title": "Product Designer",
                "company": "Marea Travel",
                "city": "Barcelona, Spain",
                "start": (2022, 3),
                "end": None,
                "bullets": [
                    "Lead design for the booking flow in Figma, raising conversion by 12%.",
                    "Run usability testing and user interviews every sprint with the research team.",
                ],
            },
            {
                "title": "UX Designer",
                "company": "Estudio Brisa",
                "city": "Madrid, Spain",
                "start": (2019, 10),
                "end": (2022, 2),
                "bullets": [
                    "Designed wireframes and prototypes for banking and retail clients.",
                    "Built a design system with accessibility guidelines used by 30 designers.",
                ],
            },
        ],
        "education": [
            {"degree": "Master of Arts in Interaction Design", "school": "Elisava School of Design", "year": 2019},
        ],
        "skills": {
            "Design": ["Figma", "Sketch", "Prototyping", "Wireframing", "Design systems"],
            "Research": ["User research", "Usability testing"],
            "Other": ["HTML", "CSS", "Accessibility"],
        },
        "activities": [],
    },
    "student": {
        "name": "Noah Fitzgerald",
        "headline": "Computer Science Student",
        "email": "noah.fitzgerald@example.edu",
        "phone": "(555) 010-2290",
        "location": "Madison, WI",
        "summary": "Second-year computer science student looking for a summer internship in software development.",
        "positions": [
            {
                "title": "Teaching Assistant",
                "company": "University of Wisconsin-Madison",
                "city": "Madison, WI",
                "start": (2026, 1),
                "end": (2026, 5),
                "bullets": ["Held office hours for an introductory Java course of 120 students."],
            },
        ],
        "education": [
            {
                "degree": "Bachelor of Science in Computer Science (expected 2028)",
                "school": "University of Wisconsin-Madison",
                "year": 2028,
            },
            {"degree": "High School Diploma", "school": "Madison West High School", "year": 2024},
        ],
        "skills": {"Programming": ["Java", "Python", "Git", "HTML"]},
        "activities": [
            {"title": "Member, Robotics Club", "start": (2024, 9), "end": None},
        ],
    },
}
