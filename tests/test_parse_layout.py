"""Where articles start when the line labeller has spoken: the rules that overrule it."""

from __future__ import annotations

from builders.parse.blocks import split_blocks
from builders.parse.labelled import subhead_form
from builders.parse.layout import Block, classify_page
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


REPORT = [
    "县城新建三座口袋公园",
    "本报某县3月2日电（记者林远）县城新建的三座口袋公园日前对外开放，公园里设有步道、座椅和健身器材。",
    "县住建局负责人介绍，口袋公园利用街角闲置地块建成，今年还将再建五座，让居民出门就能见绿。",
]
PAIR = ["某镇推行“网格代办”", "村民办事不用出村"]
PARAGRAPH = "今年以来，某镇把全镇划分为四十个网格，网格员收集村民的办事需求，统一送到便民服务中心办理。"


def _pair_page(before: list[str], pair: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The lines of a page, labelled as the labeller misreads them: one title, then all body."""
    lines = [*before, *pair, *after]
    return lines, ["title-start"] + ["body"] * (len(lines) - 1)


def test_a_two_line_headline_after_a_news_report_opens_the_next_article() -> None:
    lines, labels = _pair_page(REPORT, PAIR, [PARAGRAPH])
    blocks = _blocks(lines, labels)
    assert _titles(blocks) == [[REPORT[0]], PAIR]
    assert [t.line.text for t in blocks[1].items] == [PARAGRAPH]


def test_a_two_line_headline_after_a_feature_with_one_line_subheads_opens_the_next_article() -> None:
    feature = [
        "小城的夜晚亮起来",
        "青石县把夜间经济作为扩大消费的抓手，老街、夜市、滨江步道连成一片，县城的夜晚越来越热闹。",
        "老街换了新模样",
        "傍晚时分，老街两旁的灯笼次第亮起，卖小吃的、做手工的、唱小曲的，把石板路挤得满满当当。",
    ]
    lines, labels = _pair_page(feature, PAIR, [PARAGRAPH])
    blocks = _blocks(lines, labels)
    assert _titles(blocks) == [[feature[0]], PAIR]
    assert [t.line.text for t in blocks[0].items if t.kind == "subhead"] == [feature[2]]


FEATURE_TWOS = [
    "乡村医生的一天",
    "早上七点，村卫生室的门就开了，乡村医生周明穿上白大褂，开始了一天的忙碌，老人已经等在门口。",
    "背着药箱进山",
    "为了老人少跑腿，每周上门随访一次",
    "周明负责的村子有七个自然村，散落在几座山头之间，行动不便的老人有三十多位，他每周都要走一遍。",
]


def test_a_feature_with_two_line_subheads_keeps_the_next_block_of_two() -> None:
    pair = ["守着屏幕看病", "县里的专家在线会诊，疑难病症不出村"]
    lines, labels = _pair_page(FEATURE_TWOS, pair, [PARAGRAPH])
    blocks = _blocks(lines, labels)
    assert _titles(blocks) == [[FEATURE_TWOS[0]]]
    assert [t.line.text for t in blocks[0].items if t.kind == "subhead"] == [*FEATURE_TWOS[2:4], *pair]


def test_without_a_lead_or_subheads_the_labellers_reading_stands() -> None:
    lines, labels = _pair_page(FEATURE_TWOS[:2], FEATURE_TWOS[2:4], [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[FEATURE_TWOS[0]]]


def test_parallel_phrases_of_one_length_stay_a_subhead_of_the_report() -> None:
    lines, labels = _pair_page(REPORT, ["加强社区防控", "便民举措贴心"], [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[REPORT[0]]]


def test_a_line_that_runs_on_past_its_end_is_no_headline_line() -> None:
    pair = ["共克时艰，保障物资供应", "位于县城东郊的一家医用材料公司，原本"]
    lines, labels = _pair_page(REPORT, pair, [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[REPORT[0]]]


def test_a_block_of_two_in_the_form_of_the_features_subheads_heads_its_next_section() -> None:
    feature = [
        "粮食生产不能松劲",
        "今年的中央文件提出，毫不放松抓好粮食生产，稳政策、稳面积、稳产量，确保谷物基本自给。",
        "藏粮于地，藏粮于技",
        "到二〇二〇年确保建成八亿亩高标准农田，划定粮食生产功能区，巩固和提高粮食生产能力。",
    ]
    pair = ["提质向优，调整优化结构", "数量质量一起抓"]
    lines, labels = _pair_page(feature, pair, [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[feature[0]]]


def test_pieces_after_a_two_line_headline_are_headed_alike() -> None:
    second = ["某县试运营空中索道", "车辆不进村，索道送大米"]
    lines, labels = _pair_page(REPORT, [*PAIR, PARAGRAPH, *second], [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[REPORT[0]], PAIR, second]


def test_a_block_of_two_after_an_unfinished_sentence_is_not_a_headline() -> None:
    cut = [*REPORT[:2], "县住建局负责人介绍，口袋公园利用街角闲置地块建成，今年还将再建五座，让居民出门就能"]
    lines, labels = _pair_page(cut, ["见到绿色", "听见清脆的鸟鸣声"], [PARAGRAPH])
    assert _titles(_blocks(lines, labels)) == [[REPORT[0]]]


_REPORT = [
    "本报某县3月5日电（记者林远）近日，某县召开文化惠民工作推进会，对今年全县公共文化服务体系建设作出部署，"
    "要求各乡镇把文化设施建设纳入重点工作，确保年底前完成。",
    "会议指出，近年来全县公共文化设施不断完善，群众文化生活日益丰富，但城乡之间、乡镇之间仍不平衡，"
    "一些村级文化活动室利用率不高，需要下大力气加以解决。",
    "会议要求，各乡镇要结合实际制定实施方案，明确时间表和路线图，县里将定期督查通报，对工作滞后的乡镇进行约谈，"
    "确保各项任务按期完成、取得实效，让群众真正得到实惠。",
]


def _headlines(lines: list[str]) -> list[str]:
    from builders.parse.page import parse_page

    return [a.headline for a in parse_page("\n".join(lines) + "\n", "x.txt", "0" * 64).articles]


def test_a_slogan_couplet_in_a_news_report_is_no_headline() -> None:
    # two unpunctuated lines of one length: the paired head of a section, not headline + subheadline
    page = ["某县部署文化惠民工作", _REPORT[0], _REPORT[1], "绿水青山就是金山银山", "冰天雪地也是金山银山", _REPORT[2]]
    assert _headlines(page) == ["某县部署文化惠民工作"]


_FEATURE = [
    "今年以来，某县把防止返贫监测作为巩固脱贫成果的头等大事，建立起县乡村三级联动的工作机制，确保不发生规模性返贫。",
    "县乡村振兴局负责人介绍，全县共排查农户三万余户，对收入不稳定、刚性支出较大的家庭逐户建立台账，做到早发现、早干预、早帮扶。",
    "在青石镇，镇村干部和帮扶责任人分片包干，每月至少入户一次，帮助农户解决生产生活中遇到的实际困难，群众满意度明显提高。",
    "对识别出的监测对象，县里因户施策，有劳动能力的安排公益岗位或者技能培训，没有劳动能力的纳入兜底保障，确保应保尽保。",
    "下一步，某县将继续完善监测帮扶机制，推动各项政策落地见效，让脱贫群众的日子越过越红火，为乡村振兴打下坚实基础。",
]


def test_a_section_head_of_the_subheads_length_with_a_summary_line_stays_a_section() -> None:
    # one-line subheads of four characters; one section adds a summary line under its head
    p = _FEATURE
    page = ["守住不返贫的底线", "——某县巩固脱贫攻坚成果见闻", p[0], "排查到户", p[1], "分片包干", p[2],
            "精准帮扶", "对监测对象每两个月走访一次", p[3], "久久为功", p[4]]
    assert _headlines(page) == ["守住不返贫的底线"]
