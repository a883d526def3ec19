"""Where articles start when the line labeller has spoken: the rules that overrule it."""

from __future__ import annotations

from builders.parse.layout import Block, classify_page, split_blocks, subhead_form
from builders.parse.lines import split_lines

FEATURE = [
    "三名乡村医生讲述——",
    "守在村卫生室的日日夜夜",
    "他们背着药箱走村入户，把医疗服务送到乡亲们家门口。",
    "“村民信任我，我就不能走”",
    "周明在村卫生室干了快三十年，年轻时有人劝他去城里，他都摇头拒绝了。",
    "“手机成了我的出诊包”",
    "前几年，县里给村医配上了智能手机，量血压、测血糖的数据能直接传到县医院。",
    "“只要有人需要，我随叫随到”",
    "深夜十一点，村民张大爷突然胸口疼，王强二话没说就背起药箱出了门。",
    "（本报记者林远、周青）",
]


def _blocks(lines: list[str], labels: list[str]) -> list[Block]:
    typed = classify_page(split_lines("\n".join(lines) + "\n"))
    return split_blocks(typed, labels)[1]


def _titles(blocks: list[Block]) -> list[list[str]]:
    return [[line.text for line in block.titles] for block in blocks]


def test_the_forms_subheads_share() -> None:
    assert subhead_form("“只要有人需要，我随叫随到”") == "quoted"
    assert subhead_form("专人精准对接 线上线下协同") == "couplet"
    assert subhead_form("脱贫成果如何巩固？") == "question"
    assert subhead_form("县城新添口袋公园") is None


def test_lone_lines_of_one_form_stay_subheads_of_the_feature() -> None:
    labels = ["title-start", "title", "body"] + ["title-start", "body"] * 3 + ["closing-credit"]
    blocks = _blocks(FEATURE, labels)
    assert _titles(blocks) == [FEATURE[:2]]
    subheads = [t.line.text for t in blocks[0].items if t.kind == "subhead"]
    assert subheads == [FEATURE[3], FEATURE[5], FEATURE[7]]


def test_a_lone_line_unlike_the_others_still_opens_an_article() -> None:
    lines = [*FEATURE[:5], "县城新添口袋公园", "近日，县城新建的口袋公园对外开放，公园设有步道和健身器材。"]
    labels = ["title-start", "title", "body", "title-start", "body", "title-start", "body"]
    assert _titles(_blocks(lines, labels)) == [FEATURE[:2], [FEATURE[3]], ["县城新添口袋公园"]]


def test_pieces_headed_like_their_neighbours_are_articles_of_a_series() -> None:
    lines = [
        "求真务实 履职尽责",
        "一年来，委员们走进田间地头，把情况摸清楚，把建议提到点子上。",
        "双周协商 凝聚共识",
        "会场中间，计时大屏提醒发言时间，委员们围绕议题坦诚交流。",
        "注重质量 服务大局",
        "提案工作坚持质量导向，一批高质量提案转化为政策举措。",
    ]
    labels = ["title-start", "body"] * 3
    assert _titles(_blocks(lines, labels)) == [[lines[0]], [lines[2]], [lines[4]]]


def test_a_line_leading_into_the_next_headline_after_a_closing_credit_is_its_kicker() -> None:
    lines = [
        "老街换新颜",
        "青石镇的老街改造完工，石板路、白墙黛瓦又回来了，游客一年比一年多。",
        "（本报记者林远）",
        "过去老街一下雨就满是泥水；如今路平了、灯亮了。南方小镇——",
        "老街，让日子更有滋味",
        "傍晚时分，老街上飘起了饭菜香，居民们三三两两地坐在门口聊天。",
    ]
    labels = ["title-start", "body", "closing-credit", "body", "title-start", "body"]
    assert _titles(_blocks(lines, labels)) == [[lines[0]], lines[3:5]]


def test_a_speaker_line_inside_a_feature_heads_a_section_not_an_article() -> None:
    lines = [
        "两名护士讲述——",
        "守在病房的日日夜夜",
        "她们是病人身边的守护者，日夜守在病房里。",
        "县医院重症病房护士长李红：",
        "“病人好起来，就是我最大的安慰”",
        "李红已经连续在病房工作了二十多天。",
    ]
    labels = ["title-start", "title", "body", "body", "title-start", "body"]
    assert _titles(_blocks(lines, labels)) == [lines[:2], [lines[4]]]


def test_a_lead_naming_the_reporters_source_is_never_a_headline() -> None:
    lines = [
        "县城供暖全面启动",
        "本报讯 县城集中供暖昨日全面启动，覆盖居民小区八十余个。",
        "记者从县供热公司获悉：截至昨日，全县已有",
        "九成居民家中室温达标。",
    ]
    labels = ["title-start", "body", "title-start", "body-continued"]
    blocks = _blocks(lines, labels)
    assert _titles(blocks) == [[lines[0]]]
    assert [t.line.text for t in blocks[0].items if t.kind == "body"] == lines[1:]
