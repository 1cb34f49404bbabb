"""What each demo plan is: issuer, dates, number, channels, themes, audiences, assignments.

Everything is drawn from the probabilities in config.yaml. A `PlanSampler` hands out plans
one at a time (so a corpus of any size streams): plan i depends only on the seed, i and a few
running counters (the province cycles, the era balance, the plan numbers already used).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from etl.demo.issuers import Issuer, IssuerPool, issuer_pool
from etl.demo.templating import (
    Scope,
    load_config,
    load_templates,
    variants,
    weighted_choice,
    weighted_sample,
)
from etl.gazetteer import ERA_2025, LEGACY, Unit

KINDS = ("plan", "report", "directive")


@dataclass(frozen=True, slots=True)
class Assignment:
    """One responsibility sentence: a template group and the agencies of its slots a, b."""

    group: str
    agencies: tuple[str, ...] = ()  # a, then b (several agencies in b are joined by "và")


@dataclass(frozen=True, slots=True)
class PlanSpec:
    index: int
    kind: str  # plan | report | directive
    issuer: Issuer
    issue_date: date | None  # None for a report
    reference_date: date  # issue date, or the report's publication date
    plan_year: int
    period: str  # year | h2 ("6 tháng cuối năm")
    number: str | None  # "58/KH-UBND" for a plan
    cv_number: str  # a directive's Công văn number
    ct_number: str  # a directive's Chỉ thị number
    channels: tuple[str, ...]
    platforms: tuple[str, ...]
    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    articles: int
    published: tuple[date, ...]  # one date per article

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(
            [f"channel:{c}" for c in self.channels]
            + [f"theme:{t}" for t in self.themes]
            + [f"audience:{a}" for a in self.audiences]
        )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _between(rng: random.Random, start: date, end: date) -> date:
    if end < start:
        return start
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


class PlanSampler:
    """Draws plan after plan for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.config = load_config()
        self.templates = load_templates()
        self.pool: IssuerPool = issuer_pool(seed)
        master = random.Random(f"{seed}:master")
        self._post_balance = master.random()
        self._cycles: dict[str, list[Unit]] = {LEGACY: [], ERA_2025: []}
        self._cycle_round = {LEGACY: 0, ERA_2025: 0}
        self._used_numbers: set[tuple[str | None, str | None, int, int]] = set()
        years = self.config["years"]
        self.first_year = int(years["first"])
        self.last_year = int(years["last"])
        self.merger = _date(self.config["merger_date"])
        self.ict_merger = _date(self.config["ict_merger_date"])
        self.last_date = _date(self.config["last_date"])

    # -- running state ---------------------------------------------------------------------

    def _next_era(self) -> str:
        """Eras interleaved so that `post_merger_share` of the plans are after the merger."""
        self._post_balance += float(self.config["post_merger_share"])
        if self._post_balance >= 1.0:
            self._post_balance -= 1.0
            return ERA_2025
        return LEGACY

    def _next_province(self, era: str) -> Unit:
        """Provinces in cycles (each cycle a new shuffle), so every one is used early."""
        cycle = self._cycles[era]
        if not cycle:
            round_ = self._cycle_round[era]
            self._cycle_round[era] += 1
            cycle.extend(self.pool.provinces[era])
            random.Random(f"{self.seed}:cycle:{era}:{round_}").shuffle(cycle)
        return cycle.pop()

    # -- one plan ---------------------------------------------------------------------------

    def next_plan(self, index: int) -> PlanSpec:
        rng = random.Random(f"{self.seed}:plan:{index}")
        config = self.config
        era = self._next_era()
        kind = weighted_choice(rng, config["kinds"])
        issue, reference, year, period = self._dates(rng, era, kind)
        level = weighted_choice(rng, config["levels"][era][kind])
        province = self._next_province(era)
        issuer = self.pool.make(era, level, province, rng, no_ict=reference >= self.ict_merger)
        number = self._plan_number(rng, issuer, year, issue) if kind == "plan" else None
        trend_year = min(max(year, self.first_year), self.last_year)
        scope = Scope(level=issuer.level, kind=kind, year=year)
        channels = self._channels(rng, issuer, trend_year, scope)
        platforms = self._platforms(rng, issuer, trend_year) if "social_media" in channels else ()
        themes = self._themes(rng, issuer, trend_year, scope)
        audiences = self._audiences(rng, issuer)
        assignments = self._assignments(rng, issuer, kind, reference, channels, themes)
        articles = 1
        multi = config["multi_article"]
        if kind == "plan" and rng.random() < float(multi["p"]):
            articles = int(weighted_choice(rng, multi["articles"]))
        published = self._published(rng, era, kind, reference, articles)
        cv = self._directive_number(rng, issuer, "cv")
        ct = self._directive_number(rng, issuer, "ct")
        return PlanSpec(
            index=index,
            kind=kind,
            issuer=issuer,
            issue_date=issue,
            reference_date=reference,
            plan_year=year,
            period=period,
            number=number,
            cv_number=cv,
            ct_number=ct,
            channels=channels,
            platforms=platforms,
            themes=themes,
            audiences=audiences,
            assignments=assignments,
            articles=articles,
            published=published,
        )

    # -- dates -----------------------------------------------------------------------------

    def _era_end(self, era: str) -> date:
        return self.merger - timedelta(days=1) if era == LEGACY else self.last_date

    def _dates(self, rng: random.Random, era: str, kind: str) -> tuple[date | None, date, int, str]:
        """(issue date, reference date, plan year, period)."""
        weights = {int(y): float(w) for y, w in self.config["years"]["weights"].items()}
        merger = self.merger
        if era == ERA_2025:
            if kind == "plan":
                if rng.random() < 0.1:
                    issue = _between(rng, date(merger.year, 12, 3), date(merger.year, 12, 20))
                    return issue, issue, merger.year + 1, "year"
                issue = _between(rng, merger + timedelta(days=2), date(merger.year, 11, 30))
                return issue, issue, merger.year, "h2" if rng.random() < 0.6 else "year"
            if kind == "report":
                published = _between(rng, date(merger.year, 12, 4), date(merger.year, 12, 26))
                return None, published, merger.year, "year"
            issue = _between(rng, merger + timedelta(days=7), date(merger.year, 12, 12))
            return issue, issue, issue.year, "year"

        last_legacy = merger - timedelta(days=1)
        if kind == "report":  # a report on a full year, published in December or January
            weights = {y: w for y, w in weights.items() if y < merger.year}
            year = int(weighted_choice(rng, weights))
            if rng.random() < 0.6:
                published = _between(rng, date(year, 12, 4), date(year, 12, 28))
            else:
                published = _between(rng, date(year + 1, 1, 4), date(year + 1, 1, 25))
            return None, published, year, "year"
        year = int(weighted_choice(rng, weights))
        if kind == "directive":
            end = min(date(year, 11, 30), last_legacy - timedelta(days=12))
            issue = _between(rng, date(year, 1, 8), end)
            return issue, issue, year, "year"
        timing = weighted_choice(rng, self.config["issue_timing"]["plan"])
        if timing == "previous_december" and year > self.first_year:
            issue = _between(rng, date(year - 1, 12, 5), date(year - 1, 12, 28))
            return issue, issue, year, "year"
        if timing == "mid_year":
            issue = _between(rng, date(year, 4, 1), date(year, 6, 15))
            return issue, issue, year, "h2" if rng.random() < 0.4 else "year"
        issue = _between(rng, date(year, 1, 3), date(year, 3, 31))
        return issue, issue, year, "year"

    def _published(
        self, rng: random.Random, era: str, kind: str, reference: date, articles: int
    ) -> tuple[date, ...]:
        end = self._era_end(era)
        lo, hi = self.config["publication_delay_days"]
        if kind == "report":
            first = reference
        else:
            first = reference + timedelta(days=rng.randint(int(lo), int(hi)))
        dates = [min(first, end)]
        lo, hi = self.config["relay_delay_days"]
        for _ in range(articles - 1):
            dates.append(min(dates[-1] + timedelta(days=rng.randint(int(lo), int(hi))), end))
        return tuple(dates)

    # -- numbers ---------------------------------------------------------------------------

    def _plan_number(
        self, rng: random.Random, issuer: Issuer, year: int, issue: date | None
    ) -> str:
        """A number no other plan of the same locality and year has (no accidental merges)."""
        ranges = self.config["plan_numbers"]
        lo, hi = ranges[issuer.level]
        code = issuer.department.code if issuer.department else "UBND"
        _, province_code, district_code, _ = issuer.gold
        for attempt in range(200):
            number = rng.randint(int(lo), int(hi) + attempt * 10)
            key = (province_code, district_code, number, year)
            if key not in self._used_numbers:
                self._used_numbers.add(key)
                break
        if number < 10 and rng.random() < float(ranges["zero_pad_p"]):
            text = f"{number:02d}"
        else:
            text = str(number)
        if issue is not None and rng.random() < float(ranges["with_year_p"]):
            text = f"{text}/{issue.year}"
        return f"{text}/KH-{code}"

    def _directive_number(self, rng: random.Random, issuer: Issuer, which: str) -> str:
        if which == "ct":
            return f"{rng.randint(1, 24):02d}/CT-UBND"
        if issuer.level == "province":
            return f"{rng.randint(120, 4800)}/UBND-{rng.choice(['VX', 'NC', 'KGVX', 'TH'])}"
        return f"{rng.randint(15, 1600)}/UBND-{rng.choice(['VP', 'NV'])}"

    # -- categories ------------------------------------------------------------------------

    def _trend(self, spec: list[float] | None, year: int) -> float:
        if not spec:
            return 1.0
        start, end = float(spec[0]), float(spec[1])
        span = max(1, self.last_year - self.first_year)
        return start + (end - start) * (year - self.first_year) / span

    def _probabilities(
        self, block: dict[str, Any], issuer: Issuer, year: int, extra: dict[str, float] | None
    ) -> dict[str, float]:
        config = self.config
        level = block.get("level", {}).get(issuer.level, {})
        region = block.get("region", {}).get(issuer.region, {})
        city = block.get("big_city", {}) if issuer.big_city else {}
        trends = block.get("trend", {})
        result: dict[str, float] = {}
        for key, base in block["base"].items():
            p = float(base)
            p *= float(level.get(key, 1.0)) * float(region.get(key, 1.0))
            p *= float(city.get(key, 1.0)) * self._trend(trends.get(key), year)
            if extra:
                p *= float(extra.get(key, 1.0))
            result[key] = min(max(p, float(config["clip_min"])), float(config["clip_max"]))
        return result

    def _select(
        self, rng: random.Random, probabilities: dict[str, float], low: int, high: int
    ) -> tuple[str, ...]:
        chosen = [key for key, p in probabilities.items() if rng.random() < p]
        missing = {k: p for k, p in probabilities.items() if k not in chosen}
        if len(chosen) < low:
            chosen += weighted_sample(rng, missing, low - len(chosen))
        while len(chosen) > high:
            chosen.pop(rng.randrange(len(chosen)))
        order = list(probabilities)
        return tuple(sorted(chosen, key=order.index))

    def _writable(
        self, probabilities: dict[str, float], section: str, scope: Scope
    ) -> dict[str, float]:
        """Only ids the templates can write about for this level, kind and year."""
        items = self.templates[section]["items"]
        return {
            key: p
            for key, p in probabilities.items()
            if any(scope.allows(v) for v in variants(items[key]))
        }

    def _channels(
        self, rng: random.Random, issuer: Issuer, year: int, scope: Scope
    ) -> tuple[str, ...]:
        block = self.config["channels"]
        probabilities = self._probabilities(block, issuer, year, None)
        probabilities = self._writable(probabilities, "channels", scope)
        return self._select(
            rng, probabilities, int(self.config["min_channels"]), int(self.config["max_channels"])
        )

    def _themes(
        self, rng: random.Random, issuer: Issuer, year: int, scope: Scope
    ) -> tuple[str, ...]:
        block = self.config["themes"]
        extra = block.get("post_merger") if issuer.era == ERA_2025 else None
        probabilities = self._probabilities(block, issuer, year, extra)
        probabilities = self._writable(probabilities, "themes", scope)
        return self._select(
            rng, probabilities, int(self.config["min_themes"]), int(self.config["max_themes"])
        )

    def _audiences(self, rng: random.Random, issuer: Issuer) -> tuple[str, ...]:
        block = self.config["audiences"]
        level = block.get("level", {}).get(issuer.level, {})
        probabilities = {
            k: min(float(p) * float(level.get(k, 1.0)), float(self.config["clip_max"]))
            for k, p in block["base"].items()
        }
        return self._select(rng, probabilities, int(block["min"]), len(probabilities))

    def _platforms(self, rng: random.Random, issuer: Issuer, year: int) -> tuple[str, ...]:
        block = self.config["platforms"]
        if rng.random() < float(block["none_p"]):
            return ()
        level = block.get(issuer.level, {})
        chosen = []
        for key, base in block["base"].items():
            p = float(base) * self._trend(block["trend"].get(key), year)
            p *= float(level.get(key, 1.0))
            if rng.random() < min(p, float(self.config["clip_max"])):
                chosen.append(key)
        if not chosen:
            chosen = ["zalo" if year >= 2021 and rng.random() < 0.5 else "facebook"]
        return tuple(chosen)

    # -- responsibilities ------------------------------------------------------------------

    def _has_surface(self, agency: str, where: str) -> bool:
        return bool(self.templates["agencies"].get(agency, {}).get(where))

    def _lead(self, rng: random.Random, issuer: Issuer, no_ict: bool) -> str:
        block = self.config["responsibilities"]
        weights = dict(block["lead"][issuer.level])
        successor = block["ict_successor"]

        def usable(agency: str) -> str:
            return successor if no_ict and agency == "information_communications" else agency

        preference_rng = random.Random(f"{self.seed}:lead:{issuer.key}")
        preferred = weighted_choice(preference_rng, weights)
        if rng.random() < float(block["stickiness"]):
            return usable(preferred)
        return usable(weighted_choice(rng, weights))

    def _assignments(
        self,
        rng: random.Random,
        issuer: Issuer,
        kind: str,
        reference: date,
        channels: tuple[str, ...],
        themes: tuple[str, ...],
    ) -> tuple[Assignment, ...]:
        block = self.config["responsibilities"]
        level = issuer.level
        no_ict = reference >= self.ict_merger
        if level == "department":
            return self._department_assignments(rng, issuer, kind)
        if kind == "report" and rng.random() < 0.3:
            return ()
        lead = self._lead(rng, issuer, no_ict)
        candidates = {
            agency: float(w)
            for agency, w in block["coordinators"][level].items()
            if agency != lead
            and not (no_ict and agency == "information_communications")
            and self._has_surface(agency, level)
        }
        count = int(weighted_choice(rng, block["coordinators"]["count"]))
        coords = weighted_sample(rng, candidates, count)
        result: list[Assignment] = []
        with_partners, alone = {
            "plan": ("lead_coord", "lead"),
            "report": ("report_lead", "report_lead_only"),
            "directive": ("directive_lead", "directive_lead_only"),
        }[kind]
        if coords:
            result.append(Assignment(with_partners, (lead, *coords)))
        else:
            result.append(Assignment(alone, (lead,)))
        if kind == "report":
            return tuple(result)

        present = set(channels) | set(themes)
        taken = {lead, *coords}
        others: list[str] = []
        for agency, rule in block["others"].items():
            where = level
            p = rule.get(level)
            if p is None or agency in taken:
                continue
            if agency == "people_committee" and issuer.era == ERA_2025:
                continue
            needs = rule.get("needs_any")
            if needs and not present.intersection(needs):
                continue
            if not self._has_surface(agency, where):
                continue
            if rng.random() < float(p):
                others.append(agency)
        if "broadcaster" in others and "newspaper" in others and rng.random() < 0.5:
            result.append(Assignment("media", ("broadcaster", "newspaper")))
            others = [a for a in others if a not in ("broadcaster", "newspaper")]
        committees = "people_committee" if level == "province" else "commune_committees"
        if "all_agencies" in others and committees in others and rng.random() < 0.6:
            grouped = Assignment("all_with_committees", ("all_agencies", committees))
            others = [a for a in others if a not in ("all_agencies", committees)]
        else:
            grouped = None
        for agency in others:
            result.append(Assignment(agency, (agency,)))
        if grouped is not None:
            result.append(grouped)
        # the generic assignment and the mass organisations close the section
        closing = ("all_agencies", "all_with_committees", "front_mass_orgs")
        result.sort(key=lambda a: a.group in closing)
        return tuple(result)

    def _department_assignments(
        self, rng: random.Random, issuer: Issuer, kind: str
    ) -> tuple[Assignment, ...]:
        block = self.config["responsibilities"]["department"]
        department = issuer.department
        assert department is not None
        result = [Assignment("department_intro")]
        for partner, p in block["partners"].items():
            if rng.random() >= float(p):
                continue
            if partner == "local_counterpart":
                result.append(Assignment("local_counterpart", (department.counterpart,)))
            else:
                result.append(Assignment("partner", (partner,)))
        return tuple(result)
