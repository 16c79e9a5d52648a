"""Independent facts about each consecutive pair of the 14 upstream versions,
read with PyYAML (not with stytch-codegen), for the expectations of
tests/diff_corpus.rs. Run: python3 codegen/tests/diff_corpus_facts.py DIR
(DIR = $STYTCH_CORPUS/../stytch-upstream)."""
import sys, json, yaml

VERSIONS = ["2025-09-05-790b473", "2025-09-05-2e044d3", "2025-09-09-1b6d20c",
            "2025-09-10-4a6501b", "2025-09-24-9557f47", "2025-09-26-5441c70",
            "2025-10-07-7064567", "2025-10-20-2d6f47e", "2025-10-23-2bd017f",
            "2025-10-23-486e40b", "2025-10-23-210c9bf", "2025-10-24-2913832",
            "2025-11-03-24b0e4e", "2026-02-05-5032e06"]
METHODS = ["get", "post", "put", "patch", "delete"]
DOCS = {"description", "summary", "x-code-samples", "example", "examples", "tags", "operationId"}


def ops(doc):
    return {(m.upper(), p): o for p, item in doc["paths"].items() for m, o in item.items() if m in METHODS}


def retypes(a, b):
    """(old type, new type) of every property whose `type` differs, at any depth."""
    out = {}
    def walk(x, y):
        if not (isinstance(x, dict) and isinstance(y, dict)):
            return
        if "type" in x and "type" in y and x["type"] != y["type"]:
            key = (x["type"], y["type"])
            out[key] = out.get(key, 0) + 1
            return
        for k in ("properties",):
            for name in set(x.get(k, {})) & set(y.get(k, {})):
                walk(x[k][name], y[k][name])
        if "items" in x and "items" in y:
            walk(x["items"], y["items"])
    for name in set(a) & set(b):
        walk(a[name], b[name])
    return out


def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in DOCS}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def main(root):
    docs = [yaml.load(open(f"{root}/{v}.yml"), Loader=yaml.CSafeLoader) for v in VERSIONS]
    for i in range(len(docs) - 1):
        a, b = docs[i], docs[i + 1]
        sa, sb = a["components"]["schemas"], b["components"]["schemas"]
        oa, ob = ops(a), ops(b)
        removed, added = set(sa) - set(sb), set(sb) - set(sa)
        headers = sum(1 for k in set(oa) & set(ob) for p in ob[k].get("parameters", [])
                      if p["in"] == "header" and p["name"] not in {q["name"] for q in oa[k].get("parameters", [])})
        bodies_removed = sorted(f"{m} {p}" for (m, p) in set(oa) & set(ob)
                                if "requestBody" in oa[(m, p)] and "requestBody" not in ob[(m, p)])
        wire_same = strip(a) == strip(b)
        print(json.dumps({
            "pair": f"{VERSIONS[i]} -> {VERSIONS[i+1]}",
            "schemas_removed": len(removed), "schemas_added": len(added),
            "same_shape_renames": sum(1 for r in removed if any(strip(sa[r]) == strip(sb[x]) for x in added)),
            "operations_removed": len(set(oa) - set(ob)), "operations_added": len(set(ob) - set(oa)),
            "retypes": {f"{x}->{y}": n for (x, y), n in retypes(sa, sb).items()},
            "header_params_added": headers,
            "bodies_removed": len(bodies_removed),
            "same_without_docs": wire_same,
        }))


main(sys.argv[1])
