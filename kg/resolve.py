"""Organizations: one record per distinct body, scoped by jurisdiction.

区教委 in a 黔江 plan and 区教委 in a 长寿 plan are two bodies; 区人社局, 区人力社保局 and
黔江区人力资源和社会保障局 in one 黔江 plan are one. A name is read as [place][level][core]
(kg/extract/orgnames.py); the level word is filled from the document's jurisdiction (区 ->
黔江区, 市 -> 重庆市), the core is replaced by its canonical full form from
loaders/organizations.toml, and the id is `<jurisdiction>/<level><canonical core>`, the same
in every document of that jurisdiction.
"""

from __future__ import annotations

import re

from kg.extract import orgnames
from kg.gazetteer import leading_place
from kg.model import Document, Organization

_LEVELS = re.compile(
    r"^(?P<province>.+?(?:省|自治区))?(?P<city>.+?(?:市|自治州|州|盟|地区))?(?P<county>.+?(?:区|县|旗|市))?$"
)
_LEVEL_OF_PREFIX = {"区": "county", "县": "county", "旗": "county", "市": "city", "州": "city",
                    "省": "province"}


def resolve(doc: Document) -> None:
    orgs: dict[str, Organization] = {}

    def register(mention: str, kind: str | None = None) -> str:
        org = organization(mention, doc.meta.jurisdiction, kind)
        known = orgs.get(org.id)
        if known is None:
            orgs[org.id] = known = org
        for alias in (mention, *org.aliases):
            if alias != known.name and alias not in known.aliases:
                known.aliases.append(alias)
        return known.id

    for m in doc.measures:
        for u in m.units:
            u.org = register(u.mention)
            org = orgs[u.org]
            u.name = org.name
            u.aliases = [a for a in org.aliases if a != u.name]
    for g in doc.groups:
        g.org = register(g.name, g.kind)
        for name in filter(None, (g.lead_unit, g.office_in, *g.members)):
            register(name)
    for p in doc.people:
        for h in p.posts:
            if h.org:
                h.org = register(h.org)
    for m in doc.measures:  # aliases learnt later in the document reach every mention
        for u in m.units:
            u.aliases = [a for a in orgs[u.org].aliases if a != u.name]
    doc.organizations = sorted(orgs.values(), key=lambda o: o.id)


def organization(mention: str, jurisdiction: str | None, kind: str | None = None) -> Organization:
    """The organization a mention names, in a document of `jurisdiction`."""
    prefix, core, org_type = orgnames.canonical(mention)
    org_type = kind or org_type
    place, level = _read_prefix(prefix)
    if org_type == "party_department" and level and "委" not in level:
        level += "委"  # 区编办 is the 区委编办
    if not prefix:
        if core == mention and not orgnames.lexicon().core_re.fullmatch(mention):
            # a body with its own name (重庆旅游职业学院, 教育改革领导小组): no level to fill
            if org_type in ("leading_group", "working_group"):
                return Organization(f"{jurisdiction}/{core}" if jurisdiction else core, core, org_type,
                                    jurisdiction, [])
            # its id is its own name; its jurisdiction is the place the name starts with
            return Organization(core, core, org_type, leading_place(core, jurisdiction), [])
        scope, name, tail = jurisdiction, core, core  # 公安部门, 街道办事处: the plan's own
    elif place:
        # 黔江区人社局 in a 黔江 plan is the plan's own 区人社局
        scope = jurisdiction if jurisdiction and jurisdiction.endswith(place) else place
        tail = place[-1] + level + core
        name = place + level + core
    else:
        scope, local = _scope(_split(jurisdiction), _LEVEL_OF_PREFIX.get(_level_char(level), "county"),
                              jurisdiction)
        tail = level + core
        name = local + level[1:] + core if local and level[:1] == _level_char(level) else tail
    aliases = sorted({mention, tail} - {name})
    return Organization(id=f"{scope}/{tail}" if scope else tail, name=name, type=org_type,
                        jurisdiction=scope or None, aliases=aliases)


def _level_char(level: str) -> str:
    return next((c for c in level if c in _LEVEL_OF_PREFIX), "")


def _split(jurisdiction: str | None) -> dict[str, str]:
    if not jurisdiction:
        return {}
    m = _LEVELS.match(jurisdiction)
    return {k: v for k, v in (m.groupdict().items() if m else ()) if v}


def _read_prefix(prefix: str) -> tuple[str, str]:
    """(place, level words) of a prefix: 区委 -> ("", 区委); 黔江区委 -> (黔江区, 委);
    黔江区 -> (黔江区, "")."""
    for p in orgnames.lexicon().prefixes:
        if prefix == p:
            return "", p
        if prefix.endswith(p) and p[0] in _LEVEL_OF_PREFIX:
            cut = len(prefix) - len(p) + 1
            return prefix[:cut], prefix[cut:]
    return prefix, ""


def _scope(levels: dict[str, str], level: str, jurisdiction: str | None) -> tuple[str, str]:
    """(scope id, local place name) for a level word in a document of `jurisdiction`."""
    if not jurisdiction:
        return "", ""
    order = ["province", "city", "county"]
    if level not in levels:
        return jurisdiction, ""  # a county plan saying 市: no city known; keep it in the plan's scope
    cut = order.index(level) + 1
    scope = "".join(levels[k] for k in order[:cut] if k in levels)
    return scope, levels[level]
