"""The metric-id parts of the standardised tables (std2019 / std2021), spelled once.

Table parsers, derived totals (``pipeline.extract``), identity rules (``pipeline.validate``) and the
cross-year rules all build ids such as ``app.result.withheld.third_party.business`` from these parts;
keeping them here means a new row or column is added in one place.
"""

from __future__ import annotations

# Table 三: applicant columns in printed order (自然人, then the five 法人或其他组织 kinds).
APPLICANTS = ("natural_person", "business", "research", "social_welfare", "legal_service", "other_org")
ORGS = APPLICANTS[1:]
# Every column id of table 三: the applicants, the local 法人或其他组织 subtotal, the total.
T3_COLS = (*APPLICANTS, "legal_total", "total")

# Table 三 result groups: 不予公开 (WH), 无法提供 (UN), 不予处理 (NP), the 2021 其他处理 split (OT21).
WH = (
    "state_secret",
    "law_prohibited",
    "security_stability",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_file",
    "admin_query",
)
UN = ("not_held", "needs_creation", "unclear")
NP = ("petition", "duplicate", "publication", "mass_repeated", "confirm_reissue")
OT21 = ("overdue_correction", "overdue_fee", "other")

# Table 四: the outcome columns of each block (结果维持 / 纠正 / 其他 / 尚未审结), before its 总计.
T4_OUTCOMES = ("maintained", "corrected", "other", "pending")
