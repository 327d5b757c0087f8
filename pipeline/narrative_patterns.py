"""Phrase patterns for the narrative extractor (``pipeline.narrative``).

Which words around a number define which ``narr.*`` metric, and which negations are zero statements.

All patterns run on the compact normalised text (no whitespace; full-width punctuation already mapped to
ASCII: ， → ``,``, ； → ``;``, ： → ``:``, （） → ``()``, “” → ``"``). A *number rule* looks at the clause
before a quantity (``left``, anchored at its end) and optionally at the text right after the quantity
(``right``, anchored at its start), so both 共受理申请7件 and 共收到4件信息公开申请 are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberRule:
    """Words before (and optionally after) a quantity that make it a given metric."""

    rule_id: str
    metric: str
    left: re.Pattern[str]
    units: frozenset[str]
    right: re.Pattern[str] | None = None
    topics: frozenset[str] | None = None  # None = any narrative topic
    sentence_needs: re.Pattern[str] | None = None  # the sentence must contain this
    sentence_forbids: re.Pattern[str] | None = None  # … and must not contain this
    clause_forbids: re.Pattern[str] | None = None
    cumulative_twin: str | None = None  # metric to use when the figure is cumulative (累计/历年)
    check_subordinate: bool = False  # skip figures of subordinate units (各单位/区直/各乡镇 …)
    priority: int = 0  # lower wins over other readings of the same metric (合计 after its parts)


def _rx(s: str) -> re.Pattern[str]:
    return re.compile(s)


def _u(*units: str) -> frozenset[str]:
    return frozenset(units)


COUNT_ITEMS = _u("条", "件", "份", "篇")
CASES = _u("件", "起", "宗", "个", "次", "份", "项")
REQUESTS = _u("件", "条", "宗", "起", "项", "份", "个", "次")
PEOPLE_VISITS = _u("人次", "次")
PERCENT = _u("%")
MONEY = _u("元", "万元")
PERSONS = _u("名", "人")

INFO_TOPICS = frozenset({"proactive", "overview", "preamble", "other", "response"})
APP_TOPICS = frozenset({"on_request", "overview", "preamble", "other", "proactive", "consultation"})
REVIEW_TOPICS = frozenset({"review_litigation", "on_request", "overview", "preamble", "other", "fees"})

SUBORDINATE = _rx(
    r"各单位|各乡镇|各部门|各区|各县|各街道|各处室|各科室|区直|县直|市直|省直|下属|所属单位|直属单位|局属"
    r"|市级机关|各级行政机关|各地|各市|各支队|各分局|公开办"
)
# "制作、获取政府信息总数N条，其中主动公开…依申请公开…不予公开…" classifies information, not requests.
INFO_CLASSIFICATION = _rx(r"制作|获取政府信息|印发公文|公文类")
HOTLINE = _rx(r"12345|12365|12315|12348|热线|市长电话|信箱|信访|投诉件|诉求")
NOT_FOI_CASES = _rx(r"审批事项|行政许可|办件|便民服务")

# Channel keywords of proactive disclosure, most specific first.
ACTIVE_CHANNELS: list[tuple[re.Pattern[str], str]] = [
    (_rx(r"微信"), "narr.active.channel.wechat"),
    (_rx(r"微博"), "narr.active.channel.weibo"),
    (_rx(r"触摸屏|电子屏|显示屏|大屏幕|LED屏"), "narr.active.channel.screen"),
    (_rx(r"查阅中心|查阅点|查阅室|查阅场所|档案馆|图书馆"), "narr.active.channel.reading_room"),
    (
        _rx(r"服务大厅|服务中心|办事大厅|公示栏|公开栏(?!目)|宣传栏|公告栏|揭示板|公开墙|公示墙"),
        "narr.active.channel.onsite",
    ),
    (_rx(r"公报"), "narr.active.channel.gazette"),
    (
        _rx(r"报刊|报纸|广播|电视|(?<!新)媒体|日报|时报"),
        "narr.active.channel.media",
    ),  # 政务新媒体 is not the press
    (
        _rx(r"政务公开信息网|政务公开网|信息公开网|信息公开平台|信息发布平台"),
        "narr.active.channel.gov_platform",
    ),
    (_rx(r"网站|门户网|官网|网上(?=公开|发布)|专栏|网页|平潭网|网》"), "narr.active.channel.website"),
]
CHANNEL_TAIL = _rx(
    r"(?:发布|公开|公布|推送|更新|编发|刊发|报道|刊登|发表|播出|布)(?:了)?[^,;:]{0,20}?(?:共计?)?$"
)
CHANNEL_NOUN_TAIL = _rx(
    r"(?:查阅中心|查阅点|服务大厅|网站|公示栏|公开栏|公众号|微信|微博)(?:\([^()]{1,8}\))?$"
)
CHANNEL_UNITS = _u("条", "件", "篇", "份")

_ACTIVE_MID = r"(?:(?!规范性|政策性|规章|公文|文件类|依申请)[^,;:]){0,12}?"

NUMBER_RULES: list[NumberRule] = [
    # ---- proactive disclosure -----------------------------------------------------------------------
    NumberRule(
        "active.items/A1",
        "narr.active.items",
        _rx(
            r"(?<!应)主动(?:公开|发布)(?:了)?(?:的)?"
            + _ACTIVE_MID
            + r"(?:信息|文件)(?:总?数量?)?(?:共计?|为|有|达|累计)?$"
        ),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A2",
        "narr.active.items",
        _rx(r"主动公开(?:了)?(?:的)?$"),
        COUNT_ITEMS,
        right=_rx(r"^(?:政府|政务)?信息"),
        topics=INFO_TOPICS,
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A6",
        "narr.active.items",
        _rx(r"累计(?:主动)?(?:发布|公开|公布)(?:了)?(?:各类)?(?:政府|政务)?信息(?:共计?)?$"),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A7",  # 主动公开疫情防控数据、财政数据…等政府信息N条: an enumeration ending in 等…信息
        "narr.active.items",
        _rx(r"(?<!应)主动(?:公开|发布)(?:了)?[^,;:。]{0,80}?等(?:各类)?(?:政府|政务)?信息(?:共计?)?$"),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
        sentence_forbids=_rx(r"其中"),  # …其中…栏目主动发布政策文件、财政信息等信息524条 is a part
        clause_forbids=_rx(r"栏目|专栏"),
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A8",  # 发布14条主动公开政府信息: the number before the noun
        "narr.active.items",
        _rx(r"(?:发布|公开|录入|公布)(?:了)?(?:共计?)?$"),
        COUNT_ITEMS,
        right=_rx(r"^主动公开(?:的)?(?:政府|政务)?信息"),
        topics=INFO_TOPICS,
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A5",
        "narr.active.items",
        _rx(r"主动公开(?:了)?(?:共计?)?$"),
        _u("条", "件", "份"),
        topics=INFO_TOPICS,
        sentence_needs=_rx(r"信息|文件|网站|新媒体"),
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/A9",  # 政府信息主动公开数为2918条: the noun before 主动公开
        "narr.active.items",
        _rx(r"(?:政府)?信息主动公开(?:数|总数|数量)(?:共计?|为|达)?$"),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
        cumulative_twin="narr.active.items_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "active.items/sum",  # …基础信息135条,…项目信息5条,…信息81条,合计共221条: the total after its parts
        "narr.active.items",
        _rx(r"^(?:合计|总计)(?:共计?|为)?$"),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
        sentence_needs=_rx(r"主动公开[^。]{0,40}?\d+(?:条|件)[,、;]"),
        check_subordinate=True,
        priority=-1,
    ),
    NumberRule(
        "active.fulltext_rate",
        "narr.active.fulltext_rate",
        _rx(r"全文电子化(?:率)?(?:为|达到?|是)?$"),
        PERCENT,
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "active.fulltext_items",
        "narr.active.fulltext_items",
        _rx(r"全文电子化(?:的)?(?:主动公开)?(?:政府)?信息(?:数)?(?:共计?|为)?$"),
        COUNT_ITEMS,
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "active.normative_docs",
        "narr.active.normative_docs",
        _rx(
            r"(?:制发|公开|发布|出台|印发)(?:了)?(?:(?!现行|有效|累计|废止)[^,;:、]){0,14}?规范性文件(?:共计?)?$"
        ),
        _u("件", "份", "个"),
        topics=INFO_TOPICS,
        check_subordinate=True,
    ),
    NumberRule(
        "active.normative_docs/E",  # 发布规章25件,规范性文件2357件 / 主动公开政府信息88条、规范性文件2条
        "narr.active.normative_docs",
        _rx(r"(?:^|[,、])(?:行政)?规范性文件(?:共计?)?$"),
        _u("件", "份", "个", "条"),
        topics=INFO_TOPICS,
        sentence_needs=_rx(
            r"(?:主动公开|公开|发布|制发|印发)(?:了)?[^。;]{0,60}?\d+(?:件|条|部|份|个)[,、]"
            r"(?:[^。;,、]{0,14}?\d+(?:件|条|部|份|个|篇)[,、]){0,8}(?:行政)?规范性文件\d"
        ),
        check_subordinate=True,
    ),
    NumberRule(
        "service_items",
        "narr.service_items",
        _rx(r"政务服务事项(?:共计?)?$"),
        _u("项", "个"),
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "website.visits",
        "narr.website.visits",
        _rx(r"(?<![日高均天])(?:访问|点击|浏览)(?:量|人次|次数)(?:累计)?(?:为|达到?|高达|共)?$"),
        PEOPLE_VISITS,
        sentence_needs=_rx(r"网站|专栏|网|平台|页面"),
        topics=INFO_TOPICS,
        cumulative_twin=None,
    ),
    NumberRule(
        "website.visits/read",  # 门户网站阅读总量突破150万次
        "narr.website.visits",
        _rx(r"网站(?:的)?阅读(?:总)?量(?:为|达到?|突破)?$"),
        PEOPLE_VISITS,
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "website.visits/year_share",  # 累计访问量4746万人次,其中2009年度1499万人次
        "narr.website.visits",
        _rx(r"^其中(?:(?:19|20)\d\d年度?|本年度?|当年|全年)$"),
        PEOPLE_VISITS,
        topics=INFO_TOPICS,
        sentence_needs=_rx(r"累计(?:访问|点击|浏览)(?:量|人次)"),
    ),
    NumberRule(
        "website.daily_visits",
        "narr.website.daily_visits",
        _rx(r"(?:日均|日平均|每日|每天|(?<![单最])日)(?:访问|点击|浏览)量(?:为|达到?|约|实现)?$"),
        PEOPLE_VISITS,
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "website.peak_daily_visits",
        "narr.website.peak_daily_visits",
        _rx(r"(?:单日|日)最高(?:访问|点击|浏览)量(?:为|达到?|高达)?$"),
        PEOPLE_VISITS,
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "reading.visitors",
        "narr.reading.visitors",
        _rx(r"接待(?:公众|群众|市民)?(?:查询|查阅|来访)(?:数|人数)?(?:为|达)?$"),
        _u("人次", "人"),
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "reading.items",
        "narr.reading.items",
        _rx(r"查(?:询|阅)信息(?:数量|数)?(?:为|达)?$"),
        _u("条", "件"),
        topics=INFO_TOPICS,
    ),
    NumberRule(
        "gazette.issues",
        "narr.gazette.issues",
        _rx(r"公报》?(?:共计?)?$"),
        _u(
            "期",
        ),
    ),
    NumberRule(
        "gazette.copies",
        "narr.gazette.copies",
        _rx(r"(?:发行|发放|印发|赠阅|印制)(?:了)?(?:共计?)?$"),
        _u(
            "份",
        ),
        sentence_needs=_rx(r"公报"),
    ),
    NumberRule(
        "press_conferences/L",
        "narr.press_conferences",
        _rx(r"新闻发布(?:会|活动)(?:共计?)?(?:召开|举行|举办)?$"),
        _u("次", "场", "篇", "期"),
    ),
    NumberRule(
        "press_conferences/R",
        "narr.press_conferences",
        _rx(r"(?:召开|举行|举办|组织)(?:了)?$"),
        _u("次", "场"),
        right=_rx(r"^[^,;。]{0,12}?新闻发布(?:会|活动)"),
    ),
    NumberRule(
        "interpretations",
        "narr.interpretations",
        _rx(
            r"(?<!文字)(?<!图文)(?<!图解)(?<!视频)(?<!音频)(?:政策(?:文件)?|文件)?解读(?:类)?(?:信息|稿件|文章|材料|文件|件)?(?:发布)?(?:共计?)?$"
            r"|解读政策性?文件$"
        ),
        _u("篇", "条", "个", "期", "件", "次"),
    ),
    NumberRule(
        "online_interviews",
        "narr.online_interviews",
        _rx(r"在线访谈(?:活动|节目)?(?:共计?)?$"),
        _u("次", "期", "场"),
    ),
    NumberRule(
        "proposals.npc",
        "narr.proposals.npc",
        _rx(r"人大代表(?:议案)?建议(?:共计?)?$"),
        _u(
            "件",
        ),
    ),
    NumberRule(
        "proposals.cppcc",
        "narr.proposals.cppcc",
        _rx(r"政协(?:委员)?提案(?:共计?)?$"),
        _u("件"),
        clause_forbids=_rx(
            r"(?:人大|代表)[^,;]{0,8}(?:建议|议案)[和及、与]"
        ),  # 人大代表建议和政协提案共N件: a joint count
    ),
    # ---- applications ----------------------------------------------------------------------------------
    NumberRule(
        "app.received/L",
        "narr.app.received",
        _rx(
            r"(?:收到|受理|接到|接收|新收|接受)(?:了)?(?:[且并]?(?:办理|答复))?(?:了)?(?:各类|有关|关于)?(?:的)?"
            r"(?:公民、法人(?:或者|和|或)其他组织(?:提出|提交)?的)?"
            r"(?:(?:政府)?信息公开|公开政府信息)(?:的)?申请(?:共计?|总数|数量|数)?(?:为)?$"
            r"|依申请公开[^,;:]{0,8}?(?:共计?)?(?:收到|受理|接到|接收)(?:了)?$"
            r"|(?:收到|受理|接到|接收)(?:了)?[^,;:]{0,6}?依申请[^,;:]{0,8}?(?:共计?|总数|数)?$"
            r"|受理申请(?:的)?(?:数量|数)(?:为)?$"
            r"|(?:信息公开)?申请(?:总数|总量)(?:为|共计?)?$"
        ),
        REQUESTS,
        topics=APP_TOPICS,
        clause_forbids=_rx(r"复议|诉讼|申诉|结转|上年"),
        sentence_forbids=HOTLINE,
        cumulative_twin="narr.app.received_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "app.received/R",
        "narr.app.received",
        _rx(r"(?:收到|受理|接到|接收)(?:了)?(?:各类)?$"),
        REQUESTS,
        right=_rx(
            r"^(?:有关|关于)?(?:的)?(?:政府)?信息(?:依申请)?公开(?:的)?申请|^(?:政府)?信息依申请公开|^依申请公开"
        ),
        topics=APP_TOPICS,
        clause_forbids=_rx(r"复议|诉讼|申诉"),
        cumulative_twin="narr.app.received_cumulative",
        check_subordinate=True,
    ),
    NumberRule(
        "app.answered",
        "narr.app.answered",
        _rx(
            r"(?:已|共|均已)?(?:答复|办结)(?:了)?(?:(?:政府)?信息公开)?(?:申请)?(?:总数|数)?(?:共计?|为)?$"
            r"|答复(?:总)?数(?:为)?$|^办理(?:了)?(?:申请)?$"
            r"|(?:共|已|累计)办理(?:了)?(?:公民、法人(?:或者|和|或)其他组织(?:提出|提交)?的)?"
            r"(?:(?:政府)?信息公开|依申请(?:信息)?公开)?(?:申请)?(?:事项)?$"
        ),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请"),
        sentence_forbids=HOTLINE,
        # 同意公开答复N件 / 不同意公开答复的N件 are outcomes, not the number answered; 办理相关案件 is litigation
        clause_forbids=_rx(
            NOT_FOI_CASES.pattern + r"|同意公开|部分公开|予以公开|不予|案件|复议|诉讼|按时|延期|逾期|超期"
        ),
    ),
    NumberRule(
        "app.granted",
        "narr.app.granted",
        _rx(
            r'(?<!不)"?(?<!不)(?:同意公开|予以公开|全部公开)"?(?:的)?(?:答复)?(?:的)?(?:数|总数)?(?:共计?|为)?$'
        ),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请(?!公开信息)|答复"),
        sentence_forbids=INFO_CLASSIFICATION,
    ),
    NumberRule(
        "app.partial",
        "narr.app.partial",
        _rx(r'(?:同意)?部分公开"?(?:的)?(?:答复)?(?:的)?(?:数)?(?:共计?|为)?$'),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请(?!公开信息)|答复"),
        sentence_forbids=INFO_CLASSIFICATION,
        clause_forbids=_rx(r"(?:予以公开|同意公开|全部公开)(?:及|和|与|、|或)部分公开"),
    ),
    NumberRule(
        "app.withheld",
        "narr.app.withheld",
        _rx(r'"?(?:不同意公开|不予公开|否决公开|免予公开)"?(?:的)?(?:答复)?(?:的)?(?:数)?(?:共计?|为)?$'),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请(?!公开信息)|答复"),
        sentence_forbids=INFO_CLASSIFICATION,
    ),
    NumberRule(
        "app.not_exist",
        "narr.app.not_exist",
        _rx(r'"?(?:申请)?信息不存在"?(?:的)?(?:数)?$'),
        REQUESTS,
        topics=APP_TOPICS,
    ),
    NumberRule(
        "app.not_this_agency",
        "narr.app.not_this_agency",
        _rx(
            r'"?(?:非本(?:行政)?(?:机关|部门|单位)掌握|不属于本(?:行政)?(?:机关|部门|单位)(?:公开|掌握)?(?:范围|职责)?|本机关不掌握(?:相关政府信息)?)"?(?:的)?(?:数)?$'
        ),
        REQUESTS,
        topics=APP_TOPICS,
    ),
    NumberRule(
        "app.unclear",
        "narr.app.unclear",
        _rx(r'申请内容不明确"?(?:的)?$'),
        REQUESTS,
        topics=APP_TOPICS,
    ),
    NumberRule(
        "app.not_gov_info",
        "narr.app.not_gov_info",
        _rx(r'不属于(?:《条例》所指(?:的)?)?政府信息"?(?:的)?$'),
        REQUESTS,
        topics=APP_TOPICS,
    ),
    NumberRule(
        "app.other_channel",
        "narr.app.other_channel",
        _rx(r"告知(?:通过)?其他途径(?:办理)?(?:的)?$"),
        REQUESTS,
        topics=APP_TOPICS,
    ),
    NumberRule(
        "app.pending/L",
        "narr.app.pending",
        _rx(
            r"(?:正在办理|尚未(?:答复|办结)|仍在办理)(?:中)?(?:的)?(?:申请)?$"
            r"|结转(?:到|至)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?$"
        ),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请"),
    ),
    NumberRule(
        "app.pending/R",
        "narr.app.pending",
        _rx(r"(?:另有|尚有|还有)?$"),
        REQUESTS,
        right=_rx(r"^(?:申请)?[^,;。]{0,12}?(?:顺延|结转)(?:到|至)?下(?:一)?年"),
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请"),
    ),
    NumberRule(
        "app.carried_over",
        "narr.app.carried_over",
        _rx(
            r"(?:上(?:一)?年(?:度)?结转|结转上(?:一)?年(?:度)?)(?:的)?(?:政府)?(?:信息公开)?(?:的)?(?:申请)?(?:数量|数)?(?:共计?|为)?$"
        ),
        REQUESTS,
        topics=APP_TOPICS,
        sentence_needs=_rx(r"申请"),
    ),
    NumberRule(
        "app.on_time_rate",
        "narr.app.on_time_rate",
        _rx(r"按时(?:办结|答复)率(?:为|达到?)?$"),
        PERCENT,
        topics=APP_TOPICS,
        sentence_forbids=HOTLINE,  # 县长信箱…按时办结率100% is not about disclosure requests
    ),
    # ---- review, litigation, appeals, complaints ---------------------------------------------------
    NumberRule(
        "review.count/L",
        "narr.review.count",
        _rx(r"(?<!其中)(?:行政复议|复议)(?:案件|案|申请)?(?:共计?|为)?$"),
        CASES,
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
    ),
    NumberRule(
        "review.count/R",
        "narr.review.count",
        _rx(r"(?:发生|收到|受理|接到|共有|有)(?:了)?$"),
        CASES,
        right=_rx(r"^(?:有关|针对|关于)?[^,;。]{0,30}?(?:行政)?复议(?:案件|案|申请)?"),
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
    ),
    NumberRule(
        "litigation.count/L",
        "narr.litigation.count",
        _rx(r"(?:行政诉讼|诉讼)(?:案件|案)?(?:共计?|为)?$"),
        CASES,
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
    ),
    NumberRule(
        "litigation.count/R",
        "narr.litigation.count",
        _rx(r"(?:发生|收到|受理|接到|共有|有)(?:了)?$"),
        CASES,
        right=_rx(r"^(?:有关|针对|关于)?[^,;。]{0,30}?行政诉讼(?:案件|案)?"),
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
    ),
    NumberRule(
        "appeal.count",
        "narr.appeal.count",
        _rx(r"(?:行政)?申诉(?:案件|案)?(?:共计?)?$"),
        CASES,
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
    ),
    NumberRule(
        "complaint.count",
        "narr.complaint.count",
        _rx(r"(?:举报|投诉)(?:案件|件)?(?:共计?)?$"),
        CASES,
        topics=REVIEW_TOPICS,
        sentence_needs=_rx(r"信息公开"),
        sentence_forbids=HOTLINE,
    ),
    # ---- fees, staff, budget, training -------------------------------------------------------------
    NumberRule(
        "fees.collected",
        "narr.fees.collected",
        _rx(
            r"(?:收取|收缴)(?:了)?(?:申请人)?(?:的)?(?:(?:检索|复制|邮寄|信息处理|工本|成本)?费用?[、和及]?){0,4}(?:共计?)?$"
        ),
        MONEY,
    ),
    NumberRule("fees.waived", "narr.fees.waived", _rx(r"减免(?:费用)?(?:共计?)?$"), MONEY),
    NumberRule(
        "budget",
        "narr.budget",
        _rx(r"(?:工作|专项)经费(?:共计?|为)?$|(?:信息公开|公开工作)(?:的)?费用(?:支出)?(?:共计?|为)?$"),
        MONEY,
        sentence_needs=_rx(r"信息公开|政务公开"),
    ),
    NumberRule(
        "staff.full_time/L",
        "narr.staff.full_time",
        _rx(r"(?:专职|全职)(?:工作)?(?:人员)?(?:数)?(?:共计?|为|有)?$"),
        PERSONS,
    ),
    NumberRule(
        "staff.full_time/R",
        "narr.staff.full_time",
        _rx(r"(?:配备|安排|有|设|确定|指定|落实)(?:了)?$"),
        PERSONS,
        right=_rx(r"^(?:专职|全职)"),
    ),
    NumberRule(
        "staff.part_time/L",
        "narr.staff.part_time",
        _rx(r"兼职(?:工作)?(?:人员)?(?:数)?(?:共计?|为|有)?$"),
        PERSONS,
    ),
    NumberRule(
        "staff.part_time/R",
        "narr.staff.part_time",
        _rx(r"(?:配备|安排|有|设|确定|指定|落实)(?:了)?$"),
        PERSONS,
        right=_rx(r"^(?:兼职|同志\(兼职\))"),
    ),
    NumberRule(
        "staff.part_time/P",
        "narr.staff.part_time",
        _rx(r""),
        PERSONS,
        right=_rx(r"^(?:同志|工作人员)?\(兼职\)"),
    ),
    NumberRule(
        "training.sessions",
        "narr.training.sessions",
        _rx(
            r"(?:举办|组织|开展|召开)(?:了)?[^,;]{0,10}?培训(?:班|会)?(?:共计?)?$"
            r"|组织[^,;]{0,30}?参加(?:了)?[^,;]{0,6}?培训(?:班|会)?(?:共计?)?$"
        ),
        _u("期", "次", "场", "个"),
        sentence_needs=_rx(r"信息公开|政务公开"),
    ),
    NumberRule(
        "training.trainees",
        "narr.training.trainees",
        _rx(r"培训(?:[^,;:]{0,12}?(?:人员|干部|同志|人))?(?:共计?|达)?$"),
        _u("人次", "人"),
        sentence_needs=_rx(r"信息公开|政务公开"),
    ),
    NumberRule(
        "meetings",
        "narr.meetings",
        _rx(r"召开(?:了)?[^,;]{0,12}?(?:信息公开|政务公开)[^,;]{0,8}?会议(?:共计?)?$"),
        _u("次", "场"),
    ),
]

# Consultation (family-B reports): channel words before 咨询.
CONSULT_CHANNELS: list[tuple[re.Pattern[str], str]] = [
    (_rx(r"(?:现场|当面|来访|窗口)(?:接待)?咨询(?:量)?(?:为|达)?$"), "narr.consult.onsite"),
    (_rx(r"电话咨询(?:量)?(?:为|达)?$|咨询电话(?:为|达)?$"), "narr.consult.phone"),
    (_rx(r"(?:网上|在线|网络|电子邮件|邮件|网站留言)咨询(?:量)?(?:为|达)?$"), "narr.consult.online"),
    (_rx(r"(?:信函|来信|其他方式|其他)咨询(?:量)?(?:为|达)?$"), "narr.consult.other"),
]
CONSULT_TOTAL_LEFT = _rx(r"咨询(?:量|总量|总数)?(?:共计?|为|达)?$")
CONSULT_TOTAL_RIGHT = _rx(r"^[^,;。]{0,24}?咨询")
CONSULT_UNITS = _u("人次", "次", "件", "个", "条", "起", "人")
CONSULT_SHARE = _rx(r",?(?:占(?:总数|总量|全部|总)?的?)?(?P<pct>\d+(?:\.\d+)?)%(?P<post>占)?")
CONSULT_EXPLICIT = _rx(r"信息公开(?:方面|有关|相关)?的?咨询|咨询(?:情况|处理)")

# Bare channel words whose meaning depends on the section (申请 in 依申请公开, 咨询 in 咨询情况).
BARE_CHANNEL = _rx(
    r"(?:其中)?[,:]?(?P<ch>当面|现场|网上|网络|在线|电话|信函|传真|电子邮件)(?:方式)?(?:提出)?$"
)
BARE_CHANNEL_APP = {
    "当面": "narr.app.channel.in_person",
    "现场": "narr.app.channel.in_person",
    "网上": "narr.app.channel.online",
    "网络": "narr.app.channel.online",
    "在线": "narr.app.channel.online",
    "信函": "narr.app.channel.letter",
    "传真": "narr.app.channel.fax",
    "电子邮件": "narr.app.channel.email",
}
BARE_CHANNEL_CONSULT = {
    "当面": "narr.consult.onsite",
    "现场": "narr.consult.onsite",
    "网上": "narr.consult.online",
    "网络": "narr.consult.online",
    "在线": "narr.consult.online",
    "电子邮件": "narr.consult.online",
    "电话": "narr.consult.phone",
    "信函": "narr.consult.other",
}
APP_CHANNEL_LEFT = _rx(
    r"(?P<ch>当面|现场|网上|网络|在线|信函|来信|传真|电子邮件|邮件|其他形式|其他方式)(?:申请|提交申请|提出申请)(?:数)?(?:共计?|为)?$"
)
APP_CHANNEL_RIGHT = _rx(  # matched right after the figure
    r"(?:是|为|通过)?(?P<ch>当面|现场|网上|网络|在线|信函|传真|电子邮件)(?:方式)?(?:提交|提出)?(?:的)?(?:依)?申请"
)
APP_CHANNEL_MAP = {
    "当面": "narr.app.channel.in_person",
    "现场": "narr.app.channel.in_person",
    "网上": "narr.app.channel.online",
    "网络": "narr.app.channel.online",
    "在线": "narr.app.channel.online",
    "信函": "narr.app.channel.letter",
    "来信": "narr.app.channel.letter",
    "传真": "narr.app.channel.fax",
    "电子邮件": "narr.app.channel.email",
    "邮件": "narr.app.channel.email",
    "其他形式": "narr.app.channel.other",
    "其他方式": "narr.app.channel.other",
}

# ---- zero statements -------------------------------------------------------------------------------
# 未 not after 尚, written 未(?<!尚未): with every alternative opening on a character, the regex engine
# scans for those characters instead of trying the pattern at every position (same matches, ~4x faster).
NEG = r"(?:没有|未曾|从未|均未|并未|不存在|未(?<!尚未)|无)(?!经|予|按|能|正当)"
ZERO_APP = _rx(NEG + r"[^,;。]{0,8}?(?:收到|受理|接到|接收|发生)(?:过)?(?:任何)?[^;。]{0,40}?申请(?!人)")
# 我镇2016年度无申请。 (only read under an on-request heading)
ZERO_APP_BARE = _rx(r"无(?:依申请公开)?申请(?:事项)?(?=[。;,]|$)")
ZERO_NORMATIVE = _rx(NEG + r"(?:制发|发布|印发|出台)(?:[、,](?:废止|修订))?[^,;。]{0,8}?(?:行政)?规范性文件")
ZERO_CASES = _rx(NEG + r"[^,;。]{0,60}?(?:行政复议|复议|行政诉讼|诉讼|申诉|申述|举报|投诉)")
ZERO_FEES_FIXED = _rx(r"零收费|暂不收费|不收取(?:任何)?费用|未产生[^,;。]{0,16}?信息处理费")
# 不存在减免情况 / 无减免: nothing was waived (read in a fees context)
ZERO_WAIVED = _rx(NEG + r"[^,;。]{0,4}?减免")
ZERO_FEES = _rx(NEG + r"[^,;。]{0,20}?(?:收取|收费|实施收费|进行收费|收缴)(?:[^,;。]{0,8}?费用?)?")
NEG_RE = _rx(NEG)
ZERO_CONSULT = _rx(NEG + r"[^,;。]{0,10}?(?:接受|收到|接到|受理|接待)(?:到)?[^,;。]{0,16}?咨询")
ZERO_FULL_TIME = _rx(NEG + r"[^,;。]{0,20}?(?:专职|全职)(?:工作)?人员")
ZERO_WITHHELD = _rx(NEG + r"不予公开(?:的)?(?:政府)?信息")
CASE_WORDS: list[tuple[re.Pattern[str], str]] = [
    (_rx(r"复议(?!后起诉)"), "narr.review.count"),
    (_rx(r"(?<!起)诉讼|行政起诉"), "narr.litigation.count"),
    (_rx(r"申诉|申述"), "narr.appeal.count"),
    (_rx(r"举报|投诉"), "narr.complaint.count"),
]
ZERO_CASE_CLAUSE_FORBIDS = _rx(r"费用|12345|12365|热线")
