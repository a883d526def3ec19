"""Officials on made-up sentences: general rules, other names, posts and provinces."""

from __future__ import annotations

import pytest

from builders.enrich.officials import find_officials, officials_and_listed, strip_place
from builders.enrich.page import enrich_page
from tests.factories import make_draft


def pairs(text: str) -> list[tuple[str, str]]:
    return [(o.name, o.title) for o in find_officials(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市委书记王建国主持会议。", [("王建国", "市委书记")]),
        ("婺源县委副书记、县长程小华强调,要抓落实。", [("程小华", "县委副书记、县长")]),
        ("镇党委书记李明传达了会议精神。", [("李明", "镇党委书记")]),
        ("常务副县长周海涛出席。", [("周海涛", "常务副县长")]),
        ("县人大常委会主任吴卫东、县政协主席陈立新参加。", [("吴卫东", "县人大常委会主任"), ("陈立新", "县政协主席")]),
        ("高新区党工委书记、管委会主任孙强指出", [("孙强", "高新区党工委书记、管委会主任")]),
        ("省委常委、宣传部部长欧阳明调研", [("欧阳明", "省委常委、宣传部部长")]),
        ("县农业农村局局长潘晓东介绍", [("潘晓东", "县农业农村局局长")]),
        ("社区书记张红梅说:“大家来了。”", [("张红梅", "社区书记")]),
        ("副市长林亮的讲话", [("林亮", "副市长")]),
        # national organs, posts joined by 、 or 兼, a name followed by any word
        ("国务院副总理张志国今天下午会见了客人。", [("张志国", "国务院副总理")]),
        ("中央政治局委员、书记处书记赵明远日前在某地考察。", [("赵明远", "中央政治局委员、书记处书记")]),
        ("某部新闻发言人孙立平说,将加快审批。", [("孙立平", "某部新闻发言人")]),
        ("国务委员兼国防部长钱建华出席。", [("钱建华", "国务委员兼国防部长")]),
        ("全国人大常委会副委员长周德明等参加。", [("周德明", "全国人大常委会副委员长")]),
        # a list of awardees with no punctuation after the names' posts
        ("某县副县长李文斌、某局局长王海涛获表彰", [("李文斌", "某县副县长"), ("王海涛", "某局局长")]),
        # foreign heads of state, ministers and diplomats; former and newly appointed
        ("某国总统卡里莫夫４日在首都会见记者。", [("卡里莫夫", "总统")]),
        ("某国总理罗马诺·普罗迪今天说", [("罗马诺·普罗迪", "总理")]),
        ("自治区主席艾力·买买提说", [("艾力·买买提", "自治区主席")]),  # a long name with ·, domestic
        ("某自治区主席艾山·买提江今天说", [("艾山·买提江", "某自治区主席")]),  # Uyghur name parts
        ("县长吐尔逊·热合曼说", [("吐尔逊·热合曼", "县长")]),
        ("某国总统热恩别科夫表示", [("热恩别科夫", "总统")]),  # not cut at 别 (热恩)
        ("某国外交部长萨维为代表团送行", [("萨维", "外交部长")]),
        ("某国前总统博塔将出庭。", [("博塔", "前总统")]),
        ("新任驻华大使马丁内斯递交国书。", [("马丁内斯", "新任驻华大使")]),
        # the military, enterprises, courts, schools and hospitals
        ("总参谋长刘振武上将指出", [("刘振武", "总参谋长")]),
        ("集团公司董事长、总经理陈建中介绍", [("陈建中", "集团公司董事长、总经理")]),
        ("县人民法院院长吴国平强调", [("吴国平", "县人民法院院长")]),
        ("县第一中学校长杨明华说", [("杨明华", "县第一中学校长")]),
        ("市人民医院院长黄志强表示", [("黄志强", "市人民医院院长")]),
        # a given name that is a common word after a one-character surname; famous names
        ("县文广新局局长陈胜利说,要办好活动。", [("陈胜利", "县文广新局局长")]),
        ("国务院总理李鹏今天下午会见客人。", [("李鹏", "国务院总理")]),
        ("副市长兼市公安局局长梁建强于5日表示", [("梁建强", "副市长兼市公安局局长")]),
    ],
)
def test_officials(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "中央书记处书记出席会议。",  # an organ, not a post + name
        "党组书记要严格履行第一责任人职责。",  # a verb after the post
        "习近平总书记关于党的自我革命的重要思想",
        "区人大常委会党组工作汇报",
        "各位主任委员参加。",
        "委领导郑兰富参加。",  # no post named
        "上海市长宁区举行活动。",  # 市长 inside two place names: no word ends after it
        "瞻仰毛主席纪念堂。",
        "总统曾表示欢迎。",  # 曾 is a surname, 表示 a common word
        "总统府发表声明。",
        "驻华大使馆举行招待会。",
        "部长高度重视此事。",
        "由县长任组长的领导小组",  # 任组长 ends with a post
        "各级党组织书记明确责任。",  # 明确 is a common word
        "主席文明礼让。",
    ],
)
def test_not_officials(text: str) -> None:
    assert pairs(text) == []


def test_name_does_not_swallow_the_verb() -> None:
    assert pairs("区长祝升明调研督导") == [("祝升明", "区长")]
    assert pairs("县长胡献如主持会议") == [("胡献如", "县长")]


def test_leading_place_name_is_dropped_but_level_kept() -> None:
    assert strip_place("庆元县委书记") == "县委书记"
    assert strip_place("衢州市委副书记") == "市委副书记"
    assert strip_place("庆元县行政服务中心主任") == "行政服务中心主任"
    assert strip_place("泉井边村村委会副主任") == "泉井边村村委会副主任"


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("局长徐光明、杨正方、李东生等出席。", ["杨正方", "李东生"]),
        # 负责人 names no office: everyone listed is a person named, none an official
        ("有关部门负责人徐光明、杨正方、李东生等出席。", ["徐光明", "杨正方", "李东生"]),
        ("村民李永安说,大棚是入冬抢建的。", ["李永安"]),
        ("志愿者王小明、陈立新来到社区。", ["王小明", "陈立新"]),
        ("代表商讨议案,群众植树。", []),  # verbs and nouns after a role word are no names
        ("代表农工党发言。", []),  # an organisation
    ],
)
def test_people_listed_after_an_official_or_a_role(text: str, listed: list[str]) -> None:
    assert officials_and_listed(text)[1] == listed


def test_persons_of_an_article_include_listed_people_and_no_places() -> None:
    draft = make_draft("m00.txt", "县委书记王建华、县长陈立民,村民李永安等参加。上海市长宁区举行活动。")
    (article,) = enrich_page([draft], draft.body)
    assert article.persons[:3] == ["王建华", "陈立民", "李永安"]
    assert not {"长宁区", "宁区", "上海"} & set(article.persons)


def test_a_surname_that_is_also_a_preposition() -> None:
    assert pairs("社区党支部书记向红兵说,大家放心。") == [("向红兵", "社区党支部书记")]
    assert pairs("书记向群众说明情况。") == []
    assert pairs("江泽民主席和李鹏总理出席。") == []


@pytest.mark.parametrize(
    "text",
    [
        "有关部门负责人徐光明说,将加快进度。",  # the person in charge: no post printed
        "研究小组负责人孙立平博士介绍说",
        "两国总统商谈加强合作。",  # a dictionary verb after the post
        "我与某国总统谈得很好。",  # a post after the name, then a verb phrase
        "将从政协主席任上退下来",  # 任上: a surname-like start, a word ending
        "某国总统塞尔维亚总统分别会见客人",  # a country owns the next post
        "总书记高度赞扬医务人员",  # the dictionary tags 高度赞扬 as a person
    ],
)
def test_no_office_named(text: str) -> None:
    assert pairs(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name part beside the separator need not look transliterated
        ("某国总理川·立派近日指出", [("川·立派", "总理")]),
        ("某社社长让·米奥、某国前参谋长拉卡兹等出席", [("让·米奥", "某社社长"), ("拉卡兹", "前参谋长")]),
        ("某国总理乌叶海亚１１日会见客人", [("乌叶海亚", "总理")]),
        # a word the dictionary tags as a person, whatever its characters
        ("某部部长多吉才让出席", [("多吉才让", "某部部长")]),
        # Tibetan names have no surname: one or two name elements
        ("自治区党委副书记丹增今天指出", [("丹增", "自治区党委副书记")]),
        ("自治区副主席次仁扎西表示", [("次仁扎西", "自治区副主席")]),
        # a married woman's name with her husband's surname first (冠夫姓)
        ("特区政府政务司司长陈方安生将于明天启程", [("陈方安生", "特区政府政务司司长")]),
        ("某会主席范徐丽泰表示", [("范徐丽泰", "某会主席")]),
        # overlapping heads: 厅长 inside 总务厅长官
        ("推选总务厅长官王志刚为代表", [("王志刚", "总务厅长官")]),
        # Mongolian names have no surname either; a Tibetan element with a variant spelling
        ("某市委书记巴特尔、副书记王志刚出席", [("巴特尔", "某市委书记"), ("王志刚", "副书记")]),
        ("某寺民管会主任尼玛慈仁告诉记者", [("尼玛慈仁", "某寺民管会主任")]),
        # Japanese names: a Japanese surname, a given name or none
        ("某国首相田中一郎今晚会见客人", [("田中一郎", "首相")]),
        ("前首相小泉为首的派别", [("小泉", "前首相")]),
        # a list of people and posts printed without punctuation: the next entry starts with a place
        (
            "某县科协科普部部长张学会山东省某局局长陈中央河南省某厂厂长刘胜利",
            [("张学会", "某县科协科普部部长"), ("陈中央", "某局局长"), ("刘胜利", "某厂厂长")],
        ),
        # an honorific or a rank after the name
        ("某公司总经理王大石先生赠送锦旗", [("王大石", "某公司总经理")]),
        # a name the segmenter glued to the next character (朱新文因)
        ("某镇副镇长黄新文因病去世", [("黄新文", "某镇副镇长")]),
    ],
)
def test_name_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_a_name_is_not_cut_at_a_surname_and_a_common_start() -> None:
    assert pairs("县长张国平安排部署工作。") == [("张国平", "县长")]
    assert pairs("县长王建国家里来了客人。") == [("王建国", "县长")]


def test_a_heading_of_two_elections() -> None:
    found, _ = officials_and_listed("", [], ["张建国当选某省人大主任李文华当选某省省长"])
    assert [(o.name, o.title) for o in found] == [("李文华", "当选某省人大主任")]  # as printed, run together


def test_officials_named_in_a_heading_follow_the_body() -> None:
    body = "会议由常务副县长陈文华主持。"
    found, _ = officials_and_listed(body, None, ["某国总理罗杰斯强调合作", "县长陈文华调研"])
    assert [(o.name, o.title) for o in found] == [("陈文华", "常务副县长"), ("罗杰斯", "总理")]


def test_an_article_lists_the_officials_of_its_title_lines() -> None:
    draft = make_draft("m00.txt", "他今天说,两国将加强合作。").model_copy(
        update={"title_lines": ["某国总理罗杰斯强调合作"]}
    )
    (article,) = enrich_page([draft], draft.body)
    assert [(o.name, o.title) for o in article.officials] == [("罗杰斯", "总理")]
    assert "罗杰斯" in article.persons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title starts after a meeting verb or a function word, not inside an organ's name
        ("主任医师陈立匆匆找到医疗队临时党支部书记王文华，递交了申请书", [("王文华", "医疗队临时党支部书记")]),
        ("据某乐园营销中心总经理张旭东介绍", [("张旭东", "某乐园营销中心总经理")]),
        ("某局药品注册司司长李平说", [("李平", "某局药品注册司司长")]),
        ("某国总统施泰因迈尔在某地会见客人", [("施泰因迈尔", "总统")]),
        ("难忘的夜晚——致省农科院副院长吴文华", [("吴文华", "省农科院副院长")]),
        ("某公司总经理王大石先生赠送锦旗", [("王大石", "某公司总经理")]),
    ],
)
def test_title_boundaries(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_a_garden_is_no_person() -> None:
    draft = make_draft("m00.txt", "在景区的南清园周围，游客很多。")
    (article,) = enrich_page([draft], draft.body)
    assert "南清园" not in article.persons


@pytest.mark.parametrize(
    "body",
    [
        "农业农村部、国家林草局联合下发文件。",  # an organ
        "吸引无数游客慕名而至。",  # a role word, then an idiom
        "跟着刘洋边走边聊。",  # a name glued to the next word: no name rather than a wrong one
        "村民胡先生说，路修好了。",  # a surname and a form of address
    ],
)
def test_persons_are_names(body: str) -> None:
    draft = make_draft("m00.txt", body)
    (article,) = enrich_page([draft], draft.body)
    assert not {"林草局", "慕名而", "刘洋边", "胡先生"} & set(article.persons)


def test_head_scan_finds_what_the_plain_alternation_finds() -> None:
    """The first-character guard of :func:`head_pattern` only skips places no head starts at."""
    import re

    from builders.enrich.officials import HAN, _alt, head_pattern
    from builders.enrich.posts import HEADS

    plain = re.compile(rf"(?=((?:{_alt(HEADS)}))(?={HAN}))")
    text = "县委副书记、县长甲乙主持会议，总务厅长官丙丁和秘书长。主任们、国务院总理戊己会见驻华大使庚辛，书记处"
    found = [(m.start(1), m.end(1)) for m in head_pattern().finditer(text)]
    assert found == [(m.start(1), m.end(1)) for m in plain.finditer(text)]
    assert len(found) >= 7


def test_token_starts_are_the_offsets_tokens_begin_at() -> None:
    from builders.enrich.officials import TokenStarts

    starts = TokenStarts(["县委", "书记", "甲乙", "说"])
    assert [starts.get(k) for k in range(8)] == [0, None, 1, None, 2, None, 3, 4]


def test_every_name_form_that_needs_a_surname_starts_with_one() -> None:
    """``chinese_name_at`` returns None at once without a surname: it must be what each of its name
    forms needs (married names' surnames and the prepositions 向, 于, 常 are all surnames)."""
    from builders.enrich.names import MARRIED_SURNAMES, chinese_name_at
    from builders.parse.surnames import SURNAMES

    assert MARRIED_SURNAMES <= SURNAMES
    assert set("向于常") <= SURNAMES
    words = ["要求", "大家"]
    assert chinese_name_at("要求大家", 0, words) is None
    assert chinese_name_at("向红兵说", 0, ["向", "红兵", "说"]) == "向红兵"


def test_a_heading_without_a_post_adds_no_official() -> None:
    found, _ = officials_and_listed("会议召开。", ["会议", "召开", "。"], ["村民代表大会", "县长王建国调研"])
    assert [(o.name, o.title) for o in found] == [("王建国", "县长")]
