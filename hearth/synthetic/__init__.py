"""Synthetic HMIS data: realistic, deterministic FY2026 exports of a whole CoC, for demos, tests and benchmarks.

``hearth generate --clients N --seed S --out PATH [--years Y] [--end-date YYYY-MM-DD] [--duplicates 0.03]``, or
``hearth.synthetic.generator.generate(clients, seed, out, years=4, end_date=2026-09-30)`` from Python. The same
arguments always give the same bytes. A million clients take a minute or two and about 2 GB of memory.

How it is built (each module is named after what it makes):

- ``streams`` named random streams from the seed; ``timeline`` days and date-times; ``writer`` HUD's CSV form.
- The CoC: ``geography`` (CoC codes, places), ``organizations`` (and users), ``projects`` (every project
  type, with its funder), ``project_records`` (Project, Funder, ProjectCoC, Affiliation, HMIS and CE
  participation), ``inventory`` (beds and units sized from the data).
- The people: ``households`` (who, with whom, age, sex, veteran status, disabilities), ``identities`` and
  ``names`` (names, SSN, DOB), ``clients`` (Client.csv), ``duplicates`` (second records and the ground truth).
- Their paths: ``paths`` (stays, project to project, over the years), ``living_situation`` (destinations
  and prior living situations), ``enrollments``, ``homeless_history`` and ``program_elements`` (what
  Enrollment.csv records), ``enrollment_records``, ``exits``.
- What is collected during a stay: ``collection`` (entry, annual, exit), ``income``, ``health``,
  ``disabilities``, ``education``, ``services`` (bed nights and funder services), ``current_living``
  (outreach contacts), ``coordinated_entry`` (assessments and referral events).
- ``world`` holds it all together; ``generator`` builds the world and writes the 24 files in spec order.
"""
