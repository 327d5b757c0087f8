"""Agency level (national … township) and agency type (government, office, department …).

Both follow from the name's suffix and from the level of the place the name starts with, as described in
``pipeline.schemas.ReportsModel``: a 直辖市's own agencies are provincial, a 地级市's municipal, those of
a county, county-level city, district or zone (resolved to its county) county-level, and 镇/乡/街道
agencies township-level.
"""

from __future__ import annotations

import re

from pipeline.metadata import region
from pipeline.metadata.names import is_town

_NATIONAL_NAME = re.compile(r"^(?:中华人民共和国|国家|国务院)|^[\u4e00-\u9fff]{2,12}(?:部|总局|总署)$")


_TYPES = (
    ("street_office", re.compile(r"街道(?:办事处)?$|街道办$")),
    ("township", re.compile(r"(?:镇|乡)(?:人民政府)?$")),
    (
        "government_office",
        re.compile(r"(?:人民政府|政府|管委会|管理委员会)(?:办公室|办公厅|办)$|^国务院办公厅$"),
    ),
    ("government", re.compile(r"(?:人民政府|管委会|管理委员会)$")),
    ("department", re.compile(r"(?:局|委员会|委|厅|部|总局|总署|署|办公室|办)$")),
)


def agency_type(name: str | None) -> str | None:
    """Agency type: government / government_office / department / street_office / township / other."""
    if not name:
        return None
    return next((kind for kind, rx in _TYPES if rx.search(name)), "other")


def agency_level(name: str | None, place: region.Division | None, national: bool) -> str:
    """Agency level: national / provincial / municipal / county / township / unknown."""
    if not name:
        return "unknown"
    if is_town(name):
        return "township"
    if national or (place is None and _NATIONAL_NAME.search(name)):
        return "national"
    if place is None:
        return "unknown"
    return {region.PROVINCE: "provincial", region.PREFECTURE: "municipal", region.COUNTY: "county"}[
        place.kind
    ]
