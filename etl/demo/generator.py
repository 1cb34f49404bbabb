"""`cchc-atlas demo-corpus`: write N synthetic documents, their ground truth and a manifest.

The corpus is the product's embedded demo data. Every document is made up (plans, numbers,
dates, people) about real localities, and is marked synthetic in `manifest.csv`, so the
warehouse and the dashboard know it. `ground_truth.yaml` labels every document in the format
of the gold files (../shared/gold/seeds.yaml), so `cchc-atlas evaluate` can score the ETL on it.

Deterministic: the same N and seed give byte-identical files (seeded `random.Random`s only,
no clock, sorted iteration). Streaming: documents are written one by one, so memory does not
grow with N. The folder is written next to the target and renamed over it when complete; an
existing target is replaced only when it is empty or an earlier demo corpus.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from etl.demo.article import Body, compose, compose_document, newspaper_name
from etl.demo.page import Page, TextForm, make_noise, render_html, render_txt, strip_diacritics
from etl.demo.plans import PlanSampler, PlanSpec
from etl.demo.templating import load_config, load_templates, weighted_choice, weighted_sample
from etl.gazetteer import LEGACY

MANIFEST = "manifest.csv"
GROUND_TRUTH = "ground_truth.yaml"
MARKER = ".demo-corpus"
MANIFEST_COLUMNS = (
    "file",
    "url",
    "locality",
    "published_date",
    "title",
    "author",
    "kind",
    "synthetic",
)

_HEADER = """\
# Ground truth of a synthetic demo corpus written by `cchc-atlas demo-corpus` ({params}).
# Same format and scoring rules as ../shared/gold/seeds.yaml; `file` is relative to this folder.
# The labels are what the generator wrote: every channel, theme and audience sentence it emits
# is `required`; ids a sentence only mentions in passing are `optional`. Responsibilities are
# [agency, role] pairs. `issue_date` is null when the article does not state it.
# Codes: province (2 digits) and district (3 digits) of the 63-province era; `province_code_2025`
# is the province since 1 July 2025. A unit of the 34-province era takes as `province_code` the
# legacy province whose name it keeps (a province) or in which it lay (a commune).
# All plans, numbers, dates and people are made up; the localities are real.
"""


@dataclass
class DemoSummary:
    """What a generation wrote."""

    out: Path
    seed: int
    documents: int = 0
    plans: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    eras: Counter[str] = field(default_factory=Counter)

    def render(self) -> str:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{key} {counter[key]}" for key in sorted(counter)) or "none"

        return "\n".join(
            [
                f"Wrote a synthetic demo corpus to {self.out} (seed {self.seed})",
                f"  documents: {self.documents} ({counts(self.formats)})",
                f"  plans:     {self.plans}",
                f"  kinds:     {counts(self.kinds)}",
                f"  plans by era: {counts(self.eras)}",
                f"  files:     {MANIFEST} (synthetic=true), {GROUND_TRUTH}",
            ]
        )


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    text = strip_diacritics(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _q(value: str | None) -> str:
    """A YAML scalar: null, or a double-quoted string (JSON strings are valid YAML)."""
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _ids(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _pairs(values: list[str]) -> str:
    return "[" + ", ".join("[" + ", ".join(v.split(":")) + "]" for v in values) + "]"


# --------------------------------------------------------------------------- one article


@dataclass(frozen=True, slots=True)
class Written:
    relpath: str
    data: bytes
    manifest: tuple[str, ...]
    truth: str
    fmt: str


class _ArticleWriter:
    def __init__(self, seed: int, sampler: PlanSampler) -> None:
        self.seed = seed
        self.sampler = sampler
        self.config = load_config()
        self.templates = load_templates()

    def write(self, spec: PlanSpec, article: int, doc_index: int) -> Written:
        rng = random.Random(f"{self.seed}:doc:{spec.index}:{article}")
        config, t = self.config, self.templates
        issuer = spec.issuer
        published = spec.published[article]
        relay = article > 0 and rng.random() < float(config["multi_article"]["relayed_p"])
        fmt = str(weighted_choice(rng, config["formats"]))
        variants = config["text_variants"]
        roll = rng.random()
        form = TextForm(
            old_tones=rng.random() < float(variants["old_tone_p"]),
            no_diacritics=roll < float(variants["no_diacritics_p"]),
            nfd=float(variants["no_diacritics_p"])
            <= roll
            < float(variants["no_diacritics_p"]) + float(variants["nfd_p"]),
        )

        document = (
            spec.kind == "plan" and not relay and rng.random() < float(config["plan_document_p"])
        )
        if document:
            return self._write_document(spec, article, doc_index, rng, form)
        body = compose(spec, article, rng)
        province = issuer.province
        slots = {
            "newspaper": newspaper_name(province.short),
            "province": f"{province.type_word} {province.short}",
            "province_short": province.short,
            "place": f"{issuer.unit.type_word} {issuer.unit.short}",
            "department": issuer.department.name if issuer.department else "",
            "department_short": issuer.department.short if issuer.department else "",
            "CCHC": "CCHC",
            "year": str(spec.plan_year),
            "prev_year": str(spec.plan_year - 1),
            "ref": issuer.unit.type_word,
            "address": f"{province.type_word} {province.short}",
        }
        site_kind = self._site_kind(spec, article, relay)
        site, slots = self._site(rng, spec, site_kind, slots)
        source = byline = author = None
        if relay:
            # a "Theo ..." line longer than 8 words is not recognised as a source line
            filled = [_fill(option, slots) for option in t["relay_sources"][issuer.level]]
            short = [text for text in filled if len(text.split()) <= 8] or [
                min(filled, key=lambda text: len(text.split()))
            ]
            source = short[rng.randrange(len(short))]
        else:
            byline, author = self._byline(rng, simple=fmt == "html")
        page = Page(
            site=site,
            title=body.title,
            paragraphs=body.paragraphs,
            published=published,
            time=f"{rng.randint(6, 21):02d}:{rng.choice(range(0, 60, 5)):02d}",
            byline=byline,
            author=author,
            source=source,
        )
        make_noise(page, rng, slots)

        year = published.year
        marker = {
            "plan": f"kh{re.sub(r'[^0-9]', '', (spec.number or '').split('/')[0])}",
            "report": "bao-cao",
            "directive": "cong-van",
        }[spec.kind]
        slug = f"{slugify(issuer.unit.short)}_{marker}-{spec.plan_year}"
        ext = "html" if fmt == "html" else "txt"
        relpath = f"{year}/{doc_index:06d}_{slug}.{ext}"
        url = f"https://{slugify(site)}.demo.invalid/tin-tuc/{slug.replace('_', '-')}-{doc_index}"
        text = render_html(page, url) if fmt == "html" else render_txt(page)
        data = form.apply(text).encode("utf-8")

        visible_author = form.visible(author) if author else None
        manifest = (
            relpath,
            url,
            self._locality(spec),
            published.isoformat(),
            form.visible(body.title),
            visible_author or "",
            spec.kind,
            "true",
        )
        truth = self._truth(spec, article, relpath, body, published, visible_author)
        return Written(relpath, data, manifest, truth, fmt)

    def _write_document(
        self, spec: PlanSpec, article: int, doc_index: int, rng: random.Random, form: TextForm
    ) -> Written:
        """The plan document itself: no page around it, no byline, no publication date."""
        body = compose_document(spec, rng)
        issue = body.issue_date
        assert issue is not None
        number = re.sub(r"[^0-9]", "", (spec.number or "").split("/")[0])
        slug = f"{slugify(spec.issuer.unit.short)}_kh{number}-{spec.plan_year}_van-ban"
        relpath = f"{issue.year}/{doc_index:06d}_{slug}.txt"
        text = "\n".join(body.paragraphs) + "\n"
        data = form.apply(text).encode("utf-8")
        manifest = (
            relpath,
            "",
            self._locality(spec),
            "",
            form.visible(body.title),
            "",
            spec.kind,
            "true",
        )
        truth = self._truth(spec, article, relpath, body, None, None)
        return Written(relpath, data, manifest, truth, "txt")

    # -- choices ---------------------------------------------------------------------------

    def _site_kind(self, spec: PlanSpec, article: int, relay: bool) -> str:
        """The outlet of an article: the articles of one plan come from different outlets."""
        level = spec.issuer.level
        weights = dict(self.templates["site_weights"][level])
        if spec.kind != "plan":
            weights.pop("department", None)
        # one order of outlets per plan: article i takes the i-th
        order = weighted_sample(random.Random(f"{self.seed}:sites:{spec.index}"), weights, 9)
        if relay:  # relayed by another outlet of the province
            if level in ("province", "department"):
                return "host_portal"
            return "newspaper" if order[0] != "newspaper" else "province_portal"
        return str(order[article % len(order)])

    def _site(
        self, rng: random.Random, spec: PlanSpec, kind: str, slots: dict[str, str]
    ) -> tuple[str, dict[str, str]]:
        sites = self.templates["sites"]
        slots = dict(slots)
        if kind == "host_portal":
            issuer = spec.issuer
            pool = self.sampler.pool
            if issuer.era == LEGACY:
                units = pool.districts[issuer.province.code]
            else:
                units = pool.communes[issuer.province.code]
            host = units[rng.randrange(len(units))]
            host_slots = dict(slots, place=f"{host.type_word} {host.short}")
            return _fill(sites["local_portal"], host_slots), slots
        return _fill(sites[kind], slots), slots

    def _byline(self, rng: random.Random, simple: bool) -> tuple[str, str]:
        """(byline as printed, author). `simple`: one full name (HTML pages: the reader keeps
        only the first of "A - B" and drops initials such as "PV")."""
        names = self.templates["names"]
        byline_config = self.config["byline"]
        roll = rng.random()
        if roll < float(byline_config["initials_p"]) and not simple:
            author = names["initials"][rng.randrange(len(names["initials"]))]
        else:
            author = self._name(rng)
            if rng.random() < float(byline_config["two_authors_p"]) and not simple:
                author = f"{author} - {self._name(rng)}"
        byline = author
        if rng.random() < float(byline_config["note_p"]):
            note = names["notes"][rng.randrange(len(names["notes"]))]
            byline = f"{author} ({note})"
        return byline, author

    def _name(self, rng: random.Random) -> str:
        names = self.templates["names"]
        provinces = {u.short for u in self.sampler.pool.provinces[LEGACY]}
        while True:
            first = names["first"][rng.randrange(len(names["first"]))]
            second = names["second"][rng.randrange(len(names["second"]))]
            name = f"{first} {second}"
            if first != second and name not in provinces:
                return name

    def _locality(self, spec: PlanSpec) -> str:
        issuer = spec.issuer
        province = issuer.province.name
        if issuer.level in ("district", "commune"):
            return f"{issuer.unit.name}, {province}"
        return province

    # -- ground truth ----------------------------------------------------------------------

    def _truth(
        self,
        spec: PlanSpec,
        article: int,
        relpath: str,
        body: Body,
        published: date | None,
        author: str | None,
    ) -> str:
        truth = body.truth
        level, province_code, district_code, province_2025 = spec.issuer.gold
        note = f"plan {spec.index}"
        if spec.articles > 1:
            note += f", article {article + 1} of {spec.articles}"
        lines = [
            f"- file: {_q(relpath)}",
            f"  # {note}: {spec.kind} of {self._locality(spec)}",
            f"  issuer: {{level: {level}, province_code: {_q(province_code)}, "
            f"district_code: {_q(district_code)}, province_code_2025: {_q(province_2025)}}}",
            f"  kind: {spec.kind}",
            f"  plan_number: {_q(body.plan_number)}",
            f"  issue_date: {body.issue_date.isoformat() if body.issue_date else 'null'}",
            f"  published_date: {published.isoformat() if published else 'null'}",
            f"  plan_year: {spec.plan_year}",
            f"  author: {_q(author)}",
        ]
        for name, category in (("channels", "channel"),):
            lines += _set_lines(name, *truth.ids(category))
        platforms, _ = truth.ids("platform")
        lines.append(f"  platforms: {_ids(platforms)}")
        lines += _set_lines("themes", *truth.ids("theme"))
        lines += _set_lines("audiences", *truth.ids("audience"))
        required, optional = truth.ids("resp")
        lines += [
            "  responsibilities:",
            f"    required: {_pairs(required)}",
            f"    optional: {_pairs(optional)}",
        ]
        return "\n".join(lines) + "\n\n"


def _set_lines(name: str, required: list[str], optional: list[str]) -> list[str]:
    return [f"  {name}:", f"    required: {_ids(required)}", f"    optional: {_ids(optional)}"]


_SLOT = re.compile(r"\{(\w+)\}")


def _fill(text: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --------------------------------------------------------------------------- the corpus


def _prepare(out: Path) -> Path:
    """A fresh temporary folder beside `out`; refuses a target that is not a demo corpus."""
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise FileExistsError(
                f"{out} is not empty and is not a demo corpus (no {MARKER}): refusing to replace it"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    return tmp


def _replace(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)


def generate_corpus(n: int, seed: int, out: Path) -> DemoSummary:
    """Write `n` demo documents (seeded by `seed`) with manifest and ground truth to `out`."""
    if n < 0:
        raise ValueError(f"the number of documents must be >= 0, got {n}")
    out = Path(out)
    tmp = _prepare(out)
    summary = DemoSummary(out=out, seed=seed)
    try:
        sampler = PlanSampler(seed)
        writer = _ArticleWriter(seed, sampler)
        made_dirs: set[str] = set()
        with (
            (tmp / MANIFEST).open("w", encoding="utf-8", newline="") as manifest_file,
            (tmp / GROUND_TRUTH).open("w", encoding="utf-8", newline="\n") as truth_file,
        ):
            manifest = csv.writer(manifest_file, lineterminator="\n")
            manifest.writerow(MANIFEST_COLUMNS)
            truth_file.write(_HEADER.format(params=f"n={n}, seed={seed}") + "\n")
            index = 0
            while summary.documents < n:
                spec = sampler.next_plan(index)
                index += 1
                summary.plans += 1
                summary.eras[spec.issuer.era] += 1
                articles = min(spec.articles, n - summary.documents)
                for article in range(articles):
                    written = writer.write(spec, article, summary.documents)
                    _emit(tmp, written, made_dirs, manifest, truth_file)
                    summary.documents += 1
                    summary.kinds[spec.kind] += 1
                    summary.formats[written.fmt] += 1
        (tmp / MARKER).write_text(f"cchc-atlas demo-corpus n={n} seed={seed}\n", encoding="utf-8")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


def _emit(
    root: Path,
    written: Written,
    made_dirs: set[str],
    manifest: Any,
    truth_file: IO[str],
) -> None:
    folder = written.relpath.rsplit("/", 1)[0]
    if folder not in made_dirs:
        (root / folder).mkdir(parents=True, exist_ok=True)
        made_dirs.add(folder)
    (root / written.relpath).write_bytes(written.data)
    manifest.writerow(written.manifest)
    truth_file.write(written.truth)
