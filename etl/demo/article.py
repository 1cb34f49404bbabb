"""The body of one demo article: sentences from templates.yaml, and the truth they carry.

`compose(spec, article, rng)` writes the title and paragraphs of one article about a plan (or a
report, or a directive) and returns them with a `Truth` holding every label the text carries
and the single fields it states (issue date written or not, plan number...).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from etl.demo.plans import Assignment, PlanSpec
from etl.demo.templating import (
    Scope,
    Truth,
    Variant,
    capitalize,
    fill,
    join_and,
    load_config,
    load_templates,
    pick,
    variants,
    weighted_choice,
)
from etl.gazetteer import LEGACY, get_gazetteer

_NTH = {2022: "hai", 2023: "ba", 2024: "tư", 2025: "năm"}
_PLATFORM_NAMES = {
    "facebook": ["Facebook", "fanpage Facebook"],
    "zalo": ["Zalo", "Zalo OA"],
    "youtube": ["YouTube"],
    "tiktok": ["TikTok"],
}
# the platforms as an organisation's own pages ("lập và duy trì ... của huyện")
_PLATFORM_PAGES = {
    "facebook": ["fanpage Facebook", "trang Facebook"],
    "zalo": ["trang Zalo OA", "tài khoản Zalo OA"],
    "youtube": ["kênh YouTube"],
    "tiktok": ["tài khoản TikTok"],
}


@dataclass
class Body:
    """An article's text and what it says."""

    title: str
    paragraphs: list[str]
    truth: Truth
    issue_date: date | None  # as the text states it (None when not written)
    plan_number: str | None
    place: str  # the issuer's locality, for the manifest and page chrome


@lru_cache(maxsize=1)
def _province_names() -> frozenset[str]:
    gazetteer = get_gazetteer()
    return frozenset(u.short for u in gazetteer.units("province"))


def newspaper_name(province_short: str) -> str:
    special = {"Hà Nội": "Báo Hà Nội Mới", "Hồ Chí Minh": "Báo Sài Gòn Giải Phóng"}
    # the paper writes a hyphenated name without spaces: "Báo Bà Rịa-Vũng Tàu"
    return special.get(province_short, "Báo " + province_short.replace(" - ", "-"))


def _dmy(day: date, pad: bool = True, year: bool = True) -> str:
    text = f"{day.day:02d}/{day.month:02d}" if pad else f"{day.day}/{day.month}"
    return f"{text}/{day.year}" if year else text


class Writer:
    """Fills templates for one article: slots, abbreviations, labels."""

    def __init__(self, spec: PlanSpec, rng: random.Random, published: date) -> None:
        self.spec = spec
        self.rng = rng
        self.config = load_config()
        self.templates = load_templates()
        self.truth = Truth()
        issuer = spec.issuer
        self.scope = Scope(
            level=issuer.level, kind=spec.kind, year=spec.plan_year, labels=spec.labels
        )
        self.published = published
        self.abbr_mode = weighted_choice(rng, self.config["abbreviations"])
        self._intro_done: set[str] = set()
        self._abbr_short: dict[str, bool] = {}
        self._title_mode = False
        self.dynamic: dict[str, str] = {}
        self.static = self._static_slots()
        self.province_names = _province_names()

    # -- slots -----------------------------------------------------------------------------

    def _static_slots(self) -> dict[str, str]:
        spec, issuer, rng = self.spec, self.spec.issuer, self.rng
        unit, province = issuer.unit, issuer.province
        level = issuer.level
        templates = self.templates
        ref = "Sở" if level == "department" else unit.type_word
        ref_province = province.type_word
        era_suffix = "_2025" if issuer.era != LEGACY else ""
        if level in ("province", "department"):
            lower_key = province.type_word + era_suffix
        elif level == "district":
            lower_key = unit.type_word + ("_district" if unit.type_word == "thành phố" else "")
        else:
            lower_key = unit.type_word
        lower_units = templates["lower_units"][lower_key]
        grass_key = level + (era_suffix if level in ("province", "department") else "")
        grass_units = templates["grass_units"][grass_key]
        committee_ref = ref_province if level == "department" else unit.type_word
        slots = {
            "ref": ref,
            "ref_province": ref_province,
            "province": f"{province.type_word} {province.short}",
            "place": f"{unit.type_word} {unit.short}",
            "lower_units": lower_units,
            "grass_units": grass_units,
            "newspaper": newspaper_name(province.short),
            "year": str(spec.plan_year),
            "next_year": str(spec.plan_year + 1),
            "prev_year": str(spec.plan_year - 1),
            "nth": _NTH.get(spec.plan_year, "hai"),
            "number": spec.number or "",
            "cv_number": spec.cv_number,
            "ct_number": spec.ct_number,
            "issue_full": _dmy(spec.issue_date) if spec.issue_date else "",
            "cited_number": f"{rng.randint(5, 300)}/KH-UBND",
        }
        slots["committee"] = "{UBND} " + committee_ref
        portal = templates["portal"][level]
        slots["portal"] = portal[rng.randrange(len(portal))]
        slots["issuer"] = self._issuer_phrase()
        return slots

    def _issuer_phrase(self) -> str:
        """ "UBND huyện Đức Trọng (tỉnh Lâm Đồng)", "Sở Nội vụ tỉnh Hà Giang"..."""
        issuer, rng = self.spec.issuer, self.rng
        unit, province = issuer.unit, issuer.province
        province_phrase = f"{province.type_word} {province.short}"
        if province.code == "79" and rng.random() < 0.4:
            province_phrase = "TP. Hồ Chí Minh"
        committee = "{UBND}"
        if issuer.level == "department":
            assert issuer.department is not None
            return f"{issuer.department.name} {province_phrase}"
        if issuer.level == "province":
            return f"{committee} {province_phrase}"
        own = f"{committee} {unit.type_word} {unit.short}"
        style = rng.random()
        if issuer.level == "commune" or style < 0.45:
            return f"{own} ({province_phrase})"
        if style < 0.85:
            return f"{own}, {province_phrase}"
        return f"{own} ({province.short})"

    def abbreviation(self, key: str) -> str:
        full, short = self.templates["abbreviations"][key]
        intro = key in self.templates["intro_abbreviations"]
        mode = self.abbr_mode
        if self._title_mode:
            return short if mode != "full" else full
        if mode == "full":
            return full
        if mode == "short":
            return short
        if intro:
            if key in self._intro_done:
                return short
            self._intro_done.add(key)
            return f"{full} ({short})"
        if key not in self._abbr_short:
            self._abbr_short[key] = self.rng.random() < 0.6
        return short if self._abbr_short[key] else full

    def resolve(self, name: str) -> str:
        if name in self.dynamic:
            return self.dynamic[name]
        if name in self.templates["abbreviations"]:
            return self.abbreviation(name)
        if name in self.static:
            return self.static[name]
        if name in ("n", "n2", "n3"):
            high = {"n": 160, "n2": 24, "n3": 9}[name]
            return str(self.rng.randint(3 if name != "n" else 12, high))
        if name == "platforms":
            return self._platform_text(_PLATFORM_NAMES, "mạng xã hội")
        if name == "platform_pages":
            return self._platform_text(_PLATFORM_PAGES, "trang mạng xã hội")
        if name[:1].isupper():
            return capitalize(self.resolve(name[0].lower() + name[1:]))
        raise KeyError(f"unknown template slot {{{name}}}")

    def _platform_text(self, table: dict[str, list[str]], none: str) -> str:
        names = []
        for platform in self.spec.platforms:
            options = table[platform]
            names.append(options[self.rng.randrange(len(options))])
            self.truth.add(f"platform:{platform}")
        return join_and(names) if names else none

    def fill(self, text: str) -> str:
        return fill(self.rng, text, self.resolve)

    def render(self, variant: Variant, own: Sequence[str] = ()) -> str:
        """Fill a variant and record its labels (and `own`, the id it was chosen for)."""
        self.truth.add_all(own, True)
        self.truth.record(variant)
        return self.fill(variant.text)

    def pick(self, raw: Sequence[Any], scope: Scope | None = None) -> Variant:
        return pick(self.rng, raw, scope or self.scope)

    def sentence(self, raw: Sequence[Any], **slots: str) -> str:
        return self.sentence_of(self.pick(raw), **slots)

    def sentence_of(self, variant: Variant, **slots: str) -> str:
        saved = dict(self.dynamic)
        self.dynamic.update(slots)
        try:
            return capitalize(self.render(variant))
        finally:
            self.dynamic = saved

    def title(self, raw: Sequence[Any]) -> str:
        self._title_mode = True
        try:
            return capitalize(self.render(self.pick(raw)))
        finally:
            self._title_mode = False

    # -- agencies --------------------------------------------------------------------------

    def agency(self, agency: str, where: str) -> str:
        table = self.templates["agencies"][agency]
        raw = table.get(where)
        if not raw:
            raise LookupError(f"no wording for agency {agency} at {where}")
        scope = Scope(self.scope.level, self.scope.kind, self.spec.plan_year, self.scope.labels)
        fitting = [v for v in variants(raw) if scope.allows(v)] or list(variants(raw))
        variant = fitting[self.rng.randrange(len(fitting))]
        return self.render(variant)


# --------------------------------------------------------------------------- composition


def _keep(rng: random.Random, items: Sequence[Any], share: float, minimum: int) -> list[Any]:
    kept = [item for item in items if rng.random() < share]
    if len(kept) < min(minimum, len(items)):
        missing = [item for item in items if item not in kept]
        rng.shuffle(missing)
        kept += missing[: min(minimum, len(items)) - len(kept)]
        kept = [item for item in items if item in kept]
    return kept


def _chunks(rng: random.Random, items: list[str], low: int, high: int) -> list[list[str]]:
    out: list[list[str]] = []
    rest = list(items)
    while rest:
        size = rng.randint(low, high)
        out.append(rest[:size])
        rest = rest[size:]
    return out


class Composer:
    """Writes one article about a plan spec."""

    def __init__(self, spec: PlanSpec, article: int, rng: random.Random) -> None:
        self.spec = spec
        self.article = article
        self.rng = rng
        self.w = Writer(spec, rng, spec.published[article])
        self.t = self.w.templates
        config = self.w.config["multi_article"]
        self.keep_share = float(config["keep_share"]) if article > 0 else 1.0

    # -- parts -----------------------------------------------------------------------------

    def title(self) -> str:
        spec, w = self.spec, self.w
        key = "period_h2" if spec.kind == "plan" and spec.period == "h2" else spec.kind
        issuer = spec.issuer
        unit = issuer.unit
        if issuer.level == "department":
            assert issuer.department is not None
            places = [f"{issuer.department.name} {issuer.province.short}"]
        elif issuer.level == "province":
            places = ["TP. Hồ Chí Minh"] if unit.code == "79" else [unit.short]
        elif issuer.level == "district":
            places = [f"{capitalize(unit.type_word)} {unit.short}"]
            if unit.short not in self.w.province_names:  # "Hòa Bình" alone reads as the province
                places.append(unit.short)
        else:
            places = [f"{capitalize(unit.type_word)} {unit.short}"]
        w.dynamic["Place"] = places[self.rng.randrange(len(places))]
        try:
            return w.title(self.t["titles"][key])
        finally:
            w.dynamic.pop("Place", None)

    def plan_lead(self) -> tuple[str, date | None]:
        spec, w, rng = self.spec, self.w, self.rng
        variant = w.pick(self.t["leads"]["plan"])
        issue = spec.issue_date
        assert issue is not None
        same_year = issue.year == w.published.year
        styles = {"none": 0.25, "after": 0.55}
        if "{lead_day}" in variant.text:
            styles["lead_day"] = 0.2
        style = weighted_choice(rng, styles)
        lead_day = after = ""
        stated: date | None = issue
        if style == "none":
            stated = None
        elif style == "lead_day":
            lead_day = f"Ngày {_dmy(issue, pad=rng.random() < 0.5, year=not same_year)}, "
        else:
            forms = [
                f" ngày {_dmy(issue)}",
                f" ngày {issue.day} tháng {issue.month} năm {issue.year}",
                f" (ngày {_dmy(issue)})",
                f" ngày {_dmy(issue, pad=False)}",
            ]
            if same_year:
                forms.append(f" ngày {_dmy(issue, pad=rng.random() < 0.5, year=False)}")
            after = forms[rng.randrange(len(forms))]
        if spec.period == "h2":
            period = rng.choice(["6 tháng cuối năm {year}", "những tháng cuối năm {year}"])
        else:
            period = rng.choice(["năm {year}", "năm {year}", "trong năm {year}"])
        topic = w.render(w.pick(self.t["leads"]["topic"]))
        w.dynamic.update(
            {"lead_day": lead_day, "after_date": after, "period": w.fill(period), "topic": topic}
        )
        text = capitalize(w.render(variant))
        for key in ("lead_day", "after_date", "period", "topic"):
            w.dynamic.pop(key, None)
        return text, stated

    def context(self) -> str | None:
        fitting = [v for v in variants(self.t["context"]) if self.w.scope.allows(v)]
        if not fitting:
            return None
        return capitalize(self.w.render(fitting[self.rng.randrange(len(fitting))]))

    def audiences(self, frames_key: str = "frames") -> list[str]:
        spec, w, rng = self.spec, self.w, self.rng
        block = self.t["audiences"]
        audiences = list(spec.audiences)
        if self.article > 0:
            audiences = _keep(rng, audiences, self.keep_share, 1)
        listed = [a for a in audiences if a != "propagandists"]
        if spec.kind == "report":
            listed = [a for a in listed if a != "agencies"]
        sentences = []
        if listed:
            rng.shuffle(listed)
            items = []
            for audience in listed:
                w.truth.add(f"audience:{audience}")
                options = block["items"][audience]
                items.append(w.fill(options[rng.randrange(len(options))]))
            raw = block.get(frames_key) or block["frames"]
            sentences.append(w.sentence(raw, list=join_and(items)))
        if "propagandists" in audiences and spec.kind != "report":
            w.truth.add("audience:propagandists")
            sentences.append(w.sentence(block["propagandists"]))
        return sentences

    def theme_items(self) -> list[str]:
        spec, w, rng = self.spec, self.w, self.rng
        themes = list(spec.themes)
        if self.article > 0:
            themes = _keep(rng, themes, self.keep_share, 2)
        rng.shuffle(themes)
        items = []
        for theme in themes:
            variant = w.pick(self.t["themes"]["items"][theme])
            items.append(w.render(variant, own=[f"theme:{theme}"]))
        return items

    def themes(self) -> list[str]:
        spec, w, rng = self.spec, self.w, self.rng
        block = self.t["themes"]
        items = self.theme_items()
        if not items:
            return []
        sentences = []
        used: set[str] = set()
        for index, chunk in enumerate(_chunks(rng, items, 3, 5)):
            raw = block["frames" if index == 0 else "more"][spec.kind]
            variant = self._fresh(raw, used)
            sentences.append(w.sentence_of(variant, list="; ".join(chunk)))
        return sentences

    def channels(self) -> list[str]:
        spec, w, rng = self.spec, self.w, self.rng
        frames = self.t["channels"]["frames"]
        items = self.channel_items()
        sentences = []
        used: set[str] = set()
        for index, chunk in enumerate(_chunks(rng, items, 2, 4)):
            raw = frames[spec.kind] if index == 0 else frames[spec.kind + "_more"]
            variant = self._fresh(raw, used)
            sentences.append(w.sentence_of(variant, list="; ".join(chunk)))
        return sentences

    def channel_items(self) -> list[str]:
        spec, w, rng = self.spec, self.w, self.rng
        channels = list(spec.channels)
        if self.article > 0:
            channels = _keep(rng, channels, self.keep_share, 2)
        rng.shuffle(channels)
        items = []
        for channel in channels:
            raw = self.t["channels"]["items"][channel]
            fitting = [v for v in variants(raw) if w.scope.allows(v)]
            if spec.kind == "report":
                done = [v for v in fitting if v.kinds]
                if done and rng.random() < 0.5:
                    fitting = done
            variant = fitting[rng.randrange(len(fitting))]
            items.append(w.render(variant, own=[f"channel:{channel}"]))
        return items

    def _fresh(self, raw: Sequence[Any], used: set[str]) -> Variant:
        """A frame not used yet in this article (any frame once all were used)."""
        fitting = [v for v in variants(raw) if self.w.scope.allows(v)]
        unused = [v for v in fitting if v.text not in used] or fitting
        variant = unused[self.rng.randrange(len(unused))]
        used.add(variant.text)
        return variant

    def responsibilities(self, headings: bool = False) -> list[str]:
        """One sentence per assignment; `headings`: the lead as a numbered heading with its
        tasks as bullets (the layout of a plan document)."""
        spec, rng = self.spec, self.rng
        block = self.t["responsibilities"]
        assignments = list(spec.assignments)
        if self.article > 0 and assignments:
            assignments = assignments[:1] + _keep(rng, assignments[1:], self.keep_share, 0)
        sentences = []
        for assignment in assignments:
            if headings and assignment.group in ("lead_coord", "lead"):
                raw = self.t["document"]["lead_heading"]
                text = self._assignment(assignment, {"heading": raw}, "heading")
            else:
                text = self._assignment(assignment, block)
            if text:
                sentences.append(text)
        return sentences

    def _where(self, agency: str, group: str) -> str:
        issuer = self.spec.issuer
        if group == "local_counterpart":
            return "local" if issuer.era == LEGACY else "local_2025"
        return issuer.level

    def _assignment(
        self, assignment: Assignment, block: dict[str, Any], group: str | None = None
    ) -> str | None:
        w, rng = self.w, self.rng
        group = group or assignment.group
        if group == "department_intro":
            options = block["department_intro"]
            return capitalize(w.fill(options[rng.randrange(len(options))]))
        raw = block.get(group) or block["by_agency"].get(group)
        if raw is None:
            raise LookupError(f"no responsibility template for {group}")
        agencies = assignment.agencies
        fitting = [
            v
            for v in variants(raw)
            if w.scope.allows(v) and ("{b}" in v.text) == (len(agencies) > 1)
        ]
        if not fitting:
            return None
        variant = fitting[rng.randrange(len(fitting))]
        slot_a, slot_b = agencies[:1], agencies[1:]
        roles = variant.roles
        texts = {}
        for slot, members, role in (("a", slot_a, roles[:1]), ("b", slot_b, roles[1:2])):
            if not members:
                continue
            names = [w.agency(agency, self._where(agency, group)) for agency in members]
            texts[slot] = join_and(names)
            for agency in members:
                w.truth.add(f"resp:{agency}:{role[0]}")
        return w.sentence_of(variant, **texts)

    def closing(self) -> str | None:
        options = self.t["closings"][self.spec.kind]
        text = options[self.rng.randrange(len(options))]
        return capitalize(self.w.fill(text)) if text else None


def compose(spec: PlanSpec, article: int, rng: random.Random) -> Body:
    """Title and paragraphs of one article about `spec`, with its truth."""
    c = Composer(spec, article, rng)
    w = c.w
    title = c.title()
    # the body starts afresh: abbreviations are spelled out in the body, not the title
    stated_issue: date | None = None
    paragraphs: list[list[str]] = []
    if spec.kind == "plan":
        lead, stated_issue = c.plan_lead()
        first = [lead]
        if rng.random() < 0.35:
            extra = c.context()
            if extra:
                first.append(extra)
        paragraphs.append(first)
        audience = c.audiences()
        themes = c.themes()
        if rng.random() < 0.35:
            paragraphs[0].extend(audience)
            paragraphs.append(themes)
        elif rng.random() < 0.5:
            paragraphs.append(audience + themes)
        else:
            paragraphs.extend([audience, themes])
        channels = c.channels()
        if len(channels) > 2 and rng.random() < 0.5:
            paragraphs.extend([channels[:2], channels[2:]])
        else:
            paragraphs.append(channels)
        paragraphs.append(c.responsibilities())
        closing = c.closing()
        if closing:
            paragraphs.append([closing])
    elif spec.kind == "report":
        first = w.sentence(c.t["leads"]["report"]["first"])
        paragraphs.append([first])
        paragraphs.append(c.channels())
        paragraphs.append(c.themes() + c.audiences("report_frames"))
        closing = c.closing()
        responsibilities = c.responsibilities()
        paragraphs.append(([closing] if closing else []) + responsibilities)
    else:
        stated_issue = spec.issue_date
        first = w.sentence(c.t["leads"]["directive"]["first"])
        second = w.sentence(c.t["leads"]["directive"]["second"])
        paragraphs.append([first])
        paragraphs.append([second])
        paragraphs.append(c.themes() + c.audiences("directive_frames"))
        paragraphs.append(c.channels())
        responsibilities = c.responsibilities()
        closing = c.closing()
        paragraphs.append(responsibilities + ([closing] if closing else []))
    department = spec.issuer.department
    if department is not None:
        # the department carries out its own plan: naming it as a subject is not wrong
        w.truth.add(f"resp:{department.agency}:implement", required=False)
    body = [" ".join(p) for p in paragraphs if p]
    return Body(
        title=title,
        paragraphs=body,
        truth=w.truth,
        issue_date=stated_issue,
        plan_number=spec.number,
        place=f"{spec.issuer.unit.type_word} {spec.issuer.unit.short}",
    )


def _numbered(lines: list[str]) -> list[str]:
    return [f"{index}. {capitalize(line.rstrip('.;'))}." for index, line in enumerate(lines, 1)]


def compose_document(spec: PlanSpec, rng: random.Random) -> Body:
    """The text of the plan document itself: header, bases, sections I-V, Nơi nhận, signature.

    It has no byline and no publication date; its date is the signing line under the number.
    """
    c = Composer(spec, 0, rng)
    w, t = c.w, c.t
    doc = t["document"]
    issuer = spec.issuer
    unit, province = issuer.unit, issuer.province
    issue = spec.issue_date
    assert issue is not None and spec.number is not None
    if issuer.department is not None:
        header = f"{issuer.department.name} {province.type_word} {province.short}"
    else:
        committee = rng.choice(["ỦY BAN NHÂN DÂN", "UBND"])
        header = f"{committee} {unit.type_word} {unit.short}"
    place = unit.short if issuer.level in ("district", "commune") else province.short
    if any(ch.isdigit() for ch in place) or issuer.level == "department":
        place = province.short
    if province.code == "79" and place == province.short:
        place = "TP. Hồ Chí Minh"
    month = f"{issue.month:02d}" if issue.month < 3 else str(issue.month)
    lines = [
        header.upper(),
        *doc["national"],
        f"Số: {spec.number}",
        f"{place}, ngày {issue.day:02d} tháng {month} năm {issue.year}",
        "",
        doc["kind_line"],
    ]
    title = w.title(doc["titles"]["h2" if spec.period == "h2" else "year"])
    lines += [title, ""]
    cited = _between_dates(rng, issue)
    w.dynamic.update(
        {
            "cited_date": f"{cited.day:02d}/{cited.month:02d}/{cited.year}",
            "qd_number": f"{rng.randint(20, 3600)}/QĐ-UBND",
        }
    )
    bases = [v for v in variants(doc["bases"]) if w.scope.allows(v)]
    national = [v for v in bases if "Nghị quyết" in v.text]
    local = [v for v in bases if "Nghị quyết" not in v.text]
    # a local plan always cites its province's (which names the province)
    chosen = ([national[0]] if national and rng.random() < 0.6 else []) + local[:1]
    for variant in chosen:
        lines.append(capitalize(w.render(variant)))
    lines.append(w.sentence(doc["intro"]))
    sections = doc["sections"]
    lines += ["", sections["purpose"], sections["purpose_1"]]
    lines += [f"- {sentence}" for sentence in c.audiences()]
    requirements = list(doc["requirements"])
    rng.shuffle(requirements)
    lines += [sections["purpose_2"], *[f"- {r}" for r in requirements[:2]]]
    lines += ["", sections["content"], *_numbered(c.theme_items())]
    lines += ["", sections["forms"], *_numbered(c.channel_items())]
    lines += ["", sections["organisation"]]
    for index, text in enumerate(c.responsibilities(headings=True), 1):
        first, *rest = text.split("\n")
        lines.append(f"{index}. {first}")
        lines += rest
    lines += ["", sections["budget"], w.sentence(doc["budget"])]
    if issuer.department is not None:
        w.truth.add(f"resp:{issuer.department.agency}:implement", required=False)
    # the end of the document: not facts (the reader stops at "Nơi nhận:")
    recipients = t["document"]["recipients"][issuer.level]
    lines += ["", "Nơi nhận:", *[f"- {w.fill(r)}" for r in recipients]]
    signature_key = "department" if issuer.department is not None else "committee"
    signatures = doc["signature"][signature_key]
    lines += signatures[rng.randrange(len(signatures))]
    lines += [doc["signed"], _full_name(rng, t)]
    return Body(
        title=title,
        paragraphs=lines,
        truth=w.truth,
        issue_date=issue,
        plan_number=spec.number,
        place=f"{unit.type_word} {unit.short}",
    )


def _between_dates(rng: random.Random, issue: date) -> date:
    """A date some weeks before the plan: that of a document it cites."""
    return issue - timedelta(days=rng.randint(10, 70))


def _full_name(rng: random.Random, templates: dict[str, Any]) -> str:
    family = templates["family_names"]
    middle = templates["middle_names"]
    given = templates["names"]["second"]
    return " ".join(
        [
            family[rng.randrange(len(family))],
            middle[rng.randrange(len(middle))],
            given[rng.randrange(len(given))],
        ]
    )
