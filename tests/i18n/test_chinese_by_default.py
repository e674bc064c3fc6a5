"""Chinese by default: the catalog is complete and compiled, and pages and labels speak
Simplified Chinese unless the browser asks for English."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from casework import intake
from casework.models import OrgUnit, Petition, Role, Status

MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

# Placeholders a translation must keep: %(name)s, %(count)d, %s, {name}, HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+[^>]*>")
# Han characters and CJK / full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Entries whose Chinese is, rightly, the English text.
SAME_IN_CHINESE = {"Ctrl+Enter"}


def _unquote(line):
    return line[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_po(path):
    """The entries of a .po file: [{"flags", "msgid", "msgid_plural", "msgstr": [...]}]."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {
            "flags": set(),
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": [],
        }
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if key == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                key, _space, value = line.partition(" ")
                if key.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(_unquote(value))
                else:
                    entry[key] = _unquote(value)
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


@pytest.fixture(autouse=True)
def default_language():
    """Start from Django's default: a request of an earlier test leaves its language active."""
    translation.deactivate()
    yield
    translation.deactivate()


ENTRIES = read_po(PO)
MESSAGES_ONLY = [e for e in ENTRIES if e["msgid"]]


def test_the_catalog_has_a_chinese_header_and_no_fuzzy_entry():
    header = next(e for e in ENTRIES if e["msgid"] == "")
    assert "Language: zh_Hans\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]
    assert len(MESSAGES_ONLY) > 200
    assert [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]] == []


def _problems(entry):
    if len(entry["msgstr"]) != 1:  # nplurals=1, for plural entries too
        return f"{len(entry['msgstr'])} forms"
    translated = entry["msgstr"][0]
    if not translated.strip():
        return "untranslated"
    if entry["msgid"] not in SAME_IN_CHINESE and not CJK.search(translated):
        return "no Chinese in the translation"
    # One Chinese form serves every count, so it carries the plural's placeholders.
    source = entry["msgid_plural"] or entry["msgid"]
    if sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(source)):
        return "placeholders differ"
    return None


def test_every_entry_is_translated_into_chinese_with_its_placeholders():
    problems = [(e["msgid"], _problems(e)) for e in MESSAGES_ONLY if _problems(e)]

    assert problems == []


def test_the_compiled_catalog_matches_the_po_file():
    """A .po edited without `compilemessages` would leave the site on stale translations."""
    with MO.open("rb") as mo_file:
        catalog = gettext.GNUTranslations(mo_file)
    for entry in MESSAGES_ONLY:
        if entry["msgid_plural"]:
            for n in (1, 2):
                got = catalog.ngettext(entry["msgid"], entry["msgid_plural"], n)
                assert got == entry["msgstr"][0]
        elif entry["msgctxt"]:
            got = catalog.pgettext(entry["msgctxt"], entry["msgid"])
            assert got == entry["msgstr"][0], entry["msgid"]
        else:
            assert catalog.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
    assert catalog.gettext("Case list") == "案件列表"
    assert catalog.gettext("Owner missing") == "老板失联"
    assert catalog.gettext("Group petition") == "群体性诉求"
    assert catalog.gettext("Payment order (Art. 16)") == "支付令（第十六条）"
    assert catalog.gettext("unified social credit code") == "统一社会信用代码"
    assert catalog.pgettext("period", "From") == "起始日期"


def test_the_site_speaks_chinese_by_default():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Case list") == "案件列表"


def test_the_case_list_is_in_chinese_without_accept_language(client, clerk, petition):
    client.force_login(clerk)

    response = client.get(reverse("casework:petition-list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    chinese = ["案件列表", "诉求登记", "退出登录", "筛选", "共 1 件诉求", "诉求金额合计（元）"]
    for label in chinese:
        assert label in page
    for label in ("Case list", "New petition", "Log out", "Filter", "1 petition"):
        assert label not in page
    # Values shown from model choices are translated too.
    assert '<span class="status status-received">登记</span>' in page
    assert "劳动报酬、工伤医疗费、经济补偿或者赔偿金" in page


def test_the_login_page_is_in_chinese_by_default(client):
    response = client.get(reverse("login"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "<h1>登录</h1>" in page
    assert "用户名" in page and "密码" in page
    assert "Log in" not in page and "User name" not in page and "Password" not in page


def test_the_login_page_is_in_english_when_asked(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Log in</h1>" in page
    assert "User name" in page and "Password" in page
    assert "登录" not in page and "用户名" not in page


def test_the_case_list_is_in_english_when_asked(client, clerk, petition):
    client.force_login(clerk)

    response = client.get(reverse("casework:petition-list"), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Case list" in page and "1 petition" in page
    assert "案件列表" not in page and "诉求登记" not in page


def test_model_choice_labels_are_translated():
    with translation.override("zh-hans"):
        assert str(Status.RECEIVED.label) == "登记"
        assert str(Status.IN_MEDIATION.label) == "调解中"
        assert str(Status.REFERRED.label) == "已移送处理"
        assert str(Role.INTAKE_CLERK.label) == "接待员"
        assert str(Role.SUPERVISOR.label) == "主管领导"
        assert str(Role.COMMITTEE_LIAISON.label) == "党工委联络人"
        assert str(OrgUnit.Kind.ZONE.label) == "开发区总工会"
        assert str(OrgUnit.Kind.GRID.label) == "片区"
        assert str(Petition.Channel.HOTLINE.label) == "12351热线"
        assert str(Petition.Channel.CLUE_PLATFORM.label) == "根治欠薪线索反映平台转办"
        assert str(Petition.Category.LABOR_RELATION.label) == "确认劳动关系"
        assert str(Petition._meta.get_field("owner_missing").verbose_name) == "老板失联"
    with translation.override("en"):
        assert str(Status.RECEIVED.label) == "Received"
        assert str(Role.SUPERVISOR.label) == "Supervisor"


def test_messages_built_in_python_are_chinese_by_default():
    parsed = intake.parse_text("张三,11010519491231002X,,,也许")

    assert parsed.errors == [(1, "第 1 行：“也许”应填“是”或“否”。")]
