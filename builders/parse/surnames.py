"""Chinese surnames, for splitting names printed without separators in credits (本报记者甲乙丙丁).

The parse stage needs them below enrichment; :mod:`builders.enrich.names` uses the same table.
"""

from __future__ import annotations

import itertools

from builders.segment import tokenizer as segment

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由贵"
    "洪傅萧郗钮贝凤酆昌费滑荀羿汲邴糜隗宓蓬仰钭韶蓟鄂咸籍赖逄扶堵宰郦郤璩濮寿充阎宦慎庾暨弘殳沃蔚夔厍訾毋乜"
    "巢蒯竺桓习牧怀回果归"
)
"""Common single-character surnames (百家姓 and the most frequent modern ones)."""
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 端木".split(" ")  # noqa: SIM905
)
GIVEN_NOT = frozenset("的了在和与及是说等并、，。和记者报道摄")
"""Characters that do not occur in a given name (particles, role words)."""


def has_surname(name: str) -> bool:
    """True when ``name`` starts with a known surname."""
    return name[:2] in COMPOUND_SURNAMES or name[:1] in SURNAMES


def _pieces(run: str) -> list[list[str]]:
    """Every way to cut ``run`` into names of a surname and one or two given characters."""
    if not run:
        return [[]]
    out: list[list[str]] = []
    for surname in (run[:2], run[:1]):
        if surname not in COMPOUND_SURNAMES and (len(surname) != 1 or surname not in SURNAMES):
            continue
        for given in (2, 1):
            name = run[: len(surname) + given]
            if len(name) < len(surname) + given or GIVEN_NOT.intersection(name[len(surname) :]):
                continue
            out.extend([name, *rest] for rest in _pieces(run[len(name) :]))
    return out


def split_run(run: str) -> list[str] | None:
    """Names run together (冯某林董某敏 -> 冯某林, 董某敏), or None when no cut fits.

    Of the cuts where every name starts with a surname, the one with the fewest names wins,
    then the one whose cuts the segmenter's tokens agree with most (孟某安 | 祁某, not 孟某 |
    安祁某), then the one with most three-character names (most Chinese names are three).
    """
    if not 4 <= len(run) <= 16 or not all("\u4e00" <= ch <= "\u9fff" for ch in run):
        return None
    cuts = [cut for cut in _pieces(run) if len(cut) >= 2]
    if not cuts:
        return None
    bounds = set(itertools.accumulate(len(token) for token in segment.cut(run)))

    def agreement(cut: list[str]) -> int:
        return len(set(itertools.accumulate(len(name) for name in cut)) & bounds)

    return min(cuts, key=lambda cut: (len(cut), -agreement(cut), -sum(len(n) == 3 for n in cut), cut))
