"""What a Chinese personal name looks like: surnames, and the words that follow names."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from builders.enrich.region import place_names
from builders.parse.surnames import COMPOUND_SURNAMES, has_surname
from builders.segment.tokenizer import tag

DATA = Path(__file__).parent / "data"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FOLLOWERS = _words(
    "主持 传达 强调 指出 要求 表示 说 介绍 参加 出席 调研 督导 督查 部署 讲话 带队 "
    "率队 率 在 的 等 和 与 及 同志 一行 对 代表 作 宣读 通报 分别 先后 陪同 主讲 "
    "认真 详细 一同 会见 看望 走访 深入 听取 前往 来到 检查 就 也 还 提出 充分 希望 "
    "则 为 向 到 赴 是 全面 具体 高兴 批示 致辞 发言 汇报 回答 接受 现场 亲自 一起 "
    "随后 并 又 已 将 慰问 点评 签 见证 颁 宣布 指导 考察 巡查 召集 授课 牵头 分析 "
    "肯定 称赞 勉励 鼓励 叮嘱 告诉 坦言 认为 透露 谈 提到 回顾 总结 布置 主动 专门 "
    "特别 首先 最后 同时 当场 任 于 今天 昨天 明天 今日 昨日 日前 近日 当天 当日 上午 下午 晚上 今晚 "
    "昨晚 目前 最近 因 先生 女士 夫人 博士 教授 院士 将军 上将 中将 少将"
)
"""Words that may follow a name (蓝伶俐传达…, 林亮的…): a name candidate must stop before one."""

NOT_FIRST = frozenset("的了在和与及对为是把将从向于说等并也都还由被要让给主传强指出参带到副正常务委")
"""Characters that do not begin a name after a post (党组书记要…, 主任委员…)."""

NOT_INSIDE = frozenset("的了在和与及是说等并很、，。")


@cache
def not_names() -> frozenset[str]:
    """Words jieba's dictionary or HMM mislabel as names (荣获, 幸福感), from ``data/not_names.txt``."""
    text = (DATA / "not_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


FUNCTION_TAGS = frozenset("pcudrmqfyeot")
"""First letters of the jieba tags of function words, numerals, times (关于 p, 重要 a is not)."""


KINSHIP = (
    "先生",
    "女士",
    "小姐",
    "阿姨",
    "奶奶",
    "爷爷",
    "大爷",
    "大妈",
    "大娘",
    "大姐",
    "大哥",
    "师傅",
    "老师",
    "阿婆",
    "婆婆",
)
"""Words that make a surname a form of address, not a name (胡先生, 吴奶奶)."""


def looks_like_name(name: str) -> bool:
    """A plausible 2-4 character Chinese name: known surname, no particle or function word inside,
    not a surname and a form of address (胡先生)."""
    if not 2 <= len(name) <= 4 or name in not_names() or not has_surname(name) or name.endswith(KINSHIP):
        return False
    if name[0] in NOT_FIRST or NOT_INSIDE.intersection(name):
        return False
    if not _HAN_WORD.fullmatch(name):
        return False
    if tag(name[:2])[0] in FUNCTION_TAGS or tag(name)[0] in FUNCTION_TAGS:
        return False
    return len(name) < 4 or name[:2] in COMPOUND_SURNAMES


TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德登迪蒂丁东杜多厄恩尔法范菲费芬丰"
    "冯弗福富盖甘冈高戈格根贡古瓜圭哈海汉豪赫黑亨洪胡华怀惠霍基吉加贾杰捷金卡凯坎康考柯科克肯库夸"
    "奎拉莱赖兰朗劳勒雷蕾里理利莉丽连列林琳卢鲁伦罗洛马玛迈麦曼芒梅门蒙孟米密缪摩莫默墨姆穆纳娜乃"
    "南内尼妮涅宁纽努诺欧帕潘佩彭皮珀普奇齐恰乔切钦琼丘萨塞瑟桑森沙莎尚舍圣什史舒斯松苏索塔泰坦汤"
    "唐特提廷通图托瓦万旺威韦维温沃乌西希锡夏谢辛休许雅亚扬耶伊因英尤约扎泽詹兹佐祖卓茨策夫哲"
    "顿努丝缇茜黛露奈琪薇赛伍娃娅蒂柏贝钱甘地治翰廉吕侯武邦于罕叶瑞施"
    "江买力吐逊热合别"  # Uyghur and Central Asian names: 买买提, 艾力, 吐尔逊, 热合曼, 买提江, 热恩别科夫
)
"""Characters of transliterated foreign names (卡里莫夫, 普里马科夫): no particles, no verbs."""

COMMON = 500
"""A dictionary word this frequent is a common word, not a name (高度 6119; 罗干 92, 克林顿 295)."""
COMMON_NAME = 1000
"""Above this, a two-character word tagged as a person is a common word (高峰 1556; 李鹏 675)."""
NOT_LAST = frozenset("已将曾于在为说等和与及也都还又就才便即被把向对从是因上")
NOT_PERSON_LAST = NOT_LAST | frozenset("摄这后着得来性节党委楼桥格家馆园某局门而边当灯极")
"""Endings of words the HMM takes for names that are none (刘宇摄, 盛赞这, 丰收节, 南清园, 林草局, 李某)."""
"""Characters that end no name after a post (安南已于…, 总统曾于…)."""
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_HAN_WORD = re.compile("[\u4e00-\u9fff]+")


@cache
def _frequencies() -> Mapping[str, int]:
    from builders.segment.tokenizer import jieba_tokenizer

    freq: Mapping[str, int] = jieba_tokenizer().freq
    return freq


def frequency(word: str) -> int:
    """The word's frequency in the segmenter's dictionary (0 when it is not a dictionary word)."""
    return _frequencies().get(word, 0)


def common_word(word: str) -> bool:
    """True for a frequent dictionary word (期间, 表示, 高度, 文明): no name.

    A word the dictionary tags as a person is common only with two characters and above
    :data:`COMMON_NAME` (文明, 阳光; not 李鹏); with three or more it is a name (江泽民).
    """
    freq = _frequencies().get(word, 0)
    if freq < COMMON:
        return False
    if tag(word).startswith("nr"):
        return len(word) == 2 and freq >= COMMON_NAME
    return True


def _stops(rest: str) -> bool:
    """The text after a name candidate ends it: no Chinese character, a follower, or the next
    entry of a list printed without punctuation, which starts with a place (…副县长李四某市…)."""
    return not rest or not ("\u4e00" <= rest[0] <= "\u9fff") or rest.startswith(FOLLOWERS) or _starts_place(rest)


PLACE_LEVELS = ("省", "市", "县", "区", "州", "旗")


def _starts_place(rest: str) -> bool:
    """``rest`` starts with the full name of a province, prefecture or county (山东省, 金山区)."""
    names = place_names()
    for k in range(2, max(2, min(len(rest), 7)) + 1):  # a longer k repeats the whole of rest
        head = rest[:k]
        if head.endswith(PLACE_LEVELS) and head in names:
            return True
    return False


def _whole_words(name: str, words: Sequence[str]) -> bool:
    """``name`` is made of the words (a prefix of them) and none of them is a common word."""
    joined = ""
    for word in words:
        if len(word) >= 2 and common_word(word):
            return False
        joined += word
        if joined == name:
            return not (len(word) == 1 and word in NOT_LAST)
        if len(joined) > len(name):
            return False
    return False


GIVEN_NAME_TAGS = ("n", "nr", "nz", "ns", "vn", "a", "an", "b", "j", "x")
"""Tags of a common word that may be a given name after a one-character surname (陈|胜利, 王|建国)."""


def _covers_common(name: str, words: Sequence[str]) -> bool:
    """A common word (表示, 期间) starts inside ``name``: 曾表示 is no name. A surname and a
    noun-like given name are one (陈|胜利)."""
    offset = 0
    for i, word in enumerate(words):
        if offset >= len(name):
            return False
        given = i == 1 and len(words[0]) == 1 and offset + len(word) == len(name) and tag(word) in GIVEN_NAME_TAGS
        if len(word) >= 2 and common_word(word) and not given:
            return True
        offset += len(word)
    return False


def _famous(name: str, words: Sequence[str]) -> bool:
    """One dictionary word tagged as a person, or one unknown word, with a surname (江泽民, 常继乐)."""
    return name == words[0] and tag(name).startswith(("nr", "x")) and has_surname(name)


def _name_like(name: str, words: Sequence[str]) -> bool:
    if not has_surname(name):  # what each of the three ways to be a name below needs: the cheapest test first
        return False
    if name[-1] in NOT_LAST or name.endswith(_head_words()) or name.endswith(KINSHIP):
        return False
    if common_word(name) or (len(name) >= 3 and common_word(name[:2])):
        return False  # 明确责(任) starts with a common word
    if len(name) == 2 and words and words[0] == name and frequency(name) and tag(name).startswith("v"):
        return False  # one dictionary verb (总统商谈): a two-character name word would be tagged nr
    return looks_like_name(name) or _famous(name, words) or _surname_not_first(name, words)


def _surname_not_first(name: str, words: Sequence[str]) -> bool:
    """A surname that is also a preposition (向, 于, 常) as its own word before a rare given-name
    word: 书记向|红兵, not 书记向|群众 or 向|大家."""
    if len(words) < 2 or words[0] != name[0] or words[1] != name[1:] or name[0] not in "向于常":
        return False
    return not common_word(words[1]) and tag(words[1]) in GIVEN_NAME_TAGS and len(name) == 3


@cache
def _head_words() -> tuple[str, ...]:
    from builders.enrich.posts import HEADS

    return tuple(h for h in HEADS if len(h) >= 2)


def chinese_name_at(text: str, start: int, words: Sequence[str]) -> str | None:
    """A Chinese name starting at ``start``: 2-4 characters (:func:`looks_like_name`) made of
    whole segmenter words, or stopping before a word that follows names (主持, 的, 在…); a
    married woman's name with her husband's surname first (陈方安生) when it alone stops.

    Every candidate starts with a surname (:func:`_name_like`, :data:`MARRIED_SURNAMES`), so
    without one at ``start`` there is none (most heads and role words are followed by no name)."""
    if not has_surname(text[start : start + 2]):
        return None
    candidates = []
    for order, length in enumerate((3, 2, 4)):
        name = text[start : start + length]
        if len(name) < length or not _name_like(name, words):
            continue
        stops = _stops(text[start + length : start + length + 4])
        whole = _whole_words(name, words) or (stops and _surname_and_given(name, words))
        stops = stops and not _covers_common(name, words)
        if whole or stops:
            candidates.append((not (whole and stops), order, name))
    if (not candidates or min(candidates)[0]) and _married_name_at(text, start):
        return text[start : start + 4]
    return min(candidates)[2] if candidates else None


MARRIED_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈范方"
)
"""Frequent surnames, for a married woman's name printed with two of them (陈方安生, 范徐丽泰)."""


def _married_name_at(text: str, start: int) -> bool:
    """Two frequent surnames and a two-character given name that stops before a follower (冠夫姓)."""
    name = text[start : start + 4]
    if len(name) < 4 or not MARRIED_SURNAMES.issuperset(name[:2]):
        return False
    if not looks_like_name(name[1:]) or common_word(name[2:]) or name[-1] in NOT_PERSON_LAST:
        return False
    return _stops(text[start + 4 : start + 8])


def _surname_and_given(name: str, words: Sequence[str]) -> bool:
    """A one-character surname word and a given-name word (陈|胜利说)."""
    return len(words) >= 2 and words[0] + words[1] == name and len(words[0]) == 1 and not _covers_common(name, words)


def _foreign_word(word: str) -> bool:
    if not (_HAN.match(word) and TRANSLITERATION.issuperset(word)) or word in NOT_LAST:
        return False
    if len(word) == 1 or tag(word).startswith("nr"):  # 乔治, 托马斯: frequent, but names
        return True
    return not (common_word(word) or word.endswith(tuple("国省市县州岛城")))


DOTS = ("·", "•", "・", ".")
"""The separators of a transliterated name's parts (罗马诺·普罗迪)."""


def _dotted_part(word: str) -> bool:
    """A word beside a name separator: the separator shows it is a part of a foreign name even
    when its characters are not the usual ones (川·立派, 让·米奥, 冯·皮尔)."""
    return len(word) <= 4 and bool(_HAN.match(word)) and word[-1] not in NOT_LAST and tag(word)[0] not in "pcuy"


def _dot_after(tokens: Sequence[str], at: int) -> bool:
    return at + 1 < len(tokens) and tokens[at + 1] in DOTS


FOREIGN_WORDS = 10
"""Words a transliterated name may span (its parts and dots)."""


def foreign_name_at(tokens: Sequence[str], at: int) -> str | None:
    """A transliterated name made of the words from index ``at`` (罗马诺·普罗迪, 卡里莫夫)."""
    if at >= len(tokens) or (tokens[at][:1] not in TRANSLITERATION and not _dot_after(tokens, at)):
        return None  # the first word is no part of a foreign name: none starts here
    words: list[str] = []
    window = tokens[at : at + FOREIGN_WORDS]
    for i, word in enumerate(window):
        dotted = (bool(words) and words[-1] == "·") or (i + 1 < len(window) and window[i + 1] in DOTS)
        if word in DOTS:
            if not words or words[-1] == "·":
                break
            words.append("·")
        elif _foreign_word(word) or (dotted and _dotted_part(word)):
            words.append(word)
        else:
            if len(word) >= 2 and word[-1] in NOT_LAST and _foreign_word(word[:-1]):  # 萨维|为 glued by the HMM
                words.append(word[:-1])
            break
    while words and words[-1] == "·":
        words.pop()
    name = "".join(words)
    return name if 2 <= len(name.replace("·", "")) <= 12 and name not in not_names() else None


_NO_SURNAME_ELEMENTS = (
    # Tibetan
    "丹增 旦增 多吉 多杰 次仁 慈仁 扎西 格桑 洛桑 达瓦 尼玛 平措 索朗 强巴 顿珠 白玛 卓玛 央金 拉巴 巴桑 次旦 普布 "
    "边巴 罗布 群培 益西 阿旺 贡布 才让 嘉措 加措 坚参 坚赞 拉姆 德吉 曲珍 仁青 桑布 土登 图登 热地 帕巴 降边 "
    "江村 向巴 旺堆 旦巴 才旦 卓嘎 次央 丹巴 赤列 仁增 班觉 拉珍 占堆 朗杰 桑珠 伦珠 晋美 洛布 措姆 普琼 欧珠 "
    # Mongolian
    "巴音 朝鲁 巴特尔 乌兰 其其格 宝音 那顺 额尔敦 布赫 乌云 图雅 苏和 阿拉坦 哈斯 孟和 敖登 巴雅尔 毕力格 斯琴 "
    "特古斯 乌力吉 白音 满都拉 巴图 吉日嘎拉 格日勒 陶克套 达来 恩和 布和 朝格图 额尔德尼 乌日图 那仁"
)
NO_SURNAME_ELEMENTS = frozenset(_NO_SURNAME_ELEMENTS.split())
"""Elements of Tibetan and Mongolian names, which have no surname: a name is one or two of
them (丹增, 多吉才让, 巴音朝鲁)."""
_ELEMENT_LENGTHS = (4, 3, 2)
_ELEMENT_FIRST = frozenset(element[0] for element in NO_SURNAME_ELEMENTS)


def _elements_at(text: str, start: int) -> list[int]:
    """Ends of the one- and two-element names starting at ``start``, longest first."""
    ends = []
    for first in _ELEMENT_LENGTHS:
        if text[start : start + first] not in NO_SURNAME_ELEMENTS:
            continue
        ends += [
            start + first + n
            for n in _ELEMENT_LENGTHS
            if text[start + first : start + first + n] in NO_SURNAME_ELEMENTS
        ]
        ends.append(start + first)
    return sorted(set(ends), reverse=True)


def element_name_at(text: str, start: int) -> str | None:
    """A name of known elements without a surname (Tibetan, Mongolian): two elements, or one
    element, or one element and two more characters, that the text after stops."""
    if text[start : start + 1] not in _ELEMENT_FIRST:
        return None
    ends = _elements_at(text, start)
    for end in ends:
        two = any(text[start:e] in NO_SURNAME_ELEMENTS for e in range(start + 2, end - 1))
        if (two and end - start >= 4) or _stops(text[end : end + 4]):
            return text[start:end]
    if ends and _stops(text[start + 4 : start + 8]) and not common_word(text[start + 2 : start + 4]):
        name = text[start : start + 4]  # 尼玛慈仁: one known element and a spelling variant
        return name if _HAN.match(name) and not NOT_INSIDE.intersection(name) else None
    return None


_JAPANESE_SURNAMES = (
    "桥本 村山 小渊 羽田 细川 宫泽 竹下 海部 中曾根 田中 森 小泉 安倍 福田 麻生 鸠山 菅 野田 岸田 石破 河野 "
    "高村 小泽 池田 大平 佐藤 铃木 山田 山本 渡边 伊藤 中村 小林 加藤 吉田 山口 松本 井上 木村 石原 前原 冈田 "
    "久间 额贺 町村 二阶 盐川 小和田 梶山 武村 土井 橘 野中 扇 堀内 加藤 龟井 谷垣 中川 中山 古贺"
)
JAPANESE_SURNAMES = frozenset(_JAPANESE_SURNAMES.split())
"""Surnames of Japanese politicians, who are named like Chinese people with a 1-3 character
given name (桥本龙太郎, 村山富市, 羽田孜)."""


_JAPANESE_FIRST = frozenset(surname[0] for surname in JAPANESE_SURNAMES)


def japanese_name_at(text: str, start: int) -> str | None:
    """A Japanese surname and a given name of 1-3 characters (or none: 桥本), ending where the text stops."""
    if text[start : start + 1] not in _JAPANESE_FIRST:
        return None
    for surname in (3, 2, 1):
        if text[start : start + surname] not in JAPANESE_SURNAMES:
            continue
        for given in (3, 2, 1, 0):
            name = text[start : start + surname + given]
            if len(name) < max(2, surname + given) or not _HAN.match(name) or NOT_LAST.intersection(name[surname:]):
                continue
            if not NOT_INSIDE.intersection(name) and _stops(text[start + len(name) : start + len(name) + 4]):
                return name
    return None


PERSON_TAGS = ("nr", "nrt", "nrfg")
PLACE_LAST = frozenset("国省市县州岛城人峰山河湖江海港湾寺村乡镇")


def dictionary_name_at(tokens: Sequence[str], at: int) -> str | None:
    """One segmenter word the dictionary tags as a person (鹿野道彦 nr, 多吉才让 nrt), 2-6 characters."""
    word = tokens[at] if at < len(tokens) else ""
    if not 2 <= len(word) <= 6 or not _HAN.match(word) or tag(word) not in PERSON_TAGS:
        return None
    if (len(word) == 2 and tag(word) == "nr") or common_word(word) or word in not_names():
        return None  # two-character nr words are often common words (高峰): the Chinese rule decides
    if word[-1] in NOT_PERSON_LAST or word[-1] in PLACE_LAST or tag(word[:2])[0] in FUNCTION_TAGS:
        return None
    if common_word(word[:2]) or word.endswith(KINSHIP):
        return None  # 高度赞扬 starts with a common word; 胡先生 is a form of address
    return word


def name_at(text: str, start: int, tokens: Sequence[str], at: int) -> str | None:
    """The person named at ``start`` (= the start of ``tokens[at]``): Chinese, transliterated,
    Tibetan or Mongolian, Japanese, or one word the dictionary tags as a person; the longest wins.
    A foreign word followed by a post owns that post (德国总统|塞尔维亚总统): no name."""
    chinese = chinese_name_at(text, start, tokens[at : at + 4])
    others = (foreign_name_at(tokens, at), element_name_at(text, start), japanese_name_at(text, start))
    found = [
        n for n in (*others, dictionary_name_at(tokens, at)) if n and not text.startswith(_head_words(), start + len(n))
    ]
    longest = max(found, key=len, default=None)
    if longest and (not chinese or len(longest) > len(chinese)):
        return longest
    return chinese


NAME_READS = 24
"""Characters past a name's start that :func:`name_at` may read to find the name and what ends it: a name
is at most 21 characters (a foreign one: 12 and up to 9 dots; the others 4-6), then 4 more are read
(:func:`_stops`), or a post head (at most :func:`_head_words`' longest, added below)."""
_NAMES_SEEN: dict[tuple[str, tuple[str, ...]], str | None] = {}
MAX_NAMES_SEEN = 1 << 16
"""Answers :func:`remembered_name_at` keeps before it starts afresh."""


def remembered_name_at(text: str, start: int, tokens: Sequence[str], at: int) -> str | None:
    """:func:`name_at`, remembered by what it reads: the text from ``start`` (:func:`_name_reads`
    characters) and the words from ``at`` (:data:`FOREIGN_WORDS`, and one more for the dot after the
    first). The same post and name recur across a paper's pages (县委书记甲乙)."""
    key = (text[start : start + _name_reads()], tuple(tokens[at : at + FOREIGN_WORDS + 1]))
    try:  # one look-up: another thread may clear the dict between two
        return _NAMES_SEEN[key]
    except KeyError:
        pass
    if len(_NAMES_SEEN) >= MAX_NAMES_SEEN:
        _NAMES_SEEN.clear()
    found = _NAMES_SEEN[key] = name_at(text, start, tokens, at)
    return found


@cache
def _name_reads() -> int:
    """:data:`NAME_READS` and the longest post head."""
    return NAME_READS + max(map(len, _head_words()), default=0)
