"""Demo data modeled on the seed articles: a development-zone union of a county-level city in
Quzhou, Zhejiang, with six grid areas (片区), ~30 enterprises, ~500 workers and ~200 petitions in
every state of the life cycle, among them the owner-missing case of 150 workers.

Every petition is recorded with `services.record_petition`, which starts its `PetitionFlow` path,
and moved with `services.fire_transition` by the person who holds its task, so its timeline and its
tasks are written by the same code as a real one. Around the steps people work the queue as they
would: a clerk or a mediator claims a triage task, the flow gives `start_mediation` to the grid's
mediator with the fewest open tasks, mediators hold one to three sessions before an outcome, sign
agreements with a payment due date, release tasks back to the zone queue, and the supervisor moves
work between people. The load replays some eight months of work, all petitions interleaved in time
order: while it runs, "now" is the simulated moment of each action, so received times, case events,
task times and `updated_at` read like a real history instead of one instant.

Enterprise names are invented; places and industries are those of the seeds.
"""

import datetime
import random
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from arrears import services as arrears
from arrears import timers as report_timers
from arrears.models import MonthlyReport, ResponsibilityLetter
from casework import services
from casework.exceptions import RepeatPetition
from casework.models import (
    Agreement,
    CaseEvent,
    Claim,
    Closure,
    Enterprise,
    MediationSession,
    Petition,
    Role,
    Status,
    Worker,
)
from demo import builders
from demo.builders import CreditCodes, Person
from departments import services as departments
from departments.models import Department, Liaison
from documents import services as documents
from documents.models import DeliveryConsent, Document
from escalation import services as escalation
from figures import tallies
from fund import services as fund_services
from fund.models import EmergencyFund, MinimumWage
from lib.validators import complete_id_number
from prevention import services as prevention
from prevention.models import EarlyWarning
from supervision import services as supervision
from workflows import deadlines, transfers
from workflows import services as workflow
from workflows.models import OPEN_TASK_STATUSES, DeadlineTimer, PetitionTask

SEED = 12351
DEMO_PASSWORD = "demo-12351"
# The demo's department liaison (a login of the labor inspection brigade).
DEPARTMENT_LIAISON = "inspector"
ZONE_CODE = "JSKFQ"
FEDERATION_NAME = "江山市总工会"
ZONE_NAME = "江山经济开发区总工会"
GRID_NAMES = ["山海协作片区", "莲华山片区", "城南片区", "贺村片区", "上余片区", "清湖片区"]
HISTORY_DAYS = 240
# The zone's emergency fund (欠薪应急周转金). Jiangshan is in Zhejiang's third minimum-wage tier.
FUND_NAME = "江山经济开发区欠薪应急周转金"
MINIMUM_WAGES = [(datetime.date(2021, 8, 1), "1840.00"), (datetime.date(2024, 3, 1), "2010.00")]
FUND_RULES = {
    "worker_cap_months": Decimal("1.5"),
    "travel_cap": Decimal("600"),
    "total_cap_percent": Decimal("30"),
    "committee_threshold": Decimal("100000"),
}
# days before the load, amount, source, reference
CONTRIBUTIONS = [
    (230, "500000.00", "government", "江开财〔2026〕12号"),
    (200, "42000.00", "union_dues", "一季度工会经费5%"),
    (110, "45000.00", "union_dues", "二季度工会经费5%"),
    (20, "46500.00", "union_dues", "三季度工会经费5%"),
]
SEED_CASE_RECOVERY = "120000.00"
CITY_REGION = "330881"  # 江山市
# The monthly arrears reports: how many months back, and the enterprises whose union skipped a
# month (months before the load's own): last month's, still missing, and one long past.
REPORT_MONTHS = 12
MISSED_REPORTS = [
    ("江山市绿源新材料有限公司", 1),
    ("江山市锐达汽车配件有限公司", 1),
    ("江山市宏达电子元件有限公司", 5),
]
# Months before the load's own that report arrears: {enterprise: {months back: the report}}.
ARREARS_REPORTS = {
    "浙江恒家门业有限公司": {
        3: {
            "wages": "late",
            "months_in_arrears": 1,
            "workers_affected": 60,
            "amount_owed": "240000.00",
            "social_insurance_unpaid": True,
        },
        2: {
            "wages": "unpaid",
            "months_in_arrears": 2,
            "workers_affected": 150,
            "amount_owed": "620000.00",
            "social_insurance_unpaid": True,
            "production_stopped": True,
            "large_order_lost": True,
        },
        1: {
            "wages": "unpaid",
            "months_in_arrears": 3,
            "workers_affected": 150,
            "amount_owed": "830600.00",
            "production_stopped": True,
            "owner_unreachable": True,
            "utilities_cut": True,
            "note": "老板已失联，厂区停水停电。",
        },
    },
    "江山市永固机械制造有限公司": {
        2: {
            "wages": "late",
            "months_in_arrears": 1,
            "workers_affected": 12,
            "amount_owed": "54000.00",
            "mass_resignations": True,
        },
    },
}
# Early warnings: what the grid mediator did about the arrears reports' warnings, the one turned
# into a petition (with this many workers), and a screening visit of an enterprise without a
# union.
WARNING_ACTIONS = {
    "浙江恒家门业有限公司": "走访厂区，电话联系负责人未果；已向职工说明维权途径。",
    "江山市永固机械制造有限公司": "约谈企业负责人：承认拖欠12名职工工资，承诺月底前结清。",
}
WARNING_TO_PETITION = ("江山市永固机械制造有限公司", 3)
SCREENING_VISIT = ("江山市丽华袜业有限公司", "矛盾排查：工资按月发放，订单稳定，未发现欠薪迹象。")
# A few unions file after the due day (one in this many reports).
LATE_ONE_IN = 12

Channel = Petition.Channel
Category = Petition.Category

# name, industry, grid area (index into GRID_NAMES), has a union
ENTERPRISES = [
    ("江山市明辉照明电器有限公司", "照明电器", 0, True),
    ("浙江光远灯饰有限公司", "照明电器", 0, True),
    ("江山市华亮电光源有限公司", "照明电器", 1, False),
    ("浙江恒力输配电设备有限公司", "输配电设备", 1, True),
    ("江山市衡通互感器有限公司", "输配电设备", 0, True),
    ("浙江江电开关有限公司", "输配电设备", 2, True),
    ("江山市锦程纺织有限公司", "纺织服装", 0, True),
    ("浙江云织针织有限公司", "纺织服装", 3, False),
    ("江山市丽华袜业有限公司", "纺织服装", 3, False),
    ("浙江恒家门业有限公司", "木门制造", 1, True),
    ("江山市安居木门有限公司", "木门制造", 3, False),
    ("江山市鑫盾防盗门有限公司", "木门制造", 4, True),
    ("江山市宏达电子元件有限公司", "电子元件", 2, True),
    ("浙江衢芯电子科技有限公司", "电子元件", 2, False),
    ("江山市永固机械制造有限公司", "机械制造", 4, True),
    ("江山市联兴轴承有限公司", "机械制造", 4, False),
    ("江山市须江食品有限公司", "食品加工", 5, False),
    ("江山市江郎山茶业有限公司", "食品加工", 5, True),
    ("江山市新业蜂产品有限公司", "食品加工", 3, False),
    ("江山市廿八都竹木制品有限公司", "竹木制品", 4, False),
    ("江山市清湖建筑工程有限公司", "建筑施工", 5, False),
    ("浙江衢建市政工程有限公司", "建筑施工", 2, True),
    ("江山市恒通物流有限公司", "物流运输", 5, False),
    ("江山市锐达汽车配件有限公司", "汽车配件", 1, True),
    ("江山市绿源新材料有限公司", "新材料", 1, True),
    ("江山市蓝天塑业有限公司", "塑料制品", 3, False),
    ("浙江山海包装有限公司", "包装印刷", 0, True),
    ("江山市金穗印务有限公司", "包装印刷", 4, False),
    ("江山市华城物业服务有限公司", "物业服务", 5, False),
    ("江山市美佳餐饮管理有限公司", "餐饮服务", 2, False),
]
OWNER_MISSING_ENTERPRISE = "浙江恒家门业有限公司"
ENTERPRISE_UNION_OF = "江山市明辉照明电器有限公司"

# username, role, units ("federation", "zone", a grid index or the enterprise union's grid), name
USERS = [
    ("admin", Role.ADMIN, ["federation"], "系统管理员"),
    ("clerk", Role.INTAKE_CLERK, ["zone"], "毛丽萍"),
    ("mediator1", Role.MEDIATOR, [0, 1], "路晓红"),
    ("mediator2", Role.MEDIATOR, [2, 3], "沈建国"),
    ("mediator3", Role.MEDIATOR, [4, 5], "姜文斌"),
    # A second mediator in two busy grid areas: the flow spreads their work by open tasks.
    ("mediator4", Role.MEDIATOR, [0, 3], "方丽娟"),
    ("supervisor", Role.SUPERVISOR, ["zone"], "祝卫东"),
    ("liaison", Role.COMMITTEE_LIAISON, ["zone"], "徐志刚"),
    ("finance", Role.FINANCE_OFFICER, ["zone"], "郑雅琴"),
    ("enterprise", Role.ENTERPRISE_UNION, ["enterprise"], "王春燕"),
    ("auditor", Role.AUDITOR, ["zone"], "吴建华"),
]

# Where workers come from: the city and its neighbours are local, the rest need travel home.
LOCAL_REGIONS = [("330881", 12), ("330802", 2), ("330803", 2), ("330822", 2), ("330824", 1)]
NON_LOCAL_REGIONS = [
    ("361123", 4),  # 江西 玉山县
    ("361121", 3),  # 江西 上饶县
    ("361128", 2),  # 江西 鄱阳县
    ("361127", 2),  # 江西 余干县
    ("360681", 1),  # 江西 贵溪市
    ("341122", 1),  # 安徽 来安县
    ("511321", 1),  # 四川 南部县
    ("520121", 1),  # 贵州 开阳县
    ("412722", 1),  # 河南 西华县
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹熊白孟秦邱江毛祝郑徐柴姜"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆建国志林海东文武"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲桂英兰萍红梅琴云莲雪慧婷倩秀珍月凤春"
MOBILE_PREFIXES = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "182",
                   "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153",
                   "180", "181", "189", "177", "199", "166", "191"]  # fmt: skip
JOBS = ["流水线操作工", "仓库管理员", "叉车司机", "质检员", "缝纫工", "电焊工", "木工", "油漆工",
        "泥水工", "钢筋工", "保洁员", "厨师", "货车司机", "装配工", "包装工"]  # fmt: skip


# The life cycle: the steps that lead to each final state. Some states are reached more than one
# way; `_path` picks among them.
_MEDIATE = ["accept", "start_mediation"]
_AGREE = [*_MEDIATE, "reach_agreement"]
_FAIL = [*_MEDIATE, "fail_mediation"]
# A fulfilled agreement, and the callback to a worker that lets the case close.
_FULFIL = [*_AGREE, "confirm_fulfilment", "record_callback"]
PATHS = {
    Status.RECEIVED: [[]],
    Status.ACCEPTED: [["accept"]],
    Status.REJECTED: [["reject"]],
    Status.REFERRED_OUT: [["refer_out"]],
    Status.IN_MEDIATION: [_MEDIATE],
    Status.AGREEMENT_REACHED: [_AGREE],
    Status.MEDIATION_FAILED: [_FAIL],
    Status.FULFILLED: [[*_AGREE, "confirm_fulfilment"]],
    Status.BREACHED: [[*_AGREE, "record_breach"]],
    Status.REFERRED: [[*_FAIL, "refer"], [*_AGREE, "record_breach", "refer"]],
    Status.CLOSED: [
        [*_FULFIL, "close"],
        [*_FULFIL, "close"],
        [*_FULFIL, "close"],
        [*_FAIL, "refer", "close"],
        [*_AGREE, "record_breach", "refer", "close"],
        ["reject", "close"],
        ["refer_out", "close"],
    ],
    Status.REOPENED: [[*_FULFIL, "close", "reopen"]],
}
# How many of the ~200 petitions end in each state (the special cases below included).
TARGETS = {
    Status.RECEIVED: 14,
    Status.ACCEPTED: 10,
    Status.REJECTED: 10,
    Status.REFERRED_OUT: 10,
    Status.IN_MEDIATION: 22,
    Status.AGREEMENT_REACHED: 14,
    Status.MEDIATION_FAILED: 8,
    Status.FULFILLED: 14,
    Status.BREACHED: 8,
    Status.REFERRED: 12,
    Status.CLOSED: 70,
    Status.REOPENED: 8,
}
# Days between one step and the next (low, high), after the seed's rules: acceptance within
# 15 days, mediation within 15 days (Art. 14).
GAPS = {
    "accept": (0, 3),
    "reject": (1, 10),
    "refer_out": (0, 3),
    "start_mediation": (1, 6),
    "reach_agreement": (2, 14),
    "fail_mediation": (7, 15),
    "confirm_fulfilment": (5, 30),
    "record_breach": (15, 35),
    "refer": (1, 5),
    "record_callback": (1, 4),
    "close": (1, 10),
    "reopen": (5, 40),
    "link_facts": (1, 5),
}
# Days since the last step, by final state: young cases are still moving, finished ones rest.
TAILS = {
    Status.RECEIVED: (0, 6),
    Status.ACCEPTED: (0, 4),
    Status.IN_MEDIATION: (0, 12),
    Status.AGREEMENT_REACHED: (0, 20),
    Status.MEDIATION_FAILED: (0, 5),
    Status.BREACHED: (0, 4),
    Status.FULFILLED: (0, 15),
    Status.REFERRED: (0, 120),
    Status.REJECTED: (0, 3),
    Status.REFERRED_OUT: (0, 3),
    Status.CLOSED: (0, HISTORY_DAYS),
    Status.REOPENED: (0, 8),
}
CHANNEL_WEIGHTS = {
    Channel.VISIT: 35,
    Channel.HOTLINE: 25,
    Channel.CALL: 10,
    Channel.ONLINE: 15,
    Channel.LETTER: 5,
    Channel.CLUE_PLATFORM: 10,
}
CATEGORY_WEIGHTS = {
    Category.REMUNERATION: 55,
    Category.DISMISSAL: 15,
    Category.LABOR_CONTRACT: 10,
    Category.WORKING_CONDITIONS: 12,
    Category.LABOR_RELATION: 6,
    Category.OTHER: 2,
}
DESCRIPTIONS = {
    Category.REMUNERATION: [
        "{ent}拖欠{m1}月至{m2}月工资，共{months}个月，职工多次讨要未果。",
        "在{ent}从事{job}工作，离职后企业以各种理由拒付最后{months}个月工资。",
        "工作中受伤，{ent}拒绝承担医疗费用和停工留薪期工资。",
        "{ent}未足额支付加班工资，{months}个月累计差额未付。",
    ],
    Category.DISMISSAL: [
        "{ent}以“旷工”为由将其辞退，职工认为属违法解除，要求支付赔偿金。",
        "{ent}搬迁后未经协商解除劳动合同，要求支付经济补偿。",
    ],
    Category.LABOR_CONTRACT: [
        "入职{ent}{months}个月未签订书面劳动合同，要求支付二倍工资差额。",
        "{ent}单方面调岗降薪，要求按原劳动合同履行。",
    ],
    Category.WORKING_CONDITIONS: [
        "{ent}未为职工缴纳社会保险，要求补缴。",
        "在{ent}每月加班超过八十小时且不安排调休，要求依法安排休息并支付加班费。",
        "女职工产假期间被{ent}停发工资。",
    ],
    Category.LABOR_RELATION: [
        "在{ent}从事{job}工作两年，企业否认存在劳动关系，工伤认定需先确认劳动关系。",
    ],
    Category.OTHER: ["{ent}扣押职工身份证原件不予返还。"],
}
REASONS = {
    "accept": ["", "", "材料齐全，予以受理。", "经核实属劳动争议，予以受理。"],
    "reject": [
        "不属于劳动争议调解受理范围（系民间借贷纠纷）。",
        "申请人与被申请单位不存在劳动关系，已告知其向有关部门反映。",
        "同一事项已由劳动人事争议仲裁院受理。",
    ],
    "refer_out": [
        "涉及工程建设领域欠薪，转住建部门处理。",
        "当事人要求直接申请仲裁，已告知程序。",
        "涉及劳动保障违法行为，转劳动保障监察。",
    ],
    "start_mediation": ["", "已通知双方到场调解。", "指派调解员，约定调解时间。"],
    "reach_agreement": [
        "双方达成调解协议：企业于十五日内一次性支付。",
        "双方达成调解协议：企业分两期支付欠薪。",
    ],
    "fail_mediation": [
        "企业负责人拒不到场，调解不成。",
        "双方对金额分歧较大，调解不成。",
        "超过十五日未达成协议，告知可申请仲裁。",
    ],
    "confirm_fulfilment": ["", "企业已按协议足额支付，职工确认收到。"],
    "record_breach": ["企业逾期未按协议支付。", "企业仅支付第一期款项，余款逾期未付。"],
    "refer": ["", "已协助职工准备材料。"],
    "record_callback": [""],  # what the worker said is in the callback's notes
    "close": [""],  # the outcome notice and the petitioner's rating say it
    "reopen": [
        "职工反映企业再次拖欠协议约定款项，申请重新调解。",
        "发现新的欠薪事实，重新启动调解。",
    ],
}
REFER_OUT_BODIES = [  # in the order of REASONS["refer_out"]
    "江山市住房和城乡建设局",
    "江山市劳动人事争议仲裁院",
    "江山市人力资源和社会保障局劳动保障监察大队",
]
REFERRALS = [
    ("arbitration", "江山市劳动人事争议仲裁院"),
    ("legal_aid", "江山市法律援助中心"),
    ("labor_inspection", "江山市人力资源和社会保障局劳动保障监察大队"),
]


TRIAGE_STEPS = ("accept", "reject", "refer_out")
OUTCOME_STEPS = ("reach_agreement", "fail_mediation")
SESSION_PLACES = ["开发区总工会调解室", "{grid}工作站", "{ent}会议室", "江山市劳动人事争议调解中心"]
SESSION_NOTES = {
    "continued": [
        "双方陈述诉求，企业要求核对考勤记录后再议。",
        "核对工资台账，确认欠薪金额，企业提出分期支付，职工代表未同意。",
        "企业同意支付，但对加班工资计算有异议，约定下次再谈。",
    ],
    "agreement": [
        "经调解，双方就支付金额和期限达成一致，约定签订调解协议。",
        "企业同意按核定金额支付，职工同意放弃部分利息主张。",
    ],
    "no_agreement": [
        "企业坚持不同意支付，调解不成。",
        "企业负责人未到场，经电话沟通仍无结果。",
    ],
}
RELEASE_REASONS = [
    "临时抽调参加根治欠薪专项行动，退回片区队列。",
    "本周外出培训，请其他调解员接手。",
    "与企业负责人系亲属，申请回避。",
]
HANDOVER_REASON = "已转外单位处理，由片区调解员回访并结案。"
TAKEOVER_REASON = "重大群体性案件，由区总工会直接督办结案。"
OUTCOME_NOTICES = {
    "confirm_fulfilment": "已电话告知职工：企业已按调解协议足额支付，本案办结。",
    "refer": "已告知职工本案已移送{body}，并说明后续程序和联系方式。",
    "reject": "已书面告知不予受理的理由及可选择的救济途径。",
    "refer_out": "已告知职工本案已转{body}处理，并提供联系方式。",
}
CALLBACK_NOTES = ["工资已全部到账。", "企业按协议付清了，谢谢。", "钱收到了，就是晚了两天。"]
# Satisfaction (1-5) by how the case ended, and what petitioners said.
RATING_WEIGHTS = {
    "confirm_fulfilment": [1, 1, 4, 20, 60],
    "refer": [3, 6, 20, 30, 20],
    "reject": [10, 15, 30, 20, 10],
    "refer_out": [4, 8, 30, 30, 20],
}
COMMENTS = {
    1: ["等了太久，企业到现在都没给钱。"],
    2: ["希望处理能再快一点。"],
    3: ["对结果基本满意。", "程序有点繁琐。"],
    4: ["处理及时，谢谢工会。", "企业拖了几天才付，总算解决了。"],
    5: ["调解员很耐心，工资已经拿到了。", "感谢工会帮我们讨回血汗钱！"],
}
# The flow's human tasks, in the order a petition meets them.
NODE_ORDER = [
    "triage",
    "start_mediation",
    "mediate",
    "check_fulfilment",
    "callback",
    "refer",
    "close",
]


@dataclass
class Plan:
    """One petition to replay: what is recorded, the steps it goes through, and the actions around
    them (`choreograph`)."""

    status: str
    steps: list
    enterprise: Enterprise
    size: int
    category: str = Category.REMUNERATION
    channel: str = Channel.VISIT
    owner_missing: bool = False
    priority: int = Petition.Priority.NORMAL
    description: str = ""
    tail: tuple = (0, 5)
    reasons: dict = field(default_factory=dict)
    due_in: int | None = None  # days from signing to payment, when the story says so
    times: list = field(default_factory=list)
    # Filled while planning and replaying.
    rng: random.Random | None = None
    actions: list = field(default_factory=list)  # (at, kind, argument), in time order
    petition: Petition | None = None
    notes: dict = field(default_factory=dict)  # what one action leaves for a later one


@contextmanager
def simulated_clock():
    """While active, `clock.now` is "now" for everything that asks for the time: `timezone.now()`,
    modules that imported `now` from it (viewflow's task activations), and "now" defaults of new
    rows (case events, tasks, processes, sessions, agreements, closures), which hold the real
    function and are stamped here."""

    class Clock:
        now = None

    clock = Clock()
    real_now = timezone.now

    def fake_now():
        return clock.now or real_now()

    aliases = [
        m for m in list(sys.modules.values()) if getattr(m, "__dict__", {}).get("now") is real_now
    ]
    stamped = {}

    def stamp(sender, instance, **kwargs):
        if not instance._state.adding or clock.now is None:
            return
        if sender not in stamped:
            fields = sender._meta.concrete_fields
            stamped[sender] = [f.attname for f in fields if f.default is real_now]
        for name in stamped[sender]:
            value = getattr(instance, name)
            # Taken from the real clock: later than every simulated moment.
            if value is not None and value > clock.now:
                setattr(instance, name, clock.now)

    pre_save.connect(stamp, weak=False, dispatch_uid="casework-demo-clock")
    for module in aliases:
        module.now = fake_now
    try:
        yield clock
    finally:
        clock.now = None  # a module first imported meanwhile keeps `fake_now`: now the real time
        for module in aliases:
            module.now = real_now
        pre_save.disconnect(dispatch_uid="casework-demo-clock")


class DemoLoader:
    def __init__(self, now=None):
        self.now = timezone.localtime(now or timezone.now())

    # Organization, enterprises, users: get-or-create by natural key, every run.

    def load(self):
        with transaction.atomic():
            self.units()
            self.enterprises()
            self.users()
            self.fund_rules()
            self.enterprise_unions()
            if not MonthlyReport.objects.filter(enterprise__in=self.enterprise_list).exists():
                self.monthly_reports()
                self.report_notices()
            created = 0
            if not Petition.objects.filter(zone=self.zone).exists():
                created = self.petitions()
                self.fund_history()
                self.other_bodies()
            if not EarlyWarning.objects.filter(enterprise__in=self.enterprise_list).exists():
                # One moment for all of it: a petition's receipt and its first event agree.
                with simulated_clock() as clock:
                    clock.now = self.now
                    self.early_warnings()
        self.portal_claim = self.portal_example()
        self.department_login()
        # The figures' tallies of the days just written, so that the first page is quick.
        tallies.refresh()
        return created

    def other_bodies(self):
        """The zone's departments; the largest group case in mediation under the committee's
        supervision, with the labor inspection brigade verifying its payroll; a 12351 petition
        the hotline sent to the wrong grid area, in transfer to the right one."""
        departments.create_usual_departments(self.zone)
        brigade = self.zone.departments.get(kind=Department.Kind.LABOR_INSPECTION)
        departments.add_liaison(
            brigade,
            actor=self.user["supervisor"],
            username=DEPARTMENT_LIAISON,
            name="王建明",
            password=DEMO_PASSWORD,
        )
        group = (
            Petition.objects.filter(zone=self.zone, status=Status.IN_MEDIATION, is_group=True)
            .order_by("number")
            .first()
        )
        if group is not None:
            supervision.issue_order(
                group,
                actor=self.user["liaison"],
                issuing_unit=self.zone,
                requirement="群体性欠薪，请于期限内报告工资支付进展和调解结果。",
            )
            departments.request_part(
                group,
                actor=self.user["supervisor"],
                asked="核实企业近三个月工资表和考勤记录，确认欠薪人数和金额。",
                department=brigade,
            )
        received = (
            Petition.objects.filter(zone=self.zone, status=Status.RECEIVED)
            .select_related("org_unit")
            .order_by("number")
            .first()
        )
        if received is not None:
            right = next(grid for grid in self.grids if grid != received.org_unit)
            transfers.request_transfer(
                received,
                actor=self.user["clerk"],
                to_unit=right,
                reason=f"12351热线转来，经电话核实，项目部位于{right.name}。",
            )

    def department_login(self):
        """The labor inspection brigade's liaison: the department inbox, and nothing else."""
        liaison = Liaison.objects.filter(user__username=DEPARTMENT_LIAISON).first()
        if liaison is not None:
            label = Liaison._meta.verbose_name
            self.logins.append((DEPARTMENT_LIAISON, DEMO_PASSWORD, label, liaison.department.name))

    def portal_example(self):
        """A worker whose look-up `make run` prints: on a case with an agreement, reading their
        documents online. Theirs are rendered now, the others by the server's timer loop."""
        claim = (
            Claim.objects.filter(
                petition__zone=self.zone, petition__status=Status.AGREEMENT_REACHED
            )
            .select_related("petition")
            .order_by("petition__number", "pk")
            .first()
        )
        if claim is not None:
            documents.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
            pending = Document.objects.filter(
                petition=claim.petition, state=Document.State.PENDING
            ).values_list("pk", flat=True)
            documents.render_ids(list(pending))
        return claim

    def units(self):
        tree = builders.org_tree(FEDERATION_NAME, ZONE_NAME, ZONE_CODE, GRID_NAMES)
        self.federation, self.zone, self.grids = tree.federation, tree.zone, tree.grids

    def enterprises(self):
        rng = random.Random(f"{SEED}-enterprises")
        codes = CreditCodes(CITY_REGION, rng=rng)
        rows = []
        for name, industry, grid, has_union in ENTERPRISES:
            headcount = 186 if name == OWNER_MISSING_ENTERPRISE else rng.randint(4, 90) * 10
            rows.append(
                {
                    "name": name,
                    "credit_code": next(codes),  # drawn after the headcount, from the same rng
                    "grid_area": self.grids[grid],
                    "industry": industry,
                    "headcount": headcount,
                    "has_union": has_union,
                }
            )
        self.enterprise_list = builders.enterprises(rows)
        self.by_name = {e.name: e for e in self.enterprise_list}

    def users(self):
        named = {
            "federation": self.federation,
            "zone": self.zone,
            # Units stop at the grid area: an enterprise union acts at its enterprise's area.
            "enterprise": self.by_name[ENTERPRISE_UNION_OF].grid_area,
        }
        persons, self.logins = [], []
        for username, role, where, full_name in USERS:
            at = [self.grids[w] if isinstance(w, int) else named[w] for w in where]
            union_of = self.by_name[ENTERPRISE_UNION_OF] if role == Role.ENTERPRISE_UNION else None
            superuser = role == Role.ADMIN
            persons.append(Person(username, role, at, full_name, superuser, union_of))
            where_label = "、".join(u.name for u in at)
            if role == Role.ENTERPRISE_UNION:
                where_label += f"（{ENTERPRISE_UNION_OF}工会）"
            self.logins.append((username, DEMO_PASSWORD, Role(role).label, where_label))
        self.user = builders.people(persons, password=DEMO_PASSWORD)
        self.by_pk = {user.pk: user for user in self.user.values()}
        self.mediators = {grid.pk: [] for grid in self.grids}
        for name, role, where, _ in USERS:
            if role == Role.MEDIATOR:
                for i in where:
                    self.mediators[self.grids[i].pk].append(self.user[name])

    # The monthly arrears reports: a union user and a responsibility letter for every
    # enterprise with a union (every run), and a year of reports (once).

    def enterprise_unions(self):
        """The demo's enterprise union files for its enterprise; the other unions' users (not
        among the logins: their password never works) file for theirs."""
        self.union_of = {self.by_name[ENTERPRISE_UNION_OF].pk: self.user["enterprise"]}
        persons = [
            Person(f"union{i:02d}", Role.ENTERPRISE_UNION, [e.grid_area], f"{e.name}工会", False, e)
            for i, e in enumerate(self.enterprise_list)
            if e.has_union and e.pk not in self.union_of
        ]
        users = builders.people(persons)
        for person in persons:
            self.union_of[person.enterprise.pk] = users[person.username]
        year = self.now.year
        for enterprise in self.enterprise_list:
            if enterprise.pk in self.union_of:
                ResponsibilityLetter.objects.get_or_create(
                    enterprise=enterprise,
                    defaults={
                        "signed_on": datetime.date(year, 1, 15),
                        "signed_by": self.union_of[enterprise.pk].first_name,
                        "valid_until": datetime.date(year + 1, 12, 31),
                    },
                )

    def monthly_reports(self):
        """The last REPORT_MONTHS months of reports of every union: zero reports mostly, the
        arrears of ARREARS_REPORTS, a few filed late, the MISSED_REPORTS not filed."""
        rng = random.Random(f"{SEED}-reports")
        this_month = arrears.first_of_month(self.now.date())
        missed = {(self.by_name[name].pk, back) for name, back in MISSED_REPORTS}
        covered = [e for e in self.enterprise_list if e.pk in self.union_of]
        days = arrears.due_days_of(covered)
        filed = []
        for back in range(REPORT_MONTHS, 0, -1):
            month = arrears.add_months(this_month, -back)
            for enterprise in covered:
                if (enterprise.pk, back) in missed:
                    continue
                due = arrears.due_on(month, days[enterprise.pk])
                if rng.randrange(LATE_ONE_IN) == 0:
                    day = due + datetime.timedelta(days=rng.randint(1, 6))
                else:  # in the first days of the following month, before the due day
                    early = due.replace(day=1)
                    day = early + datetime.timedelta(days=rng.randint(0, max(due.day - 4, 0)))
                at = office_time(day, rng)
                if at > self.now:  # not filed yet: its month has only just ended
                    continue
                union = self.union_of[enterprise.pk]
                figures = ARREARS_REPORTS.get(enterprise.name, {}).get(back)
                if figures:
                    report = arrears.file_report(enterprise, month, actor=union, **figures)
                else:
                    report = arrears.file_zero_report(enterprise, month, actor=union)
                report.filed_at = at
                filed.append(report)
        MonthlyReport.objects.bulk_update(filed, ["filed_at"])

    def report_notices(self):
        """The reminders and alerts the missing and late reports got, the timers swept at each
        moment one was due; once the server runs, its timer loop sends the later ones. The timers
        look ARREARS_NOTICE_MONTHS back: they start once that many months of reports are filed,
        or every union would be reminded of the months before the demo's first."""
        covered = [e for e in self.enterprise_list if e.pk in self.union_of]
        days = sorted(set(arrears.due_days_of(covered).values()))
        this_month = arrears.first_of_month(self.now.date())
        first = REPORT_MONTHS - settings.CASEWORK["ARREARS_NOTICE_MONTHS"] + 1
        with simulated_clock() as clock:
            for back in range(first, 0, -1):
                month = arrears.add_months(this_month, -back)
                for day in days:
                    reminded = report_timers.reminder_at(arrears.due_on(month, day))
                    for moment in (reminded, report_timers.alert_at(reminded)):
                        if moment <= self.now:
                            clock.now = moment
                            report_timers.sweep()

    def early_warnings(self):
        """The warnings the arrears reports open (each report's announcement after the commit
        then finds its warning already there), the grid mediators' visits to the employers, one
        warning turned into a petition, and a screening visit (once)."""
        reports = MonthlyReport.objects.filter(enterprise__in=self.enterprise_list, is_zero=False)
        for report in reports.select_related("enterprise").order_by("month", "pk"):
            prevention.warn_for(report, actor=report.filed_by)
        for name, note in WARNING_ACTIONS.items():
            warning = EarlyWarning.objects.get(enterprise=self.by_name[name])
            prevention.record_action(warning, actor=self.grid_mediator(name), note=note)
        name, count = WARNING_TO_PETITION
        taken = set(Worker.objects.values_list("id_number", flat=True))
        people = People(random.Random(f"{SEED}-warning"), taken)
        plan = Plan(Status.RECEIVED, [], self.by_name[name], count)
        prevention.convert_warning(
            EarlyWarning.objects.get(enterprise=self.by_name[name]),
            actor=self.grid_mediator(name),
            description="企业拖欠工资，约谈后仍未支付，职工要求协调追讨。",
            workers=[people.row(plan) for _ in range(count)],
        )
        name, notes = SCREENING_VISIT
        prevention.record_visit(self.by_name[name], actor=self.grid_mediator(name), notes=notes)

    def grid_mediator(self, name):
        return self.mediators[self.by_name[name].grid_area_id][0]

    # The emergency fund: its rules every run; contributions and releases with the petitions.

    def fund_rules(self):
        for effective_from, amount in MINIMUM_WAGES:
            MinimumWage.objects.get_or_create(
                jurisdiction=self.zone,
                effective_from=effective_from,
                defaults={"monthly_amount": amount},
            )
        self.emergency_fund, _ = EmergencyFund.objects.get_or_create(
            zone=self.zone, defaults={"name": FUND_NAME, **FUND_RULES}
        )

    def fund_history(self):
        """Contributions over the year; the seed case's release, signed, paid (three workers'
        accounts failed) and partly recovered; a second release awaiting approval."""
        fund, finance = self.emergency_fund, self.user["finance"]
        for days_ago, amount, source, reference in CONTRIBUTIONS:
            fund_services.record_contribution(
                fund,
                actor=finance,
                amount=amount,
                source=source,
                reference=reference,
                booked_at=self.now - datetime.timedelta(days=days_ago),
            )
        seed_case = Petition.objects.filter(
            enterprise=self.by_name[OWNER_MISSING_ENTERPRISE], is_group=True
        ).earliest("received_at")
        release = self.fund_release(
            seed_case, "老板失联，150名职工工资无着，外地职工急需返乡路费。"
        )
        release = fund_services.approve_release(
            release, actor=self.user["supervisor"], note="情况紧急，同意垫付。"
        )
        release = fund_services.sign_release(release, actor=self.user["liaison"], note="同意。")
        lines = list(release.lines.order_by("pk"))
        payments = {
            line.pk: {"failure_reason": "银行卡已冻结，待职工提供新账户"}
            if i % 50 == 7
            else {"reference": f"ZHJ-{line.pk:06d}"}
            for i, line in enumerate(lines)
        }
        release = fund_services.disburse_release(release, actor=finance, payments=payments)
        fund_services.record_recovery(
            release,
            actor=finance,
            amount=SEED_CASE_RECOVERY,
            source="employer_assets",
            reference="(2026)浙0881执123号",
            memo="法院拍卖厂房设备所得首笔款",
        )
        waiting = (
            Petition.objects.filter(
                zone=self.zone,
                category=Category.REMUNERATION,
                status=Status.IN_MEDIATION,
                is_group=False,
                claims__non_local=True,
            )
            .order_by("received_at")
            .first()
        )
        self.fund_release(waiting, "职工已三个月未领工资，房租到期。")

    def fund_release(self, petition, reason):
        """A release drafted and submitted by the grid area's mediator, prefilled as the page
        prefills it."""
        mediator = self.mediators[petition.org_unit_id][0]
        lines = fund_services.proposed_lines(petition, self.emergency_fund)
        release = fund_services.draft_release(
            petition,
            actor=mediator,
            reason=reason,
            lines=[{**line, "worker": line["worker"].pk} for line in lines],
        )
        return fund_services.submit_release(release, actor=mediator)

    # Petitions: planned, then replayed action by action in time order.

    def petitions(self):
        rng = random.Random(f"{SEED}-petitions")
        taken = set(Worker.objects.values_list("id_number", flat=True))
        self.people = People(random.Random(f"{SEED}-people"), taken=taken)
        specials = self.special_plans()
        plans = specials + self.everyday_plans(rng, specials)
        for index, plan in enumerate(plans):
            plan.rng = random.Random(f"{SEED}-plan-{index}")
            self.schedule(plan, rng)
            self.choreograph(plan)
        self.reassignments(plans, rng)
        self.committee_steps(plans)
        # Every action of every petition, in time order: the load sees the zone as it was then.
        agenda = sorted(
            (at, i, j, kind, argument)
            for i, plan in enumerate(plans)
            for j, (at, kind, argument) in enumerate(plan.actions)
        )
        with simulated_clock() as clock:
            for at, i, _j, kind, argument in agenda:
                self.fire_timers(clock, at)
                clock.now = at
                getattr(self, f"do_{kind}")(plans[i], argument)
            self.fire_timers(clock, self.now)
        return len(plans)

    # Deadlines and the party working committee (issue 6): timers fire at their own moments as
    # the history replays; the liaison works the owner-missing case's escalation.

    def fire_timers(self, clock, until):
        """Deadline reminders and breaches due by `until`, each at its own moment."""
        due = DeadlineTimer.objects.filter(fired_at=None, fire_at__lte=until).order_by("fire_at")
        for pk, fire_at in due.values_list("pk", "fire_at"):
            # Never before the last action: a period may end before the step that opened it.
            clock.now = max(fire_at, clock.now or fire_at)
            deadlines.fire_timer(pk, now=clock.now)

    def committee_steps(self, plans):
        """The owner-missing case went to the committee on intake: within hours the liaison
        acknowledges, convenes the departments, forms the task force and records the elected
        representatives; the next day the travel-home needs; a job fair follows."""
        big = next(plan for plan in plans if plan.owner_missing and plan.size >= 100)
        steps = [(1, "ack"), (3, "coordinate"), (5, "task_force"), (6, "reps")]
        steps += [(24, "travel_home"), (24 * 20, "job_fair")]
        for hours, step in steps:
            big.actions.append((big.times[0] + datetime.timedelta(hours=hours), "committee", step))

    def do_committee(self, plan, step):
        liaison = self.user["liaison"]
        esc = plan.petition.escalation
        claims = list(plan.petition.claims.order_by("pk"))
        if step == "ack":
            escalation.acknowledge_escalation(esc, actor=liaison, note="已向党工委书记报告。")
        elif step == "coordinate":
            escalation.record_coordination(
                esc,
                actor=liaison,
                held_on=timezone.localdate(),
                departments=[
                    "human_resources",
                    "labor_inspection",
                    "public_security",
                    "sub_district",
                ],
                decisions="启动欠薪应急周转金先行垫付；公安协查法定代表人下落；人社局立案监察；街道做好职工稳控。",
            )
        elif step == "task_force":
            escalation.form_task_force(
                esc,
                actor=liaison,
                members=[
                    {"name": "徐志刚", "organization": "开发区党工委", "position": "leader"},
                    {"name": "祝卫东", "organization": "开发区总工会", "position": "deputy"},
                    {
                        "name": "周建平",
                        "organization": "市人力社保局劳动保障监察大队",
                        "position": "member",
                    },
                    {"name": "汪海波", "organization": "开发区派出所", "position": "member"},
                ],
            )
        elif step == "reps":
            chosen = [c for c in claims if c.is_representative] or claims[:5]
            escalation.elect_representatives(esc, actor=liaison, claims=chosen)
        elif step == "travel_home":
            needs = [
                {
                    "claim": c,
                    "destination": "江西上饶",
                    "amount": Decimal(plan.rng.choice([180, 260, 420])),
                }
                for c in claims
                if c.non_local
            ]
            escalation.record_travel_home(esc, actor=liaison, needs=needs)
        else:
            for employer, positions, openings in [
                ("江山市明辉照明电器有限公司", "装配工", 20),
                ("浙江恒力输配电设备有限公司", "操作工", 15),
                ("江山市锐达汽车配件有限公司", "质检员", 8),
            ]:
                vacancy = escalation.add_vacancy(
                    esc, actor=liaison, employer=employer, positions=positions, openings=openings
                )
                for claim in plan.rng.sample(claims, openings):
                    result = plan.rng.choice(["referred", "interviewed", "hired", "declined"])
                    if (
                        result == "hired"
                        and vacancy.referrals.filter(result="hired").count() >= openings
                    ):
                        result = "declined"
                    escalation.record_referral(
                        esc, actor=liaison, vacancy=vacancy, claim=claim, result=result
                    )

    def special_plans(self):
        """The seed's owner-missing case and a few other group petitions."""
        e = self.by_name
        big = Plan(
            status=Status.REFERRED,
            steps=[*_FAIL, "refer"],
            enterprise=e[OWNER_MISSING_ENTERPRISE],
            size=150,
            owner_missing=True,
            priority=Petition.Priority.URGENT,
            description=(
                "企业因债务危机资金链断裂，法定代表人失联。150名职工到市政府集体上访，反映企业拖欠"
                "{m1}月以来工资，推选5名职工代表。外地职工较多，部分急需返乡路费。"
            ),
            tail=(100, 110),
            reasons={
                "accept": "开发区总工会即向党工委报告，启动欠薪应急周转金，成立维稳帮扶工作组。",
                "fail_mediation": "企业法定代表人失联，无法组织调解。",
                "refer": {
                    "referral_type": "labor_inspection",
                    "body": "江山市人力资源和社会保障局劳动保障监察大队",
                    "reason": "移送立案，依法追偿欠薪；同步组织13家同行业企业专场招聘。",
                },
            },
        )
        crew = Plan(
            status=Status.AGREEMENT_REACHED,
            steps=_AGREE,
            enterprise=e["江山市清湖建筑工程有限公司"],
            size=14,
            owner_missing=True,
            channel=Channel.CLUE_PLATFORM,
            priority=Petition.Priority.URGENT,
            description="分包班组长失联，14名农民工工资未结算，经根治欠薪线索反映平台转来。",
            tail=(2, 8),
            reasons={"reach_agreement": "总承包单位同意先行垫付农民工工资，十日内支付。"},
            due_in=10,
        )
        groups = [
            (
                Status.CLOSED,
                [*_FULFIL, "close"],
                "浙江衢建市政工程有限公司",
                18,
            ),
            (Status.IN_MEDIATION, [*_MEDIATE, "link_facts"], "浙江云织针织有限公司", 25),
            (Status.BREACHED, [*_AGREE, "record_breach"], "江山市华亮电光源有限公司", 12),
            (Status.REOPENED, PATHS[Status.REOPENED][0], "江山市须江食品有限公司", 30),
        ]
        plans = [big, crew]
        for status, steps, name, size in groups:
            plans.append(
                Plan(
                    status=status,
                    steps=list(steps),
                    enterprise=e[name],
                    size=size,
                    channel=Channel.HOTLINE if size < 20 else Channel.VISIT,
                    priority=Petition.Priority.HIGH,
                    tail=(1, 40) if status == Status.CLOSED else TAILS[status],
                )
            )
        return plans

    def everyday_plans(self, rng, specials):
        wanted = Counter(TARGETS)
        wanted.subtract(Counter(p.status for p in specials))
        statuses = [s for s, n in sorted(wanted.items()) for _ in range(n)]
        rng.shuffle(statuses)
        channels, categories = list(CHANNEL_WEIGHTS), list(CATEGORY_WEIGHTS)
        plans, reopened = [], 0
        # The owner-missing enterprise has its one big case, nothing else.
        everyday_employers = [e for e in self.enterprise_list if e.name != OWNER_MISSING_ENTERPRISE]
        for status in statuses:
            steps = list(rng.choice(PATHS[status]))
            # Two of the cases in mediation got there again after being closed and reopened.
            if status == Status.IN_MEDIATION and reopened < 2:
                steps = [*PATHS[Status.REOPENED][0], "start_mediation"]
                reopened += 1
            plans.append(
                Plan(
                    status=status,
                    steps=steps,
                    enterprise=rng.choice(everyday_employers),
                    size=rng.choices([1, 2, 3, 4], weights=[78, 15, 5, 2])[0],
                    category=rng.choices(categories, weights=CATEGORY_WEIGHTS.values())[0],
                    channel=rng.choices(channels, weights=CHANNEL_WEIGHTS.values())[0],
                    priority=rng.choices([0, 1], weights=[95, 5])[0],
                    tail=TAILS[status],
                )
            )
        return plans

    def schedule(self, plan, rng):
        """Times for the receipt and every step: office hours, working days, none in the future."""
        gaps = [rng.randint(*GAPS[step]) for step in plan.steps]
        low, high = plan.tail
        tail = rng.randint(low, max(low, min(high, HISTORY_DAYS - 10 - sum(gaps))))
        day = self.now.date() - datetime.timedelta(days=sum(gaps) + tail)
        while True:
            times = [office_time(day, rng)]
            for gap in gaps:
                times.append(advance(times[-1], gap, rng))
            if times[-1] <= self.now:
                break
            # Days off pushed the last step past now: start the story that much earlier.
            day -= datetime.timedelta(days=(times[-1].date() - self.now.date()).days + 1)
        plan.times = times

    # Actions around the steps: (at, kind, argument), each kind done by `do_<kind>`.

    def choreograph(self, plan):
        """What people do around the steps: claim triage tasks, hand a task to a colleague, hold
        sessions before an outcome, pass a referred-out case to a mediator to close."""
        rng, times, steps = plan.rng, plan.times, plan.steps
        shared_grid = len(self.mediators[plan.enterprise.grid_area_id]) > 1
        actions = [(times[0], "record", None)]
        for i, step in enumerate(steps):
            before, at = times[i], times[i + 1]
            after = times[i + 2] if i + 2 < len(times) else self.now
            if step in TRIAGE_STEPS and rng.random() < 0.5:
                who = "mediator" if step == "reject" else "clerk"
                actions.append((between(before, at, rng, 0, 0.5), "claim", who))
            if step == "start_mediation" and shared_grid and rng.random() < 0.25:
                actions.append((between(before, at, rng, 0.1, 0.4), "release", None))
                actions.append((between(before, at, rng, 0.5, 0.9), "claim", "colleague"))
            if step in OUTCOME_STEPS:
                final = "agreement" if step == "reach_agreement" else "no_agreement"
                count = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
                actions += sessions(before, at, rng, ["continued"] * (count - 1) + [final])
            if step == "reach_agreement":
                plan.notes["due_date"] = self.due_date(plan, at, steps[i + 1 : i + 2], after)
            actions.append((at, "step", step))
            if step == "refer_out":
                actions.append((between(at, after, rng, 0.05, 0.3), "handover", None))
        plan.actions = actions + self.tail_actions(plan, actions[-1][0])

    def tail_actions(self, plan, last):
        """Where an open petition's task stands now: held, waiting in the queue, mid-mediation."""
        rng, status = plan.rng, plan.status
        if status == Status.RECEIVED and rng.random() < 0.35:
            who = rng.choice(["clerk", "clerk", "mediator"])
            return [(between(last, self.now, rng, 0, 0.5), "claim", who)]
        if status in (Status.ACCEPTED, Status.REOPENED) and rng.random() < 0.35:
            return [(between(last, self.now, rng, 0.2, 0.9), "release", None)]
        if status == Status.IN_MEDIATION:
            count = rng.choices([0, 1, 2], weights=[30, 50, 20])[0]
            actions = sessions(last, self.now, rng, ["continued"] * count)
            if rng.random() < 0.1:
                since = actions[-1][0] if actions else last
                actions.append((between(since, self.now, rng, 0.2, 0.9), "release", None))
            return actions
        return []

    def reassignments(self, plans, rng):
        """The supervisor's moves: the seed case taken over, and a mediator's held cases given to
        a colleague of the same grid area while she is away."""
        big = next(p for p in plans if p.enterprise.name == OWNER_MISSING_ENTERPRISE)
        big.actions.append((between(big.actions[-1][0], self.now, rng, 0.1, 0.3), "reassign", None))
        # (A fulfilled case waits for its callback in the queue, held by nobody.)
        movable = (Status.ACCEPTED, Status.IN_MEDIATION, Status.AGREEMENT_REACHED)
        candidates = [
            p
            for p in plans
            if p.status in movable
            and len(self.mediators[p.enterprise.grid_area_id]) > 1
            and all(kind != "release" for _, kind, _ in p.actions)
        ]
        for plan in rng.sample(candidates, min(3, len(candidates))):
            at = between(plan.actions[-1][0], self.now, rng, 0.3, 0.9)
            plan.actions.append((at, "reassign", "colleague"))

    def due_date(self, plan, signed_at, following, check_at):
        """The agreement's payment day: before the fulfilment check or the breach that follows;
        for an agreement still running, some fall due later, some today, some are overdue."""
        rng, signed = plan.rng, timezone.localtime(signed_at).date()
        day = datetime.timedelta(days=1)
        if plan.due_in is not None:
            return signed + plan.due_in * day
        if following == ["confirm_fulfilment"]:
            return max(signed, timezone.localtime(check_at).date() - rng.randint(0, 5) * day)
        if following == ["record_breach"]:
            return max(signed, timezone.localtime(check_at).date() - rng.randint(1, 10) * day)
        today = self.now.date()
        kind = rng.choices(["later", "today", "overdue"], weights=[50, 15, 35])[0]
        if kind == "later":
            return today + rng.randint(1, 25) * day
        return max(signed, today - (rng.randint(1, 12) if kind == "overdue" else 0) * day)

    def do_record(self, plan, _):
        plan.petition = self.record(plan)

    def do_step(self, plan, step):
        if step == "link_facts":
            self.repeat_visit(plan.petition, plan.rng)
            return
        petition = plan.petition
        reason, data = self.step_input(plan, petition, step)
        actor = self.actor_for(petition, step)
        services.fire_transition(petition, step, actor=actor, reason=reason, data=data)
        if step != "record_callback":  # the closure tells the outcome the callback confirmed
            plan.notes["last_step"] = step

    def do_claim(self, plan, who):
        task = workflow.open_task(plan.petition)
        if who == "clerk":
            claimer = self.user["clerk"]
        else:
            mediators = self.by_load(plan.petition)
            others = [m for m in mediators if m.pk != plan.notes.get("released")]
            claimer = (others or mediators)[0]
        workflow.claim_task(task, actor=claimer)

    def do_release(self, plan, _):
        task = workflow.open_task(plan.petition)
        plan.notes["released"] = task.owner_id
        reason = plan.rng.choice(RELEASE_REASONS)
        workflow.unassign_task(task, actor=self.by_pk[task.owner_id], reason=reason)

    def do_session(self, plan, argument):
        outcome, held_at = argument
        task = workflow.open_task(plan.petition)
        actor = self.by_pk[task.owner_id] if task.owner_id else self.by_load(plan.petition)[0]
        data = self.session_input(plan, actor, outcome, held_at)
        services.record_session(plan.petition, actor=actor, data=data)

    def do_handover(self, plan, _):
        """The clerk who referred a case out holds its closing, which needs a mediator."""
        task = workflow.open_task(plan.petition)
        holder = task.owner_id and self.by_pk[task.owner_id]
        if holder and not task.flow_task.may_take(holder, task):
            to_user = self.by_load(plan.petition)[0]
            supervisor = self.user["supervisor"]
            workflow.reassign_task(task, actor=supervisor, to_user=to_user, reason=HANDOVER_REASON)

    def do_reassign(self, plan, colleague):
        task = workflow.open_task(plan.petition)
        supervisor = self.user["supervisor"]
        if colleague is None:
            workflow.reassign_task(
                task, actor=supervisor, to_user=supervisor, reason=TAKEOVER_REASON
            )
            return
        holder = self.by_pk[task.owner_id]
        to_user = next(m for m in self.by_load(plan.petition) if m != holder)
        reason = f"{holder.first_name}休假两周，其手上案件转交{to_user.first_name}办理。"
        workflow.reassign_task(task, actor=supervisor, to_user=to_user, reason=reason)

    def by_load(self, petition):
        """The petition's grid mediators, fewest open tasks first (as the flow assigns)."""
        mediators = self.mediators[petition.org_unit_id]
        held = Counter(
            PetitionTask.objects.filter(
                owner__in=mediators, status__in=OPEN_TASK_STATUSES
            ).values_list("owner_id", flat=True)
        )
        return sorted(mediators, key=lambda m: (held[m.pk], m.pk))

    def actor_for(self, petition, step):
        """Whoever holds the task; for a task in the queue, who would take it."""
        if step == "reopen":
            return self.user["supervisor"]
        task = workflow.open_task(petition)
        if task.owner_id:
            return self.by_pk[task.owner_id]
        if step in ("accept", "refer_out", "record_callback"):
            return self.user["clerk"]
        return self.by_load(petition)[0]

    # What each action writes.

    def step_input(self, plan, petition, step):
        rng, given = plan.rng, plan.reasons.get(step)
        if isinstance(given, dict):
            given = dict(given)
            plan.notes["body"] = given.get("body", "")
            return given.pop("reason", ""), given
        reason = given if given is not None else rng.choice(REASONS[step])
        if step == "refer_out":
            # Each reason names the body it goes to.
            pick = rng.randrange(len(REFER_OUT_BODIES))
            reason = given if given is not None else REASONS[step][pick]
            plan.notes["body"] = REFER_OUT_BODIES[pick]
            return reason, {"body": plan.notes["body"]}
        if step == "refer":
            kind, body = rng.choice(REFERRALS)
            if petition.status == Status.BREACHED and petition.category == Category.REMUNERATION:
                kind, body = "payment_order", "江山市人民法院"  # Art. 16
            plan.notes["body"] = body
            number = rng.randint(100, 999)
            ref = f"江劳人仲案〔{plan.times[0].year}〕{number}号" if kind == "arbitration" else ""
            return reason, {"referral_type": kind, "body": body, "reference": ref}
        if step == "reach_agreement":
            return reason, self.agreement_input(plan, petition)
        if step == "close":
            return reason, self.closure_input(plan)
        if step == "record_callback":
            return reason, self.callback_input(plan, petition)
        return reason, {}

    def agreement_input(self, plan, petition):
        """Signed today (the simulated day); some workers settle for less than they claimed."""
        rng, due = plan.rng, plan.notes["due_date"]
        data = {
            "signed_on": timezone.localdate().isoformat(),
            "due_date": due.isoformat(),
            "terms": f"企业于{due.year}年{due.month}月{due.day}日前将协议款项支付至职工本人账户。",
        }
        for claim in petition.claims.order_by("pk"):
            if rng.random() < 0.35:
                share = Decimal(rng.choice(["0.7", "0.8", "0.9"]))
                agreed = (claim.claimed_amount * share / 100).to_integral_value() * 100
                data[f"amount_{claim.pk}"] = str(agreed)
        return data

    def callback_input(self, plan, petition):
        """A representative (or the worker) called back: paid, and mostly satisfied."""
        rng = plan.rng
        called = petition.claims.order_by("-is_representative", "pk").first()
        satisfaction = rng.choices([2, 3, 4], weights=[10, 40, 50])[0]
        notes = rng.choice(CALLBACK_NOTES) if rng.random() < 0.7 else ""
        return {
            "claim": str(called.pk),
            "carried_out": "True",
            "satisfaction": str(satisfaction),
            "notes": notes,
        }

    def closure_input(self, plan):
        rng, last = plan.rng, plan.notes["last_step"]
        notice = OUTCOME_NOTICES[last].format(body=plan.notes.get("body", ""))
        if rng.random() < 0.15:
            return {"outcome_notice": notice}  # the petitioner could not be reached for a rating
        rating = rng.choices(range(1, 6), weights=RATING_WEIGHTS[last])[0]
        comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.6 else ""
        return {"outcome_notice": notice, "rating": str(rating), "comment": comment}

    def session_input(self, plan, mediator, outcome, held_at):
        rng, petition = plan.rng, plan.petition
        place = rng.choice(SESSION_PLACES).format(
            grid=petition.org_unit.name, ent=petition.enterprise.name
        )
        first = petition.claims.first().name
        workers = f"职工代表{first}等" if petition.is_group else f"申请人{first}"
        parties = [workers, f"{petition.enterprise.name}人事负责人", f"调解员{mediator.first_name}"]
        return {
            "held_at": held_at,
            "place": place,
            "parties_present": "；".join(parties),
            "notes": rng.choice(SESSION_NOTES[outcome]),
            "outcome": outcome,
        }

    def record(self, plan):
        rows = [self.people.row(plan) for _ in range(plan.size)]
        if plan.size >= 10:
            for row in rows[: 5 if plan.size >= 30 else 3]:
                row["is_representative"] = True
        return builders.record_petition(
            self.user["clerk"],
            plan.enterprise,
            rows,
            channel=plan.channel,
            category=plan.category,
            description=self.describe(plan, plan.rng),
            received_at=plan.times[0],
            owner_missing=plan.owner_missing,
            priority=plan.priority,
        )

    def repeat_visit(self, petition, rng):
        """A worker of an open group case comes again with a colleague: intake finds the open
        case, and the clerk links the new facts to it instead of opening a second one."""
        first = petition.claims.select_related("worker").first()
        again = {"name": first.name, "id_number": first.worker.id_number, "phone": first.phone}
        colleague = self.people.row(Plan(Status.RECEIVED, [], petition.enterprise, 1))
        try:
            services.record_petition(
                actor=self.user["clerk"],
                enterprise=petition.enterprise,
                channel=Channel.VISIT,
                description="再次来访：反映企业停产，另有同事一同要求追讨工资。",
                workers=[again, colleague],
            )
        except RepeatPetition as repeat:
            services.link_facts(
                repeat.petition,
                actor=self.user["clerk"],
                description="职工再次来访，反映企业已停产；补充一名同车间职工。",
                workers=[colleague],
            )

    def describe(self, plan, rng):
        received = plan.times[0]
        months = rng.randint(1, 4)
        m2 = (received.month - 2) % 12 + 1
        m1 = (m2 - months) % 12 + 1
        template = plan.description or rng.choice(DESCRIPTIONS[plan.category])
        return template.format(
            ent=plan.enterprise.name, m1=m1, m2=m2, months=months, job=rng.choice(JOBS)
        )

    # What to print.

    # What to print.

    def summary(self):
        petitions = Petition.objects.filter(zone=self.zone)
        by_status = Counter(petitions.values_list("status", flat=True))
        workers = Worker.objects.filter(petitions__zone=self.zone).distinct()
        tasks = PetitionTask.objects.filter(petition__zone=self.zone, flow_task_type="HUMAN")
        open_tasks = tasks.filter(status__in=OPEN_TASK_STATUSES)
        return {
            "units": self.zone.subtree().count() + 1,
            "enterprises": Enterprise.objects.filter(grid_area__in=self.grids).count(),
            "workers": workers.count(),
            "petitions": petitions.count(),
            "group petitions": petitions.filter(is_group=True).count(),
            "case events": CaseEvent.objects.filter(petition__zone=self.zone).count(),
            "sessions": MediationSession.objects.filter(petition__zone=self.zone).count(),
            "agreements": Agreement.objects.filter(petition__zone=self.zone).count(),
            "closures": Closure.objects.filter(petition__zone=self.zone).count(),
            "tasks done": tasks.exclude(status__in=OPEN_TASK_STATUSES).count(),
            "by_status": {s: by_status.get(s, 0) for s in Status.values},
            "open_tasks": self.open_task_counts(open_tasks),
        }

    @staticmethod
    def open_task_counts(open_tasks):
        """{node name: {holder's username or "" for the zone queue: count}}, in flow order."""
        counts = {}
        rows = open_tasks.values_list("flow_task", "owner__username")
        for node, holder in sorted(rows, key=lambda r: (NODE_ORDER.index(r[0].name), r[1] or "")):
            by_holder = counts.setdefault(node.name, {})
            by_holder[holder or ""] = by_holder.get(holder or "", 0) + 1
        return counts


class People:
    """Workers who never existed, with numbers that pass every check."""

    def __init__(self, rng, taken):
        self.rng, self.taken = rng, taken

    def row(self, plan):
        rng = self.rng
        local = rng.random() < 0.6
        regions = LOCAL_REGIONS if local else NON_LOCAL_REGIONS
        region = rng.choices([r for r, _ in regions], weights=[w for _, w in regions])[0]
        male = rng.random() < 0.6
        given = GIVEN_MALE if male else GIVEN_FEMALE
        name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
        return {
            "name": name,
            "id_number": self.id_number(region, male),
            "phone": rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
            "claimed_amount": claim_amount(plan.category, rng),
            "non_local": not local,
            "is_representative": False,
        }

    def id_number(self, region, male):
        while True:
            birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 13500))
            serial = self.rng.randint(0, 99) * 10 + self.rng.randrange(1 if male else 0, 10, 2)
            number = complete_id_number(f"{region}{birth:%Y%m%d}{serial:03d}")
            if number not in self.taken:
                self.taken.add(number)
                return number


def claim_amount(category, rng):
    wage = rng.randint(38, 85) * 100
    if category == Category.REMUNERATION:
        return Decimal(wage * rng.randint(1, 4))
    if category == Category.DISMISSAL:
        return Decimal(wage * rng.randint(2, 12))
    if category in (Category.LABOR_CONTRACT, Category.WORKING_CONDITIONS):
        return Decimal(wage * rng.randint(1, 6))
    return Decimal(0)


def is_workday(day):
    """PRC working days: holidays off, make-up days (调休) on; weekdays where the calendar ends."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def office_time(day, rng):
    """A moment in office hours (08:30-16:30) on `day` or the next working day."""
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(8, 30))
    return timezone.make_aware(start + datetime.timedelta(minutes=rng.randint(0, 480)))


def advance(previous, days, rng):
    """The time of the next step, `days` calendar days after `previous` (0: later that day)."""
    if days == 0:
        later = previous + datetime.timedelta(minutes=rng.randint(20, 120))
        if later.date() == previous.date() and later.time() <= datetime.time(17, 30):
            return later
        days = 1
    return office_time(timezone.localtime(previous).date() + datetime.timedelta(days=days), rng)


def between(start, end, rng, low=0.0, high=1.0):
    """A moment in the part (low..high) of start..end: in office hours (08:30-17:30) of a working
    day when that part holds some, else anywhere in it."""
    span = end - start
    first, last = start + span * low, start + span * high
    windows, day = [], timezone.localtime(first).date()
    while day <= timezone.localtime(last).date():
        if is_workday(day):
            opens = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
            closes = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 30)))
            if max(opens, first) < min(closes, last):
                windows.append((max(opens, first), min(closes, last)))
        day += datetime.timedelta(days=1)
    lo, hi = rng.choice(windows) if windows else (first, last)
    return lo + (hi - lo) * rng.random()


def sessions(start, end, rng, outcomes):
    """Session actions between start and end: (recorded at, "session", (outcome, held at)),
    each recorded an hour or two after it began, before the next one and before `end`."""
    if not outcomes:
        return []
    held = sorted(between(start, end, rng, 0.05, 0.95) for _ in outcomes)
    ends = [*held[1:], end]
    return [
        (min(at + datetime.timedelta(minutes=rng.randint(60, 150)), until), "session", (o, at))
        for o, at, until in zip(outcomes, held, ends, strict=True)
    ]
