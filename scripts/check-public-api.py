#!/usr/bin/env python3
"""Checks that no dependency's type, trait or bound appears in the library's public API.

Reads the rustdoc JSON of the library built without default features (so without the CLI's
crates) and walks every public item's signature: functions and methods (arguments, return
types, generic bounds), public struct fields, enum variants, type aliases, constants, and
traits (supertraits, items). Any path into a crate other than neardup, std, core or alloc is
a leak. Trait implementations (`impl Serialize for Report`, `impl From<io::Error> ...`) are
not signatures and are not counted. Also prints how many names `lib.rs` re-exports.

    scripts/check-public-api.py            # builds the JSON with the nightly toolchain
    scripts/check-public-api.py FILE.json  # an existing rustdoc JSON file

Exit 1 when a leak is found, 2 when the JSON cannot be made.
"""
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWED = {"std", "core", "alloc"}


def build() -> pathlib.Path:
    cmd = ["cargo", "+nightly", "rustdoc", "--lib", "--no-default-features", "-q", "--",
           "-Z", "unstable-options", "--output-format", "json"]
    # A target folder of its own: nightly cargo keeps its own compiler-information cache,
    # which the stable toolchain's builds must not read back.
    target = ROOT / "target" / "nightly"
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    if subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode != 0:
        print("cannot build the rustdoc JSON (needs the nightly toolchain)", file=sys.stderr)
        sys.exit(2)
    return target / "doc" / "neardup.json"


def main() -> int:
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else build()
    doc = json.loads(path.read_text())
    index, paths = doc["index"], doc["paths"]
    crates = {int(k): v["name"] for k, v in doc["external_crates"].items()}
    leaks = set()

    def foreign(i):
        p = paths.get(str(i))
        if p is None or p["crate_id"] == 0:
            return None
        name = crates.get(p["crate_id"], "?")
        return None if name in ALLOWED else "::".join(p["path"])

    def walk(node, where):
        if isinstance(node, dict):
            for key in ("id",):
                if key in node and isinstance(node[key], int) and ("path" in node or "args" in node):
                    f = foreign(node[key])
                    if f:
                        leaks.add((where, f))
            for v in node.values():
                walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)

    def name_of(item_id):
        p = paths.get(str(item_id))
        return "::".join(p["path"]) if p else index[str(item_id)].get("name") or str(item_id)

    for item_id, item in index.items():
        if item["crate_id"] != 0:
            continue
        kind, inner = next(iter(item["inner"].items()))
        # Variants of a reachable enum are as public as the enum (rustdoc says "default").
        if item["visibility"] != "public" and kind != "variant":
            continue
        where = name_of(item_id)
        if kind in ("function", "type_alias", "constant", "static", "struct_field"):
            walk(inner, where)
        elif kind == "variant":
            # A public enum's variant fields are public whatever their own visibility says.
            walk(inner.get("discriminant"), where)
            shape = inner.get("kind")
            fields = []
            if isinstance(shape, dict):
                fields = shape.get("tuple") or shape.get("struct", {}).get("fields", [])
            for f in fields:
                if f is not None and str(f) in index:
                    walk(index[str(f)]["inner"], where)
        elif kind == "struct" or kind == "enum" or kind == "union":
            walk(inner.get("generics"), where)
        elif kind == "trait":
            walk(inner.get("bounds"), where)
            walk(inner.get("generics"), where)
        elif kind == "impl":
            if inner.get("trait") is None and not inner.get("is_synthetic") and inner.get("blanket_impl") is None:
                walk(inner.get("for"), where)
                walk(inner.get("generics"), where)
                for m in inner.get("items", []):
                    mi = index.get(str(m))
                    if mi and mi["visibility"] == "public":
                        walk(mi["inner"], f"{where}::{mi.get('name')}")

    # Methods and fields: name them by their parent where the path table does not.
    root = index[str(doc["root"])]
    reexports = [i for i in root["inner"]["module"]["items"] if "use" in index[str(i)]["inner"]]
    modules = [index[str(i)]["name"] for i in root["inner"]["module"]["items"]
               if "module" in index[str(i)]["inner"]]
    print(f"public modules: {', '.join(sorted(modules))}")
    print(f"names re-exported at the crate root: {len(reexports)}")
    if leaks:
        print(f"{len(leaks)} public signature(s) name a dependency's item:")
        for where, what in sorted(leaks):
            print(f"  {where}: {what}")
        return 1
    print("no dependency's type, trait or bound in a public signature")
    return 0


if __name__ == "__main__":
    sys.exit(main())
