"""Simulated county papers with known reprints, quotes and formulaic reports (the reuse benchmark).

Per day and paper: local originals; reprints of the day's central articles (新华社/人民日报
stories) with the edits real reprints show -- retitled, the lead kept, rewritten to 据新华社…电
or dropped, paragraphs cut, reordered or added, light typos; local reports that quote a long
passage (>= 150 characters) of a central article; formulaic meeting reports (会议强调/会议指出…)
that share their phrasing but are different stories; and short notices. The truth (clusters
and quoted spans) comes with the records.

Text is made by a character Markov chain (order 2) fitted on a text source: the
development pages (``--text /tmp/dev/pages``, read at run time, never stored; several folders
are pooled) or an invented vocabulary (the default). Every sentence is generated, so two stories
share text only by chance, as real ones do (common words and phrases), or by design.

Two independent configurations (:data:`CONFIGS`): ``a``, the one the thresholds were chosen
on, and ``b``, kept apart as "a benchmark you do not have": another seed, 1998 dates and a
mixed 1998-style and modern vocabulary (or text pool), five central stories a day, and heavier
edits within the same kinds -- more and deeper cuts, up to two paragraph swaps, added paragraphs,
the first sentence rewritten more often, up to eight typos, the lead more often rewritten or
dropped, more and longer quotes (150-600 characters), more formulaic reports.
"""

from __future__ import annotations

import datetime
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PAPERS = [f"{c}报" for c in ("庆元", "开化", "龙泉", "遂昌", "松阳", "云和", "景宁", "缙云", "青田", "常山",
                             "江山", "安吉")]
OUTLETS = ["新华社", "人民日报"]
CITIES = ["北京", "杭州", "上海", "武汉", "成都"]
FORMULA = [
    "会议强调，要深入学习贯彻党的二十大精神，坚持以人民为中心的发展思想，切实把思想和行动统一到决策部署上来。",
    "会议指出，今年以来全县上下凝心聚力、攻坚克难，各项工作取得了明显成效。",
    "会议要求，各级各部门要切实提高政治站位，压紧压实工作责任，确保各项任务落到实处。",
    "会议强调，要坚持稳中求进工作总基调，统筹发展和安全，奋力推动高质量发展。",
]
SYLLABLES_1998 = "国有企业改革下岗职工再就业工程抗洪救灾乡镇企业计划生育农民负担减轻粮食收购科教兴国精神文明" \
                 "扶贫开发小康建设邓小平理论十五大精神菜篮子米袋子县长乡长村委会集体经济技术改造效益"
SYLLABLES = "政府经济发展建设工作会议人民群众服务乡村振兴产业项目企业农业生态旅游文化教育医疗交通安全改革创新" \
            "干部党员组织社会治理民生保障基层村镇街道社区志愿活动开展推进落实完成提升加强提高重点全面深入持续"


@dataclass(frozen=True)
class Config:
    """One benchmark configuration: the dates, vocabulary and how often each edit happens."""

    name: str
    start: datetime.date = datetime.date(2021, 3, 1)
    syllables: tuple[str, ...] = ("modern",)
    stories: int = 4
    reprint: float = 0.5
    cut: float = 0.4
    keep: tuple[float, float] = (0.6, 0.9)
    swap: float = 0.3
    swaps: int = 1
    add: float = 0.3
    rewrite_first: float = 0.3
    typos: int = 4
    lead_weights: tuple[int, int, int] | None = None
    """Weights of the lead kept / rewritten to 据…电 / dropped; None: equally likely."""
    quote: float = 0.5
    quote_len: tuple[int, int] = (150, 400)
    formulaic: tuple[int, int] = (1, 2)


CONFIGS = {
    "a": Config("a"),
    "b": Config("b", start=datetime.date(1998, 6, 1), syllables=("1998", "modern"), stories=5, reprint=0.6,
                cut=0.6, keep=(0.5, 0.85), swap=0.5, swaps=2, add=0.5, rewrite_first=0.5, typos=8,
                lead_weights=(1, 2, 2), quote=0.7, quote_len=(150, 600), formulaic=(2, 3)),
}
POOLS = {"modern": SYLLABLES, "1998": SYLLABLES_1998}


def _words(rng: random.Random, pools: tuple[str, ...] = ("modern",)) -> list[str]:
    chars = "".join(POOLS[p] for p in pools)
    return ["".join(rng.choice(chars) for _ in range(rng.choice((2, 2, 3, 4)))) for _ in range(3000)]


class Markov:
    """An order-2 character chain over a text: new sentences in the source's style."""

    def __init__(self, text: str) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        for i in range(len(text) - 2):
            self.next[text[i:i + 2]].append(text[i + 2])
        self.starts = [k for k in self.next if k[0] not in "，。、；：“”（）"]

    def sentence(self, rng: random.Random, lo: int = 15, hi: int = 60) -> str:
        state = rng.choice(self.starts)
        out = list(state)
        while len(out) < hi:
            char = rng.choice(self.next.get(state) or ["。"])
            out.append(char)
            state = state[1] + char
            if char == "。" and len(out) >= lo:
                break
        return "".join(out).rstrip("。") + "。"


def text_source(path: Path | list[Path] | None, rng: random.Random, pools: tuple[str, ...] = ("modern",)) -> str:
    """Running text to fit the chain on: the pages under ``path`` (one folder or several pooled; markup and
    digits dropped), or invented from the syllable ``pools``."""
    if path is None:
        words = _words(rng, pools)
        return "".join("".join(rng.choices(words, k=rng.randint(4, 12))) + rng.choice("，，，。") for _ in range(20000))
    folders = path if isinstance(path, list) else [path]
    text = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for f in folders for p in sorted(f.glob("*.txt")))
    text = re.sub(r"[#\sA-Za-z0-9０-９（）()【】\[\]]+", "", text)
    return text


@dataclass
class Item:
    """One simulated record: metadata, body, and the truth."""

    id: str
    newspaper: str
    date: datetime.date
    page: str
    ordinal: int
    body: str
    kind: str
    """original-central | reprint | local | quoting | formulaic | short"""
    story: int | None = None
    """Central story printed (reprints and central originals), else None."""
    quoted: list[tuple[int, int]] = field(default_factory=list)
    """Body ranges quoted from a central story (quoting local reports)."""


@dataclass
class Story:
    lead: str
    paragraphs: list[str]


class Generator:
    def __init__(self, source: Path | list[Path] | None, seed: int, config: Config = CONFIGS["a"]) -> None:
        self.rng = random.Random(seed)
        self.config = config
        self.chain = Markov(text_source(source, self.rng, config.syllables))

    def paragraph(self, lo: int = 2, hi: int = 4) -> str:
        return "".join(self.chain.sentence(self.rng) for _ in range(self.rng.randint(lo, hi)))

    def story(self, day: datetime.date) -> Story:
        outlet, city = self.rng.choice(OUTLETS), self.rng.choice(CITIES)
        reporter = self.rng.choice("王李张刘陈") + self.rng.choice("明华军")
        lead = f"{outlet}{city}{day.month}月{day.day}日电（记者 {reporter}）"
        return Story(lead, [self.paragraph() for _ in range(self.rng.randint(4, 9))])

    def reprint(self, story: Story) -> str:
        rng, cfg = self.rng, self.config
        paras = list(story.paragraphs)
        if rng.random() < cfg.cut and len(paras) > 3:
            keep = sorted(rng.sample(range(len(paras)), max(3, int(len(paras) * rng.uniform(*cfg.keep)))))
            paras = [paras[i] for i in keep]
        for _ in range(cfg.swaps):
            if rng.random() < cfg.swap:
                i, j = rng.sample(range(len(paras)), 2)
                paras[i], paras[j] = paras[j], paras[i]
        if rng.random() < cfg.add:
            paras.insert(rng.randint(1, len(paras)), self.paragraph(1, 2))
        if rng.random() < cfg.rewrite_first:
            paras[0] = self.chain.sentence(rng) + paras[0].split("。", 1)[-1]
        body = "\n".join(paras)
        for _ in range(rng.randint(0, cfg.typos)):
            at = rng.randrange(len(body))
            if body[at] not in "\n。，":
                body = body[:at] + rng.choice("的了是在有和与将") + body[at + 1:]
        leads = [story.lead, "据" + story.lead.split("（")[0] + " ", ""]
        lead = rng.choice(leads) if cfg.lead_weights is None else rng.choices(leads, cfg.lead_weights)[0]
        return lead + body

    def quoting(self, story: Story) -> tuple[str, tuple[int, int]]:
        text = "".join(story.paragraphs)
        sentences = [s + "。" for s in text.split("。") if s]
        start = self.rng.randrange(max(1, len(sentences) - 6))
        passage = ""
        for s in sentences[start:]:
            passage += s
            if len(passage) >= self.rng.randint(*self.config.quote_len):
                break
        before = "本报讯（记者 李华）" + self.paragraph(2, 4) + "\n"
        body = before + passage + "\n" + self.paragraph(2, 5)
        return body, (len(before), len(before) + len(passage))

    def formulaic(self) -> str:
        rng = self.rng
        parts = [f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，县委常委会召开会议，{self.chain.sentence(rng)}"]
        parts += [rng.choice(FORMULA) + self.chain.sentence(rng) for _ in range(rng.randint(2, 4))]
        return "\n".join(parts)


def make_items(days: int = 20, papers: int = 8, seed: int = 0, source: Path | list[Path] | None = None,
               config: Config = CONFIGS["a"]) -> list[Item]:
    """A simulated corpus: ``papers`` county papers (and 人民日报) over ``days`` days."""
    gen = Generator(source, seed, config)
    rng = gen.rng
    items: list[Item] = []
    story_id = 0
    for d in range(days):
        day = config.start + datetime.timedelta(days=d)
        stories = [gen.story(day) for _ in range(config.stories)]
        for k, story in enumerate(stories):
            if rng.random() < 0.5:
                body = story.lead + "\n".join(story.paragraphs)
                items.append(Item("", "人民日报", day, "01", k, body, "original-central", story_id + k))
        for p in PAPERS[:papers]:
            ordinal = 0

            def add(body: str, kind: str, story: int | None = None, quoted: list[tuple[int, int]] | None = None,
                    paper: str = p, day: datetime.date = day) -> None:
                nonlocal ordinal
                items.append(Item("", paper, day, f"{1 + ordinal // 4:02d}", ordinal, body, kind, story, quoted or []))
                ordinal += 1

            for k, story in enumerate(stories):
                if rng.random() < config.reprint:
                    add(gen.reprint(story), "reprint", story_id + k)
            for _ in range(rng.randint(3, 6)):
                add("本报讯（记者 张明）" + "\n".join(gen.paragraph() for _ in range(rng.randint(3, 7))), "local")
            if rng.random() < config.quote:
                body, span = gen.quoting(rng.choice(stories))
                add(body, "quoting", None, [span])
            for _ in range(rng.randint(*config.formulaic)):
                add(gen.formulaic(), "formulaic")
            if rng.random() < 0.5:
                add(rng.choice(["本报讯 今天全县天气晴好。", "县图书馆本周日正常开放。"]), "short")
        story_id += len(stories)
    for n, item in enumerate(items):
        item.id = f"{n:016x}"
    return items
