"""The festival's organisation as a tree in the browser, for the festival secretary: the festival's bodies, the 22
districts with their secretariats, committees, neighbourhoods and local institutions, and the partner
organisations, each with its counts."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.registry.structure import usecases as structure
from shared.principal import Principal
from shared.web.connection import Reading
from shared.web.pages import Pages

DISTRICTS = range(1, 23)


def nested(bodies: list[dict], members: dict[str, int]) -> list[dict]:
    """Bodies as a forest: each with its children (by parent code) and how many sit on it; a body whose parent is
    not among them is a root."""
    nodes = {b["code"]: {**b, "members": members.get(b["code"], 0), "children": []} for b in bodies}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node["parent_code"] or "")
        (parent["children"] if parent else roots).append(node)
    return roots


def districts_of(tree: dict) -> list[dict]:
    """Per district: its bodies as a tree, its neighbourhoods and organisations, and the people on its bodies."""
    rows = []
    for district in DISTRICTS:
        bodies = [b for b in tree["bodies"] if b["district"] == district]
        rows.append({"district": district, "bodies": nested(bodies, tree["members"]), "body_count": len(bodies),
                     "people": sum(tree["members"].get(b["code"], 0) for b in bodies),
                     "neighbourhoods": [h for h in tree["neighbourhoods"] if h["district"] == district],
                     "organisations": [o for o in tree["organisations"] if o["district"] == district]})
    return rows


def routes(pages: Pages) -> APIRouter:
    """The organisation page."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/organisation")
    async def organisation(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The festival's organisation as a tree."""
        tree = await structure.organisation_tree(conn, principal)
        festival = [b for b in tree["bodies"] if b["district"] is None]
        return pages.render(request, "organisation_tree.html", festival=nested(festival, tree["members"]),
                            districts=districts_of(tree),
                            partners=[o for o in tree["organisations"] if o["district"] is None],
                            totals={"bodies": len(tree["bodies"]), "neighbourhoods": len(tree["neighbourhoods"]),
                                    "organisations": len(tree["organisations"]),
                                    "seats": sum(tree["members"].values())})

    return router
