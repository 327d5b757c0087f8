"""Section segmentation: split a report into headed sections and map each to a canonical topic.

Entry point: ``segment(text, layout) -> list[Section]``. Offsets are into the original text.
(Starter implementation: level-1 headings 一、… at line start. Deepened in issue #4.)
"""

from __future__ import annotations

import re

from pipeline.records import Section
from pipeline.text import normalize

_H1 = re.compile(r"(?m)^[ \t]*([一二三四五六七八九十]{1,3})[、.][ \t]*(\S[^\n]{0,60})$")

TOPIC_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("statistics_table", ("统计表",)),
    ("overview", ("概述", "总体情况", "基本情况")),
    ("proactive", ("主动公开",)),
    ("on_request", ("依申请", "申请公开", "收到和处理", "申请办理", "受理申请")),
    ("consultation", ("咨询",)),
    ("fees", ("收费", "减免")),
    ("review_litigation", ("复议", "诉讼", "申诉", "举报", "投诉")),
    ("response", ("回应", "解读")),
    ("organisation", ("机构", "经费", "人员")),
    ("meetings_training", ("会议", "培训")),
    ("problems", ("问题", "改进", "措施", "打算", "思路")),
    ("other", ("其他",)),
]


def topic_of(heading: str) -> str:
    """Canonical topic of a heading (first keyword family that matches)."""
    for topic, kws in TOPIC_KEYWORDS:
        if any(k in heading for k in kws):
            return topic
    return "other"


def segment(text: str, layout: str | None = None) -> list[Section]:
    """Split ``text`` into a preamble and one section per level-1 heading."""
    norm = normalize(text)
    heads = [m for m in _H1.finditer(norm)]
    sections: list[Section] = []
    first = heads[0].start() if heads else len(text)
    sections.append(Section(0, 0, None, "preamble", 0, first, "preamble"))
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        heading = m.group(0).strip()
        topic = topic_of(heading)
        sections.append(Section(i + 1, 1, heading, topic, m.start(), end, topic))
    return sections
