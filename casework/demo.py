"""Demo data modeled on the seed articles: a development-zone union of a county-level city in
Quzhou, Zhejiang, with six grid areas (片区), ~30 enterprises, ~500 workers and ~200 petitions in
every state of the life cycle, among them the owner-missing case of 150 workers.

Every petition is recorded with `services.record_petition` and moved with
`services.fire_transition`, so its timeline is written by the same code as a real one. The load
replays some eight months of work: while it runs, "now" is the simulated moment of each step, so
received times, case events and `updated_at` read like a real history instead of one instant.

Enterprise names are invented; places and industries are those of the seeds.
"""

import datetime
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import chinese_calendar
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from . import services
from .models import CaseEvent, Enterprise, Membership, OrgUnit, Petition, Role, Status, Worker
from .validators import complete_credit_code, complete_id_number

SEED = 12351
DEMO_PASSWORD = "demo-12351"
ZONE_CODE = "JSKFQ"
FEDERATION_NAME = "江山市总工会"
ZONE_NAME = "江山经济开发区总工会"
GRID_NAMES = ["山海协作片区", "莲华山片区", "城南片区", "贺村片区", "上余片区", "清湖片区"]
HISTORY_DAYS = 240
CITY_REGION = "330881"  # 江山市

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
        [*_AGREE, "confirm_fulfilment", "close"],
        [*_AGREE, "confirm_fulfilment", "close"],
        [*_AGREE, "confirm_fulfilment", "close"],
        [*_FAIL, "refer", "close"],
        [*_AGREE, "record_breach", "refer", "close"],
        ["reject", "close"],
        ["refer_out", "close"],
    ],
    Status.REOPENED: [[*_AGREE, "confirm_fulfilment", "close", "reopen"]],
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
    "close": ["", "已告知处理结果，职工满意。", "结案回访，职工无异议。"],
    "reopen": [
        "职工反映企业再次拖欠协议约定款项，申请重新调解。",
        "发现新的欠薪事实，重新启动调解。",
    ],
}
REFER_OUT_BODIES = [
    "江山市住房和城乡建设局",
    "江山市劳动人事争议仲裁院",
    "江山市人力资源和社会保障局劳动保障监察大队",
]
REFERRALS = [
    ("arbitration", "江山市劳动人事争议仲裁院"),
    ("legal_aid", "江山市法律援助中心"),
    ("labor_inspection", "江山市人力资源和社会保障局劳动保障监察大队"),
]


@dataclass
class Plan:
    """One petition to replay: what is recorded and the steps it then goes through."""

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
    times: list = field(default_factory=list)


@contextmanager
def simulated_clock():
    """While active, `clock.now` is "now" for `timezone.now()` and the time of new case events."""

    class Clock:
        now = None

    clock = Clock()
    real_now = timezone.now

    def stamp(sender, instance, **kwargs):
        if instance._state.adding and clock.now is not None:
            instance.at = clock.now

    # CaseEvent.at's default holds the real `timezone.now`, so the event is stamped here.
    pre_save.connect(stamp, sender=CaseEvent, weak=False, dispatch_uid="casework-demo-clock")
    timezone.now = lambda: clock.now or real_now()
    try:
        yield clock
    finally:
        timezone.now = real_now
        pre_save.disconnect(sender=CaseEvent, dispatch_uid="casework-demo-clock")


class DemoLoader:
    def __init__(self, now=None):
        self.now = timezone.localtime(now or timezone.now())

    # Organization, enterprises, users: get-or-create by natural key, every run.

    def load(self):
        with transaction.atomic():
            self.units()
            self.enterprises()
            self.users()
            created = 0
            if not Petition.objects.filter(zone=self.zone).exists():
                created = self.petitions()
        return created

    def units(self):
        self.federation, _ = OrgUnit.objects.get_or_create(
            name=FEDERATION_NAME, parent=None, defaults={"kind": OrgUnit.Kind.FEDERATION}
        )
        self.zone, _ = OrgUnit.objects.get_or_create(
            name=ZONE_NAME,
            parent=self.federation,
            defaults={"kind": OrgUnit.Kind.ZONE, "code": ZONE_CODE},
        )
        self.grids = [
            OrgUnit.objects.get_or_create(
                name=name, parent=self.zone, defaults={"kind": OrgUnit.Kind.GRID}
            )[0]
            for name in GRID_NAMES
        ]

    def enterprises(self):
        rng = random.Random(f"{SEED}-enterprises")
        self.enterprise_list = []
        for name, industry, grid, has_union in ENTERPRISES:
            headcount = 186 if name == OWNER_MISSING_ENTERPRISE else rng.randint(4, 90) * 10
            code = credit_code(rng, CITY_REGION)
            enterprise, _ = Enterprise.objects.get_or_create(
                credit_code=code,
                defaults={
                    "name": name,
                    "grid_area": self.grids[grid],
                    "industry": industry,
                    "headcount": headcount,
                    "has_union": has_union,
                },
            )
            self.enterprise_list.append(enterprise)
        self.by_name = {e.name: e for e in self.enterprise_list}

    def users(self):
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
        named = {
            "federation": self.federation,
            "zone": self.zone,
            # Units stop at the grid area: an enterprise union acts at its enterprise's area.
            "enterprise": self.by_name[ENTERPRISE_UNION_OF].grid_area,
        }
        self.logins, self.user = [], {}
        for username, role, where, full_name in USERS:
            superuser = role == Role.ADMIN
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": full_name,
                    "password": password,
                    "is_active": True,
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            at = [self.grids[w] if isinstance(w, int) else named[w] for w in where]
            for unit in at:
                Membership.objects.get_or_create(user=user, org_unit=unit, role=role)
            self.user[username] = user
            where_label = "、".join(u.name for u in at)
            if role == Role.ENTERPRISE_UNION:
                where_label += f"（{ENTERPRISE_UNION_OF}工会）"
            self.logins.append((username, DEMO_PASSWORD, role, where_label))
        self.mediator_of = {
            grid.pk: self.user[name]
            for name, role, where, _ in USERS
            if role == Role.MEDIATOR
            for grid in (self.grids[i] for i in where)
        }

    # Petitions: planned, then replayed in the order they were received.

    def petitions(self):
        rng = random.Random(f"{SEED}-petitions")
        self.people = People(rng, taken=set(Worker.objects.values_list("id_number", flat=True)))
        specials = self.special_plans()
        plans = specials + self.everyday_plans(rng, specials)
        for plan in plans:
            self.schedule(plan, rng)
        plans.sort(key=lambda p: p.times[0])
        with simulated_clock() as clock:
            for plan in plans:
                self.replay(plan, rng, clock)
        return len(plans)

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
        )
        groups = [
            (
                Status.CLOSED,
                [*_AGREE, "confirm_fulfilment", "close"],
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

    def replay(self, plan, rng, clock):
        clock.now = plan.times[0]
        petition = self.record(plan, rng)
        for step, at in zip(plan.steps, plan.times[1:], strict=True):
            clock.now = at
            if step == "link_facts":
                self.repeat_visit(petition, rng)
                continue
            reason, data = self.step_input(plan, petition, step, rng)
            actor = self.actor_for(petition, step)
            services.fire_transition(petition, step, actor=actor, reason=reason, data=data)

    def record(self, plan, rng):
        rows = [self.people.row(plan) for _ in range(plan.size)]
        if plan.size >= 10:
            for row in rows[: 5 if plan.size >= 30 else 3]:
                row["is_representative"] = True
        return services.record_petition(
            actor=self.user["clerk"],
            enterprise=plan.enterprise,
            channel=plan.channel,
            category=plan.category,
            description=self.describe(plan, rng),
            workers=rows,
            received_at=plan.times[0],
            owner_missing=plan.owner_missing,
            priority=plan.priority,
        )

    def repeat_visit(self, petition, rng):
        """A worker of an open group case comes again with a colleague: intake finds the open
        case, and the clerk links the new facts to it instead of opening a second one."""
        first = petition.claims.select_related("worker").first().worker
        again = {"name": first.name, "id_number": first.id_number, "phone": first.phone}
        colleague = self.people.row(Plan(Status.RECEIVED, [], petition.enterprise, 1))
        try:
            services.record_petition(
                actor=self.user["clerk"],
                enterprise=petition.enterprise,
                channel=Channel.VISIT,
                description="再次来访：反映企业停产，另有同事一同要求追讨工资。",
                workers=[again, colleague],
            )
        except services.RepeatPetition as repeat:
            services.link_facts(
                repeat.petition,
                actor=self.user["clerk"],
                description="职工再次来访，反映企业已停产；补充一名同车间职工。",
                workers=[colleague],
            )

    def actor_for(self, petition, step):
        if step in ("accept", "refer_out"):
            return self.user["clerk"]
        if step == "reopen":
            return self.user["supervisor"]
        return self.mediator_of[petition.org_unit_id]

    def step_input(self, plan, petition, step, rng):
        given = plan.reasons.get(step)
        if isinstance(given, dict):
            given = dict(given)
            return given.pop("reason", ""), given
        reason = given if given is not None else rng.choice(REASONS[step])
        if step == "refer_out":
            return reason, {"body": rng.choice(REFER_OUT_BODIES)}
        if step == "refer":
            kind, body = rng.choice(REFERRALS)
            if petition.status == Status.BREACHED and petition.category == Category.REMUNERATION:
                kind, body = "payment_order", "江山市人民法院"  # Art. 16
            number = rng.randint(100, 999)
            ref = f"江劳人仲案〔{plan.times[0].year}〕{number}号" if kind == "arbitration" else ""
            return reason, {"referral_type": kind, "body": body, "reference": ref}
        return reason, {}

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

    def summary(self):
        petitions = Petition.objects.filter(zone=self.zone)
        by_status = Counter(petitions.values_list("status", flat=True))
        workers = Worker.objects.filter(employer__grid_area__path__startswith=self.zone.path)
        return {
            "units": self.zone.subtree().count() + 1,
            "enterprises": Enterprise.objects.filter(grid_area__in=self.grids).count(),
            "workers": workers.count(),
            "petitions": petitions.count(),
            "group petitions": petitions.filter(is_group=True).count(),
            "case events": CaseEvent.objects.filter(petition__zone=self.zone).count(),
            "by_status": {s: by_status.get(s, 0) for s in Status.values},
        }


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


# GB 32100: 登记管理部门 9 (market regulation), 机构类别 1 (enterprise), the region, a
# GB 11714 organization code with its own check character, then the code's check character.
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code(rng):
    body = "MA" + "".join(rng.choice(_ORG_CHARS) for _ in range(6))
    # GB 11714 counts letters from A=10 through Z=35.
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng, region):
    return complete_credit_code(f"91{region}{organization_code(rng)}")


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
