"""A vocabulary of Chinese official posts (职务): organs, post heads and their modifiers.

The officials extractor (:mod:`builders.enrich.officials`) builds its patterns from these
tuples, and ``python -m builders.enrich.make_data`` writes the common combinations into the
jieba user dictionary so that 县委副书记 or 常务副县长 segment as one word.
"""

from __future__ import annotations

from itertools import product

LEVELS = ("省", "市", "县", "区", "镇", "乡", "街道", "村", "社区")
"""Administrative levels that prefix an organ (县委, 区政协, 镇党委)."""

ORGANS = (
    "人大常委会",
    "常委会",
    "人大",
    "政协",
    "人民政府",
    "政府",
    "党工委",
    "管委会",
    "党委",
    "党组",
    "党支部",
    "总支",
    "支部",
    "纪委",
    "监委",
    "纪工委",
    "政法委",
    "组织部",
    "宣传部",
    "统战部",
    "委",
    "村委会",
    "居委会",
    "办事处",
    "开发区",
    "工委",
    "总工会",
    "团委",
    "妇联",
    "科协",
    "社科联",
    "文联",
    "工商联",
    "人民法院",
    "法院",
    "人民检察院",
    "检察院",
    "公安局",
)
"""Named organs (机关) that a post may belong to; generic ones (…局, …中心) are matched by suffix."""

ORGAN_SUFFIXES = (
    *("局", "委", "办", "部", "中心", "会", "院", "所", "站", "厅", "处", "科", "室", "联", "馆", "团"),
    *("公司", "集团", "学", "校", "行", "社", "台", "军", "区", "署", "司", "厂", "矿", "队", "小组"),
)
"""Endings of generic organ names (农业农村局, 行政服务中心, 文明办)."""

PLACE_SUFFIXES = LEVELS
"""Endings of place names that own an organ (泉井边村 in 泉井边村村委会副主任)."""

HEADS = (
    "书记",
    "常委",
    "委员",
    "县长",
    "区长",
    "市长",
    "省长",
    "镇长",
    "乡长",
    "州长",
    "旗长",
    "主任",
    "主席",
    "部长",
    "局长",
    "厅长",
    "处长",
    "科长",
    "秘书长",
    "院长",
    "检察长",
    "庭长",
    "所长",
    "站长",
    "校长",
    "行长",
    "社长",
    "馆长",
    "会长",
    "理事长",
    "董事长",
    "总经理",
    "组长",
    "队长",
    "政委",
    "主委",
    "总编辑",
    "总工程师",
    "总会计师",
    "巡视员",
    "调研员",
    "督学",
    # national organs, the state and the Party
    "总书记",
    "委员长",
    "国务委员",
    "总理",
    "总统",
    "司长",
    "署长",
    "主任委员",
    "发言人",
    "新闻发言人",
    "行政长官",
    "长官",
    "领导人",
    # foreign heads of state and government, ministers, diplomats
    "首相",
    "议长",
    "外长",
    "外相",
    "国务卿",
    "国王",
    "女王",
    "王储",
    "总督",
    "大使",
    "公使",
    "总领事",
    "领事",
    "参赞",
    # the military
    "总参谋长",
    "参谋长",
    "司令员",
    "司令",
    "军长",
    "师长",
    "旅长",
    "团长",
    "舰长",
    # enterprises, courts, schools, hospitals, villages
    "总裁",
    "副总裁",
    "经理",
    "厂长",
    "矿长",
    "审判长",
    "村长",
    "主编",
)
"""Post heads (职务名), longest alternatives are tried first by the extractor."""

FUSED_HEADS = ("部长", "局长", "厅长", "署长", "司长", "处长", "队长")
"""Heads that fuse with a two-character organ name (国防部长 = 国防部 + 部长, 外交部长, 组织部长, 支队长)."""

MODIFIERS = ("常务副", "第一副", "副", "代理", "代", "党组", "专职副", "执行", "名誉", "荣誉", "首席")
"""Words that go before a post head (常务副县长, 代县长, 党组书记)."""

PRE_MODIFIERS = ("前", "原", "新任", "首任", "现任", "候任", "当选", "离任")
"""Words that go before a whole post (前总统, 原省电力局副局长, 新任驻华大使)."""

JOINERS = ("、", "兼")
"""What joins the posts one person holds (县委副书记、县长; 副总理兼外长)."""


def dictionary_posts() -> list[str]:
    """Common posts written as one word in the jieba user dictionary, sorted."""
    heads = ("书记", "副书记", "常委")
    posts = {lvl + organ + head for lvl, organ, head in product(("省", "市", "县", "区"), ("委",), heads)}
    posts |= {lvl + "党委" + head for lvl, head in product(("镇", "乡", "街道"), ("书记", "副书记"))}
    posts |= {
        mod + lvl + "长" for mod, lvl in product(("", "副", "常务副", "代"), ("省", "市", "县", "区", "镇", "乡"))
    }
    posts |= {"常务副主任", "常务副书记", "党工委书记", "党工委副书记", "管委会主任", "管委会副主任"}
    posts |= {"人大常委会主任", "人大常委会副主任", "政协主席", "政协副主席", "政法委书记", "纪委书记", "社区书记"}
    return sorted(posts)


ROLES = (
    "村民", "居民", "市民", "农民", "群众", "村干部", "工人", "职工", "员工", "教师", "老师", "医生", "护士",
    "学生", "志愿者", "工作人员", "党员", "代表", "专家", "教授", "研究员", "工程师", "记者", "通讯员",
    "老人", "大爷", "大妈", "师傅", "农户", "贫困户", "民警", "辅警", "战士", "选手", "运动员", "教练",
    "演员", "作家", "画家", "企业家", "创始人", "店主", "老板", "网友", "游客", "患者", "家属",
    "负责人", "联系人", "带头人", "当事人",
)  # fmt: skip
"""Words for people who hold no post (村民, 志愿者): a name right after one is a person, not an official.

负责人 (the person in charge) names no office: 有关部门负责人甲乙 is a person named, and so is
the 负责人 of a project or a team (研究小组负责人), whose post is not printed."""
